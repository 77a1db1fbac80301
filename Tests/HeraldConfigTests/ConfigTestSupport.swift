import Foundation
import HeraldConfig
import HeraldCore

/// Shared inputs for the configuration tests: a valid secret, an environment, and loaders that return the message.
enum ConfigTestSupport {
    /// `whsec_` + base64 of 32 bytes.
    static let secret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    static let environment = ["PARTNER_SECRET": secret, "HOOK_HOST": "hooks.example.org"]

    /// Loads `yaml`; with `literalSecrets` (the default, as most tests write their secrets out) the file gets
    /// `allow_literal_secrets: true` appended, after its last line so every line number stays as written.
    static func load(
        _ yaml: String, environment: [String: String] = environment, baseDirectory: String = "/nonexistent", literalSecrets: Bool = true
    ) throws -> HeraldConfiguration {
        let text = literalSecrets ? allowingLiteralSecrets(yaml) : yaml
        return try ConfigurationLoader.load(yaml: text, fileName: "channels.yml", environment: environment, baseDirectory: baseDirectory)
    }

    /// Only a file that is a mapping of keys gets the flag: an empty file or a list must stay what the test wrote.
    private static func allowingLiteralSecrets(_ yaml: String) -> String {
        guard let first = yaml.first, first.isLetter, !yaml.contains("allow_literal_secrets") else { return yaml }
        return yaml + (yaml.hasSuffix("\n") ? "" : "\n") + "allow_literal_secrets: true\n"
    }

    /// The message of the error loading `yaml` raises, or a marker if it loads.
    static func message(
        _ yaml: String, environment: [String: String] = environment, baseDirectory: String = "/nonexistent", literalSecrets: Bool = true
    ) -> String {
        do {
            _ = try load(yaml, environment: environment, baseDirectory: baseDirectory, literalSecrets: literalSecrets)
            return "loaded without error"
        } catch let error as HeraldError {
            return error.code == .configuration ? error.message : "wrong code \(error.code): \(error.message)"
        } catch {
            return "not a HeraldError: \(error)"
        }
    }

    /// A fresh temporary folder; the caller removes it.
    static func temporaryDirectory(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
