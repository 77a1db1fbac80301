import Foundation
import HeraldConfig
import HeraldCore
import Testing

/// Secrets are resolved at start and must never be quoted back, whatever is wrong around them.
@Suite struct SecretRedactionTests {
    typealias Support = ConfigTestSupport

    static let leaky = "whsec_c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1iZS1wcmludGVk"  // base64 of 32 bytes
    static let junk = "hunter2-do-not-print-me"

    func channel(_ secretLines: String, url: String = "https://x.example/h") -> String {
        "channels:\n  partners:\n    type: webhook\n    url: \(url)\n\(secretLines)"
    }

    @Test(arguments: [
        "    secret: ${GOOD}\n    max_in_flight: 0\n",  // a valid secret next to another error
        "    secret: ${JUNK}\n",  // an invalid secret from the environment
        "    secret: \(junk)\n",  // an invalid literal secret
        "    secrets: \(leaky)\n",  // a secret where a list is expected
        "    secrets: [\(junk)]\n",
        "    secret: [\(junk)]\n",  // a list where a value is expected
        "    secret: { \(junk): 1 }\n",
        "    secret: ${\(junk) }\n",  // a reference that is not a variable name
        "    secret: \(junk)${GOOD}\n",
    ])
    func errorsNeverQuoteASecret(lines: String) {
        let environment = ["GOOD": Self.leaky, "JUNK": Self.junk]
        let text = Support.message(channel(lines), environment: environment)
        #expect(text.hasPrefix("channels.yml:"), "\(text)")
        #expect(!text.contains("hunter2"), "\(text)")
        #expect(!text.contains("c2VjcmV0"), "\(text)")
    }

    @Test func aValidSecretIsNotPrintedWhenTheURLIsRefused() {
        let text = Support.message(
            channel("    secret: ${GOOD}\n", url: "http://evil.example/h"), environment: ["GOOD": Self.leaky]
        )
        #expect(text.hasPrefix("channels.yml:4: channels.partners.url:"), "\(text)")
        #expect(!text.contains("c2VjcmV0"))
    }

    @Test func aSecretFileIsNamedButItsContentsAreNot() throws {
        let directory = try Support.temporaryDirectory("herald-secret")
        defer { try? FileManager.default.removeItem(at: directory) }
        try (Self.junk + "\n").write(to: directory.appendingPathComponent("partners.secret"), atomically: true, encoding: .utf8)
        let text = Support.message(channel("    secret: file:partners.secret\n"), baseDirectory: directory.path)
        #expect(text.hasPrefix("channels.yml:5: channels.partners.secret:"), "\(text)")
        #expect(text.contains("Standard Webhooks secret"), "\(text)")
        #expect(!text.contains("hunter2"), "\(text)")

        let missing = Support.message(channel("    secret: file:elsewhere/none.secret\n"), baseDirectory: directory.path)
        #expect(missing.contains(directory.appendingPathComponent("elsewhere/none.secret").path), "\(missing)")
    }
}
