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

    /// A secret written out in channels.yml is refused without quoting it, unless the file says it is a local test;
    /// ${VARIABLE} and file:PATH need no flag.
    @Test func aSecretWrittenOutInTheFileIsRefusedUnlessAllowed() throws {
        let literal = "channels:\n  social:\n    type: mastodon\n    url: https://mastodon.social\n    token: hunter2-literal-token\n"
        let refused = ConfigTestSupport.message(literal, literalSecrets: false)
        #expect(refused.hasPrefix("channels.yml:5: channels.social.token: the secret is written out in the file"), "\(refused)")
        #expect(!refused.contains("hunter2"))
        #expect(try ConfigTestSupport.load(literal + "allow_literal_secrets: true\n", literalSecrets: false).channels["social"] != nil)
        let referenced = "channels:\n  social:\n    type: mastodon\n    url: https://mastodon.social\n    token: ${MASTODON_TOKEN}\n"
        let environment = ConfigTestSupport.environment.merging(["MASTODON_TOKEN": "from-the-environment"]) { $1 }
        #expect(try ConfigTestSupport.load(referenced, environment: environment, literalSecrets: false).channels["social"] != nil)
    }

    /// A reference given where a plain value belongs prints the reference, never what it resolves to.
    @Test func aMistakenReferenceDoesNotPrintTheSecretItResolvesTo() {
        let yaml = "channels:\n  page:\n    type: facebook\n    page_id: ${PAGE_TOKEN}\n    token: ${PAGE_TOKEN}\n"
        let environment = ConfigTestSupport.environment.merging(["PAGE_TOKEN": "EAAB-secret-token-value"]) { $1 }
        let message = ConfigTestSupport.message(yaml, environment: environment, literalSecrets: false)
        #expect(message.contains("channels.page.page_id"), "\(message)")
        #expect(message.contains("${PAGE_TOKEN}"), "\(message)")
        #expect(!message.contains("EAAB-secret"), "\(message)")
    }
}
