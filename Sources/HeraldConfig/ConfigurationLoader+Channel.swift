import Foundation
import HeraldCore
import HeraldRules

extension ConfigurationLoader {
    static let channelKeys = [
        "type", "url", "secret", "secrets", "max_in_flight", "rate", "timeout", "connect_timeout", "retry", "circuit",
    ] + emailKeys + postKeys.filter { !emailKeys.contains($0) }

    static func channel(
        named name: String, _ value: YAMLValue, defaults: ChannelDefaults, worker: WorkerSettings, secrets: SecretResolver
    ) throws -> ChannelConfiguration {
        let nameAllowed = name.count <= 64 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        guard !name.isEmpty, nameAllowed else {
            throw value.error("'\(name.prefix(40))' is not a channel name. Use 1 to 64 letters, digits, '_' or '-'.")
        }
        let entries = try value.mapping(allowed: channelKeys)
        var settings = defaults
        var type: ChannelType?
        var urlValue: YAMLValue?
        var secretValues: [String] = []
        var secretValue: YAMLValue?
        var typeEntries: [(key: String, value: YAMLValue)] = []
        var timeoutValue: YAMLValue?
        // Secrets are read as signing secrets only on a webhook (or untyped) channel; elsewhere the type's own refusal says why.
        let declared = entries.first { $0.key == "type" }.flatMap { try? $0.value.string() }.flatMap(ChannelType.init(rawValue:))
        let signs = declared == nil || declared == .webhook
        for (key, entry) in entries {
            switch key {
            case "type":
                let text = try entry.string()
                guard let known = ChannelType(rawValue: text) else {
                    throw entry.error(
                        "unknown channel type '\(text.prefix(40))'. Supported: \(ChannelType.allCases.map(\.rawValue).joined(separator: ", "))."
                    )
                }
                type = known
            case "url":
                urlValue = entry
            case "secret":
                if entries.contains(where: { $0.key == "secrets" }) {
                    throw entry.error("give either 'secret' or 'secrets', not both.")
                }
                secretValue = entry
                if signs { secretValues = [try webhookSecret(entry, secrets: secrets)] }
            case "secrets":
                let items = try entry.list()
                if items.isEmpty { throw entry.error("the list is empty; give at least one secret.") }
                secretValue = entry
                if signs { secretValues = try items.map { try webhookSecret($0, secrets: secrets) } }
            case _ where emailKeys.contains(key) || postKeys.contains(key):
                typeEntries.append((key, entry))
            default:
                if key == "timeout" { timeoutValue = entry }
                try apply(key, entry, to: &settings)
            }
        }
        guard let type else {
            throw value.error("no 'type'. Say which kind of channel this is: \(ChannelType.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let url: String
        var email: EmailSettings?
        var post: PostSettings?
        var maxInFlight = settings.maxInFlight
        switch type {
        case .webhook:
            guard let urlValue else { throw value.error("no 'url'. Give the address to deliver to.") }
            if let (key, entry) = typeEntries.first {
                let owners = emailKeys.contains(key) ? "smtp channels" : "chat and social channels"
                throw entry.error("'\(key)' applies to \(owners) only. Remove it from this webhook channel.")
            }
            url = try validatedURL(urlValue, secrets: secrets)
            if secretValues.isEmpty {
                throw value.error("a webhook channel needs a signing secret: secret: ${NAME} or secret: file:PATH.")
            }
        case .smtp:
            guard let urlValue else { throw value.error("no 'url'. Give the address to deliver to.") }
            if let secretValue {
                throw secretValue.error("signing secrets apply to webhook channels only. An smtp channel logs in with username and password.")
            }
            let parsed = try smtpURL(urlValue, secrets: secrets)
            url = parsed.url
            if let (key, entry) = typeEntries.first(where: { !emailKeys.contains($0.key) }) {
                throw entry.error("'\(key)' applies to chat and social channels only. Remove it from this smtp channel.")
            }
            email = try emailSettings(typeEntries, in: value, url: parsed, secrets: secrets)
        default:
            if let secretValue {
                throw secretValue.error("signing secrets apply to webhook channels only. A \(type.rawValue) channel authenticates with its own keys.")
            }
            if let urlValue {
                url = try validatedURL(urlValue, secrets: secrets)
            } else if let known = defaultURL(of: type) {
                url = known
            } else {
                throw value.error("no 'url'. A \(type.rawValue) channel needs the address it posts to\(type == .mastodon ? ", e.g. https://mastodon.social" : ", as a secret: url: ${NAME}").")
            }
            post = try postSettings(type: type, typeEntries, in: value, secrets: secrets)
            // Posts go one at a time unless the channel says otherwise: order matters in a campaign, and a network's
            // budget is better spent serially than by a burst that meets a 429.
            if !entries.contains(where: { $0.key == "max_in_flight" }) { maxInFlight = 1 }
        }
        let leaseNeeded = LeaseRule.minimumLease(forTimeout: settings.timeout)
        if worker.lease < leaseNeeded {
            throw (timeoutValue ?? value).error(
                "the worker lease (\(YAMLValue.durationText(worker.lease))) is not comfortably longer than this channel's timeout "
                    + "(\(YAMLValue.durationText(settings.timeout))): a message could still be in its transfer when its lease runs out, and "
                    + "another worker would send it again. Make worker.lease at least \(YAMLValue.durationText(leaseNeeded)) (twice the timeout), "
                    + "or lower the timeout."
            )
        }
        return ChannelConfiguration(
            name: name, type: type, url: url, secrets: secretValues, maxInFlight: maxInFlight, rate: settings.rate,
            retry: settings.retry, circuit: settings.circuit, timeout: settings.timeout, connectTimeout: settings.connectTimeout, email: email,
            post: post
        )
    }

    private static func webhookSecret(_ value: YAMLValue, secrets: SecretResolver) throws -> String {
        let secret = try secrets.resolve(value)
        guard WebhookSecret.keyBytes(secret) != nil else {
            throw value.error(
                "the secret is not a Standard Webhooks secret (whsec_ followed by the base64 of 24 to 64 bytes). Copy it exactly as the receiver shows it."
            )
        }
        return secret
    }

    /// http(s) only, with a host; plain http only to this machine, since signing does not encrypt.
    private static func validatedURL(_ value: YAMLValue, secrets: SecretResolver) throws -> String {
        let text = try secrets.resolve(value)
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw value.error("this is not a URL with a host. Write e.g. https://hooks.example.org/herald.")
        }
        guard scheme == "https" || scheme == "http" else {
            throw value.error("the scheme '\(scheme.prefix(20))' is not supported. Use https://.")
        }
        if scheme == "http" && !isLoopback(host) {
            throw value.error("plain http:// to \(host.prefix(80)) would send messages unencrypted. Use https:// (http:// is allowed only to 127.0.0.1, ::1 or localhost).")
        }
        return text
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
