import Foundation
import HeraldConfig
import HeraldStore
import Testing

private typealias Support = ConfigTestSupport

/// The `audit:` and `retention:` sections: what loads, and each refusal with its file, line and key, never echoing a key.
@Suite struct AuditConfigurationTests {
    static let channels = "channels:\n  partners: { type: webhook, url: \"http://127.0.0.1:9/hook\", secret: \"\(Support.secret)\" }\n"
    static let auditKey = "aGVyYWxkLXRlc3QtYXVkaXQta2V5LTAxMjM0NTY3ODk="
    static let signingKey = "aGVyYWxkLXRlc3Qtc2lnbmluZy1rZXktMDEyMzQ1Njc="

    @Test func keysCheckpointsAndRetentionLoad() throws {
        let configuration = try Support.load(
            Self.channels + """
                audit:
                  key: ${AUDIT_KEY}
                  signing_key: "\(Self.signingKey)"
                  checkpoint: { file: cp.jsonl, every: 30m, channel: partners, to: "Auditor <audit@example.org>" }
                retention: { content: 30d, recipients: forever }
                """,
            environment: ["AUDIT_KEY": Self.auditKey], baseDirectory: "/etc/herald"
        )
        #expect(configuration.audit.key != nil && configuration.audit.signingKey != nil)
        #expect(configuration.audit.chainKey?.isUnkeyed == false)
        #expect(configuration.audit.checkpointFile == "/etc/herald/cp.jsonl")
        #expect(configuration.audit.checkpointEvery == 1800)
        #expect(configuration.audit.checkpointChannel == "partners")
        #expect(configuration.retention.content == 30 * 86_400 && configuration.retention.recipients == nil)
        #expect(configuration.warnings.isEmpty, "\(configuration.warnings)")
    }

    @Test func theDefaultsKeepContent90DaysAndRecipientsAYear() throws {
        let configuration = try Support.load(Self.channels + "audit: { insecure_unkeyed: true }\n")
        #expect(configuration.retention == RetentionSettings())
        #expect(configuration.retention.content == 90 * 86_400 && configuration.retention.recipients == 365 * 86_400)
        #expect(configuration.audit.chainKey?.isUnkeyed == true)
        #expect(configuration.warnings.contains { $0.contains("insecure_unkeyed is on") })
    }

    @Test(arguments: [
        ("audit:\n  key: \"bm90IGEga2V5\"\n", "channels.yml:4: audit.key: the audit key is not base64 of 32 or more bytes"),
        ("audit:\n  key: \"\(String(repeating: "A", count: 43))=\"\n  insecure_unkeyed: true\n", "both a key and insecure_unkeyed"),
        ("audit:\n  key: ${MISSING_KEY}\n", "channels.yml:4: audit.key: the environment variable MISSING_KEY is not set"),
        ("audit:\n  signing_key: \"c2hvcnQ=\"\n", "channels.yml:4: audit.signing_key: the checkpoint signing key is not base64 of a 32-byte Ed25519 key"),
        ("audit:\n  checkpoint: { channel: nowhere }\n", "checkpoint.channel 'nowhere' is not a channel"),
        ("audit:\n  checkpoint: { every: 0s }\n", "audit.checkpoint.every: '0s' is not a duration"),
        ("audit:\n  kee: x\n", "unknown key 'kee'"),
        ("retention: { content: soon }\n", "retention.content: 'soon' is not a duration"),
        ("retention: { contents: 1d }\n", "unknown key 'contents'"),
        ("audit: { key: ${AUDIT_KEY} }\n", "channels.yml:3: this is not valid YAML"),
        ("audit: { key: ${AUDIT_KEY} }\n", "quote a ${VARIABLE} value: key: \"${VARIABLE}\""),
    ])
    func refusalsNameTheFileLineAndKey(_ yaml: String, _ expected: String) {
        let message = Support.message(Self.channels + yaml)
        #expect(message.contains(expected), "\(message)")
        #expect(!message.contains("bm90IGEga2V5") && !message.contains(String(repeating: "A", count: 43)), "a key was echoed: \(message)")
    }

    /// A key written out in the file is a secret like any other: refused unless the file says it is a local test.
    @Test func aLiteralKeyIsRefusedOutsideALocalTest() {
        let channels = Self.channels.replacingOccurrences(of: "\"\(Support.secret)\"", with: "\"${PARTNER_SECRET}\"")
        let message = Support.message(channels + "audit:\n  key: \"\(Self.auditKey)\"\n", literalSecrets: false)
        #expect(message.contains("audit.key: the secret is written out in the file"), "\(message)")
        #expect(!message.contains(Self.auditKey))
    }
}
