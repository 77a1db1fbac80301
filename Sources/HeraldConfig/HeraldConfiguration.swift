import Foundation
import HeraldRules
import HeraldStore

/// Everything channels.yml says, typed and with secrets resolved. Built only by `ConfigurationLoader`,
/// so a value of this type is always complete and valid.
public struct HeraldConfiguration: Sendable {
    public var worker: WorkerSettings
    public var channels: [String: ChannelConfiguration]
    public var planner: PlannerSettings
    /// Standing audiences by name (`comms_partners`, `national_panel`, ...), each reached over one channel.
    public var audiences: [String: Audience]
    /// The people whose word releases a press release or campaign post (`herald approve ID --as NAME`).
    public var approvers: [String]
    public var audit: AuditSettings
    public var retention: RetentionSettings
    /// The API server's certificate and key, when it serves HTTPS itself.
    public var tls: TLSSettings?

    public init(
        worker: WorkerSettings = WorkerSettings(), channels: [String: ChannelConfiguration] = [:], planner: PlannerSettings = PlannerSettings(),
        audiences: [String: Audience] = [:], approvers: [String] = [], audit: AuditSettings = AuditSettings(),
        retention: RetentionSettings = RetentionSettings(), tls: TLSSettings? = nil
    ) {
        self.worker = worker
        self.channels = channels
        self.planner = planner
        self.audiences = audiences
        self.approvers = approvers
        self.audit = audit
        self.retention = retention
        self.tls = tls
    }
}

/// Settings of the queue worker as a whole.
public struct WorkerSettings: Sendable, Equatable {
    /// How long a claim is held before another worker may take the message again.
    public var lease: TimeInterval
    /// How long a stopping worker waits for transfers in flight before recording them as interrupted; nil (the
    /// default) waits as long as the longest channel timeout, so every transfer ends by itself.
    public var shutdownGrace: TimeInterval?

    public init(lease: TimeInterval = 60, shutdownGrace: TimeInterval? = nil) {
        self.lease = lease
        self.shutdownGrace = shutdownGrace
    }
}

extension HeraldConfiguration {
    /// What is valid but worth a second look, for `herald check` and the worker's start.
    public var warnings: [String] {
        var warnings: [String] = []
        if let grace = worker.shutdownGrace, let longest = channels.values.max(by: { ($0.timeout, $1.name) < ($1.timeout, $0.name) }),
            grace < longest.timeout
        {
            warnings.append(
                "worker.shutdown_grace (\(YAMLValue.durationText(grace))) is shorter than channel '\(longest.name)' timeout (\(YAMLValue.durationText(longest.timeout))): "
                    + "a transfer still running that long after SIGTERM is recorded as interrupted and handled as a timeout (retried under the same id "
                    + "where the receiver recognises repeats, left unconfirmed where it cannot). Remove shutdown_grace to wait for every transfer."
            )
        }
        if audit.chainKey == nil {
            warnings.append(AuditKey.missingAdvice)
        }
        if audit.signingKey != nil, audit.checkpointFile == nil, audit.checkpointChannel == nil {
            warnings.append(
                "audit.signing_key is set but no checkpoint file or channel: the worker signs no checkpoints on its own. Add "
                    + "audit.checkpoint.file (on other storage) or audit.checkpoint.channel, or run `herald audit checkpoint` from cron."
            )
        }
        if audit.key == nil, audit.insecureUnkeyed {
            warnings.append(
                "audit.insecure_unkeyed is on: the audit trail's links use a well-known key, so anyone who can write the database can rewrite "
                    + "its history undetected. For a demo only: make a key with `herald audit init-key --out audit.key`."
            )
        }
        return warnings
    }
}

/// The channel types Herald can deliver over.
public enum ChannelType: String, Sendable, CaseIterable {
    case webhook
    case smtp
    case slack
    case teams
    case mastodon
    case bluesky
    case x
    case facebook
    case linkedin

    /// Chat and social channels: they post the `post` part (else `text`) to one configured place, with no `--to`.
    public var posts: Bool {
        switch self {
        case .webhook, .smtp: false
        default: true
        }
    }

    /// The network's own name, for messages to people.
    public var name: String {
        switch self {
        case .webhook: "webhook"
        case .smtp: "email"
        case .slack: "Slack"
        case .teams: "Teams"
        case .mastodon: "Mastodon"
        case .bluesky: "Bluesky"
        case .x: "X"
        case .facebook: "Facebook"
        case .linkedin: "LinkedIn"
        }
    }
}

/// One named channel from channels.yml.
public struct ChannelConfiguration: Sendable {
    public var name: String
    public var type: ChannelType
    public var url: String
    /// Resolved signing secrets (`whsec_…`); the first signs, all are sent during rotation.
    public var secrets: [String]
    public var maxInFlight: Int
    public var rate: RateLimit?
    public var retry: RetryPolicy
    /// When the receiver counts as down and how long the channel then leaves it alone.
    public var circuit: CircuitPolicy
    public var timeout: TimeInterval
    public var connectTimeout: TimeInterval
    /// Sender, credentials and TLS settings of an `smtp` channel; nil for every other type.
    public var email: EmailSettings?
    /// Credentials and limits of a chat or social channel; nil for webhook and smtp channels.
    public var post: PostSettings?

    public init(
        name: String, type: ChannelType, url: String, secrets: [String] = [], maxInFlight: Int = 32,
        rate: RateLimit? = nil, retry: RetryPolicy = RetryPolicy(), circuit: CircuitPolicy = CircuitPolicy(), timeout: TimeInterval = 30, connectTimeout: TimeInterval = 10,
        email: EmailSettings? = nil, post: PostSettings? = nil
    ) {
        self.name = name
        self.type = type
        self.url = url
        self.secrets = secrets
        self.maxInFlight = maxInFlight
        self.rate = rate
        self.retry = retry
        self.circuit = circuit
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.email = email
        self.post = post
    }
}
