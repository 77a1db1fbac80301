import Foundation
import HeraldCore
import HeraldStore

extension ConfigurationLoader {
    /// `audit: { key, signing_key, insecure_unkeyed, checkpoint: { file, every, channel, to } }`.
    static func auditSettings(_ value: YAMLValue, secrets: SecretResolver, baseDirectory: String) throws -> AuditSettings {
        var settings = AuditSettings()
        var keyValue: YAMLValue?
        for (key, entry) in try value.mapping(allowed: ["key", "signing_key", "insecure_unkeyed", "checkpoint"]) {
            switch key {
            case "key":
                keyValue = entry
                let text = try secrets.resolve(entry)
                settings.key = try positioned(entry) { try AuditKey(base64: text) }
            case "signing_key":
                let text = try secrets.resolve(entry)
                settings.signingKey = try positioned(entry) { try AuditSigningKey(base64: text) }
            case "insecure_unkeyed": settings.insecureUnkeyed = try entry.boolean()
            default: try checkpoint(entry, into: &settings, baseDirectory: baseDirectory)
            }
        }
        if settings.insecureUnkeyed, let keyValue, settings.key != nil {
            throw keyValue.error("both a key and insecure_unkeyed: true are given. Keep the key and remove insecure_unkeyed.")
        }
        return settings
    }

    /// A key's own complaint, placed at its file, line and key path.
    private static func positioned<T>(_ entry: YAMLValue, _ make: () throws -> T) throws -> T {
        do {
            return try make()
        } catch let error as HeraldError {
            throw entry.error(error.message)
        }
    }

    private static func checkpoint(_ value: YAMLValue, into settings: inout AuditSettings, baseDirectory: String) throws {
        for (key, entry) in try value.mapping(allowed: ["file", "every", "channel", "to"]) {
            switch key {
            case "file":
                let path = try entry.string()
                settings.checkpointFile = path.hasPrefix("/") ? path : (baseDirectory as NSString).appendingPathComponent(path)
            case "every": settings.checkpointEvery = try entry.duration(maximum: 7 * 86_400)
            case "channel": settings.checkpointChannel = try entry.string()
            default: settings.checkpointTo = try entry.string()
            }
        }
    }

    /// `retention: { content: 90d, recipients: 365d }`; `forever` keeps that part.
    static func retentionSettings(_ value: YAMLValue) throws -> RetentionSettings {
        var settings = RetentionSettings()
        for (key, entry) in try value.mapping(allowed: ["content", "recipients"]) {
            let period = try (entry.string().lowercased() == "forever") ? nil : entry.duration(maximum: 50 * 365 * 86_400)
            if key == "content" { settings.content = period } else { settings.recipients = period }
        }
        return settings
    }
}
