import Foundation
import HeraldCore
import HeraldRules
import Yams

/// Reads channels.yml into a complete, valid `HeraldConfiguration`, or refuses it with the file, the key path
/// and the line, so the process never starts half-configured.
public enum ConfigurationLoader {
    /// Settings every channel inherits unless it says otherwise.
    struct ChannelDefaults {
        var maxInFlight = 32
        var rate: RateLimit?
        var timeout: TimeInterval = 30
        var connectTimeout: TimeInterval = 10
        var retry = RetryPolicy()
        var circuit = CircuitPolicy()
    }

    /// Reads and validates the file at `path`. `environment` resolves `${NAME}` references (injectable for tests);
    /// `file:` secrets are read relative to the file's folder. Throws `HeraldError(.configuration)` on the first problem.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> HeraldConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HeraldError(
                .configuration,
                "Cannot read the configuration file \(path). Create it, or point at another with --config or HERALD_CONFIG."
            )
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw HeraldError(.configuration, "\(path) is not UTF-8 text.")
        }
        let directory = (path as NSString).deletingLastPathComponent
        return try load(
            yaml: text, fileName: (path as NSString).lastPathComponent, environment: environment,
            baseDirectory: directory.isEmpty ? "." : directory
        )
    }

    /// Parses configuration text; `fileName` is what errors call the file, `baseDirectory` anchors `file:` paths.
    public static func load(yaml: String, fileName: String, environment: [String: String], baseDirectory: String) throws
        -> HeraldConfiguration
    {
        let root = try YAMLDocument.compose(yaml, file: fileName)
        guard let root, root.null == nil else {
            throw HeraldError(
                .configuration,
                "\(fileName):1: (top level): the file is empty. Name at least one channel under 'channels:' (see the README for an example)."
            )
        }
        let top = YAMLValue(node: root, path: "", file: fileName)
        var secrets = SecretResolver(environment: environment, baseDirectory: baseDirectory)
        var worker = WorkerSettings()
        var defaults = ChannelDefaults()
        var channelsValue: YAMLValue?
        var planner = PlannerSettings()
        var audiencesValue: YAMLValue?
        var approvers: [String] = []
        var auditValue: YAMLValue?
        var retention = RetentionSettings()
        var tls: TLSSettings?
        let sections = ["worker", "defaults", "channels", "planner", "audiences", "approvers", "allow_literal_secrets", "audit", "retention", "tls"]
        for (key, value) in try top.mapping(allowed: sections) {
            switch key {
            case "allow_literal_secrets": secrets.allowLiterals = try value.boolean()
            case "worker": worker = try workerSettings(value)
            case "defaults": defaults = try channelDefaults(value, base: defaults)
            case "planner": planner = try plannerSettings(value)
            case "audiences": audiencesValue = value
            case "approvers": approvers = try self.approvers(value)
            case "audit": auditValue = value
            case "retention": retention = try retentionSettings(value)
            case "tls": tls = try tlsSettings(value, baseDirectory: baseDirectory)
            default: channelsValue = value
            }
        }
        if !planner.bankHolidaysPath.hasPrefix("/") {
            planner.bankHolidaysPath = (baseDirectory as NSString).appendingPathComponent(planner.bankHolidaysPath)
        }
        guard let channelsValue else {
            throw top.error("no 'channels' mapping. Name at least one channel, e.g. channels: { partners: { type: webhook, … } }.")
        }
        var channels: [String: ChannelConfiguration] = [:]
        let entries = channelsValue.node.null != nil ? [] : try channelsValue.namedMapping()
        if entries.isEmpty {
            throw channelsValue.error("no channels are defined. Add at least one, e.g. partners: { type: webhook, url: https://…, secret: ${…} }.")
        }
        for (name, value) in entries {
            channels[name] = try channel(named: name, value, defaults: defaults, worker: worker, secrets: secrets)
        }
        let audiences = try audiencesValue.map { try self.audiences($0, channels: channels) } ?? [:]
        // After the top level is read, so `allow_literal_secrets` applies wherever it is written.
        let audit = try auditValue.map { try auditSettings($0, secrets: secrets, baseDirectory: baseDirectory) } ?? AuditSettings()
        if let name = audit.checkpointChannel, channels[name] == nil, let auditValue {
            throw auditValue.error("checkpoint.channel '\(name.prefix(40))' is not a channel defined under 'channels:'.")
        }
        return HeraldConfiguration(
            worker: worker, channels: channels, planner: planner, audiences: audiences, approvers: approvers, audit: audit, retention: retention, tls: tls
        )
    }

    static func workerSettings(_ value: YAMLValue) throws -> WorkerSettings {
        var settings = WorkerSettings()
        for (key, entry) in try value.mapping(allowed: ["lease", "shutdown_grace"]) {
            switch key {
            case "lease": settings.lease = try entry.duration(maximum: 86_400)
            default: settings.shutdownGrace = try entry.duration(maximum: 3_600)
            }
        }
        return settings
    }

    static func channelDefaults(_ value: YAMLValue, base: ChannelDefaults) throws -> ChannelDefaults {
        var defaults = base
        for (key, entry) in try value.mapping(allowed: ["max_in_flight", "rate", "timeout", "connect_timeout", "retry", "circuit"]) {
            try apply(key, entry, to: &defaults)
        }
        return defaults
    }

    /// Applies one of the keys a channel shares with `defaults`.
    static func apply(_ key: String, _ entry: YAMLValue, to defaults: inout ChannelDefaults) throws {
        switch key {
        case "max_in_flight": defaults.maxInFlight = try entry.positiveInteger(maximum: 10_000)
        case "rate": defaults.rate = try rate(entry)
        case "timeout": defaults.timeout = try entry.duration(maximum: 3_600)
        case "connect_timeout": defaults.connectTimeout = try entry.duration(maximum: 600)
        case "retry": defaults.retry = try retry(entry, base: defaults.retry)
        case "circuit": defaults.circuit = try circuit(entry, base: defaults.circuit)
        default: break
        }
    }

    static func rate(_ value: YAMLValue) throws -> RateLimit {
        let text = try value.string()
        guard let rate = RateLimit(text: text) else {
            throw value.error("'\(text.prefix(40))' is not a rate. Write a count per second, minute or hour, e.g. 10/s, 600/m, 1000/h.")
        }
        return rate
    }

    static func circuit(_ value: YAMLValue, base: CircuitPolicy) throws -> CircuitPolicy {
        var policy = base
        var cooldownValue: YAMLValue?
        for (key, entry) in try value.mapping(allowed: ["failures", "cooldown", "max_cooldown"]) {
            switch key {
            case "failures": policy.failures = try entry.positiveInteger(maximum: 1000)
            case "cooldown":
                policy.cooldown = try entry.duration(maximum: 86_400)
                cooldownValue = entry
            default: policy.maxCooldown = try entry.duration(maximum: 86_400)
            }
        }
        if policy.cooldown > policy.maxCooldown {
            throw (cooldownValue ?? value).error(
                "the circuit cooldown (\(YAMLValue.durationText(policy.cooldown))) is longer than max_cooldown (\(YAMLValue.durationText(policy.maxCooldown))). Make cooldown ≤ max_cooldown."
            )
        }
        return policy
    }

    static func retry(_ value: YAMLValue, base: RetryPolicy) throws -> RetryPolicy {
        var policy = base
        var baseValue: YAMLValue?
        for (key, entry) in try value.mapping(allowed: ["base", "cap", "max_attempts"]) {
            switch key {
            case "base":
                policy.base = try entry.duration(maximum: 86_400)
                baseValue = entry
            case "cap": policy.cap = try entry.duration(maximum: 7 * 86_400)
            default: policy.maxAttempts = try entry.positiveInteger(maximum: 1000)
            }
        }
        if policy.base > policy.cap {
            throw (baseValue ?? value).error("the retry base (\(YAMLValue.durationText(policy.base))) is longer than the cap (\(YAMLValue.durationText(policy.cap))). Make base ≤ cap.")
        }
        return policy
    }
}
