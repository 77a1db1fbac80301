import Foundation
import HeraldConfig
import HeraldCore

/// Shared inputs for the configuration tests: a valid secret, an environment, and loaders that return the message.
enum ConfigTestSupport {
    /// `whsec_` + base64 of 32 bytes.
    static let secret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    static let environment = ["PARTNER_SECRET": secret, "HOOK_HOST": "hooks.example.org"]

    static func load(_ yaml: String, environment: [String: String] = environment, baseDirectory: String = "/nonexistent")
        throws -> HeraldConfiguration
    {
        try ConfigurationLoader.load(yaml: yaml, fileName: "channels.yml", environment: environment, baseDirectory: baseDirectory)
    }

    /// The message of the error loading `yaml` raises, or a marker if it loads.
    static func message(_ yaml: String, environment: [String: String] = environment, baseDirectory: String = "/nonexistent") -> String {
        do {
            _ = try load(yaml, environment: environment, baseDirectory: baseDirectory)
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
