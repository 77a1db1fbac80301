import Foundation
import HeraldTesting
import Testing

/// Retention and a person's rights through the real command line, against a real SMTP server: what is removed is
/// gone from every table and from the database file's bytes, the trail still verifies against a checkpoint taken
/// before, and an export after an erasure holds nothing of the person.
@Suite struct RetentionTests {
    static let person = "Zoë Müller <zoe.muller@agency.example.test>"

    func cli(_ smtp: SMTPSink, retention: String = "") throws -> HeraldCLI {
        try HeraldCLI(
            sinkURL: "http://127.0.0.1:9/hook",
            extraYAML: "  email: { type: smtp, url: \"smtp://127.0.0.1:\(smtp.port)\", starttls: false, from: \"Partnership <comms@partnership.example.test>\" }\n"
                + retention
        )
    }

    /// The database file and its WAL, as bytes, lowercased where ASCII: what someone who copies the files could read.
    func storedBytes(_ cli: HeraldCLI) -> String {
        ["", "-wal"].map { suffix in
            (FileManager.default.contents(atPath: cli.database + suffix)).map { String(decoding: $0, as: UTF8.self).lowercased() } ?? ""
        }.joined()
    }

    @Test func forgetErasesThePersonEverywhereAndTheTrailStillVerifies() async throws {
        let smtp = try await SMTPSink()
        defer { smtp.stop() }
        let cli = try cli(smtp)
        for (to, reference, at) in [(Self.person, "ZOE-CASE-1", "now"), ("sam@agency.example.test", "SAM-CASE-1", "now"), ("zoe.muller@agency.example.test", "ZOE-CASE-2", "+1d")] {
            try await cli.expectSuccess("enqueue", "--channel", "email", "--kind", "notice", "--to", to, "--at", at, "--data", "{\"reference\":\"\(reference)\"}")
        }
        try await cli.expectSuccess("worker", "--once")
        #expect(smtp.mails().count == 2)
        let checkpoints = cli.directory.appendingPathComponent("checkpoints.jsonl").path
        try await cli.expectSuccess("audit", "checkpoint", "--append", checkpoints)

        let before = try await cli.run("export", "--recipient", "zoe.muller@agency.example.test")
        #expect(before.stdout.contains("ZOE-CASE-1") && before.stdout.contains("ZOE-CASE-2"), "\(before.stdout)")
        #expect(storedBytes(cli).contains("zoe.muller"))

        let forgot = try await cli.run("forget", "--recipient", "ZOE.MULLER@agency.example.test", "--reason", "erasure request SAR-17")
        #expect(forgot.status == 0, "\(forgot.stderr)")
        #expect(forgot.stdout.contains("from 2 message(s); 1 not yet sent were cancelled"), "\(forgot.stdout)")

        let after = try await cli.run("export", "--recipient", "zoe.muller@agency.example.test")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any])
        #expect((document["messages"] as? [Any])?.isEmpty == true, "\(after.stdout)")
        let bytes = storedBytes(cli)
        for trace in ["zoe.muller", "zoë", "müller", "zoe-case-1", "zoe-case-2"] {
            #expect(!bytes.contains(trace), "'\(trace)' is still in the database file")
        }
        #expect(bytes.contains("sam@agency.example.test") && bytes.contains("sam-case-1"), "another person's data went too")

        let verified = try await cli.run("audit", "verify", "--checkpoints", checkpoints)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("2 message(s) purged"), "\(verified.stdout)")
        let log = try await cli.run("log", "--json")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        let erased = rows.filter { ($0["recipient"] as? String)?.isEmpty == true }
        #expect(erased.count == 2 && erased.allSatisfy { $0["content_purged_at"] is String })
        #expect(Set(erased.compactMap { $0["state"] as? String }) == ["delivered", "cancelled"])
    }

    @Test func forgetRefusesAControlCharacterInTheReasonAndStoresNothing() async throws {
        let smtp = try await SMTPSink()
        defer { smtp.stop() }
        let cli = try cli(smtp)
        try await cli.expectSuccess("enqueue", "--channel", "email", "--kind", "notice", "--to", Self.person, "--data", "{\"reference\":\"R-1\"}")
        let refused = try await cli.run("forget", "--recipient", "zoe.muller@agency.example.test", "--reason", "line\r\nbreak")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--reason contains a line break"), "\(refused.stderr)")
        #expect(storedBytes(cli).contains("zoe.muller"))
    }

    /// A worker applies the retention policy itself: content past its period is removed when it runs, the recipient
    /// kept for its own (longer) period, and the trail verifies against a checkpoint taken before.
    @Test func theWorkerPurgesWhatItsRetentionPolicyNoLongerAllows() async throws {
        let smtp = try await SMTPSink()
        defer { smtp.stop() }
        let cli = try cli(smtp, retention: "retention: { content: 1ms, recipients: forever }\n")
        try await cli.expectSuccess("enqueue", "--channel", "email", "--kind", "notice", "--to", Self.person, "--data", "{\"reference\":\"KEEP-NOT-1\"}")
        try await cli.expectSuccess("enqueue", "--channel", "email", "--kind", "notice", "--to", Self.person, "--at", "+1d", "--data", "{\"reference\":\"PENDING-2\"}")
        let checkpoints = cli.directory.appendingPathComponent("checkpoints.jsonl").path
        try await cli.expectSuccess("audit", "checkpoint", "--append", checkpoints)
        try await cli.expectSuccess("worker", "--once")
        #expect(smtp.mails().count == 1)

        let bytes = storedBytes(cli)
        #expect(!bytes.contains("keep-not-1"), "delivered content outlived its retention period")
        #expect(bytes.contains("pending-2"), "an unsent message lost its content")
        #expect(bytes.contains("zoe.muller"), "the recipient went before its period")
        let dry = try await cli.run("purge", "--dry-run")
        #expect(dry.stdout.hasPrefix("would remove the content of 0 message(s)"), "\(dry.stdout)")
        let verified = try await cli.run("audit", "verify", "--checkpoints", checkpoints)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("1 message(s) purged"), "\(verified.stdout)")
    }

    @Test func aWorkerWithoutAnAuditKeyIsRefusedSayingHowToMakeOne() async throws {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook", auditYAML: "")
        let refused = try await cli.run("worker", "--once")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("herald audit init-key --out"), "\(refused.stderr)")
        let enqueue = try await cli.run("enqueue", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R\"}")
        #expect(enqueue.status != 0, "a message was stored with no key to link its event")

        let demo = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook", auditYAML: "audit: { insecure_unkeyed: true }\n")
        let ran = try await demo.run("worker", "--once")
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(ran.stderr.contains("insecure_unkeyed is on"), "\(ran.stderr)")
    }

    @Test func initKeyWritesAPrivateKeyOnceAndCheckpointsNeedTheSigningKey() async throws {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook", auditYAML: "audit: { key: file:made.key }\n")
        let made = try await cli.run("audit", "init-key", "--out", cli.directory.appendingPathComponent("made.key").path)
        #expect(made.status == 0, "\(made.stderr)")
        var status = stat()
        #expect(stat(cli.directory.appendingPathComponent("made.key").path, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o600)
        let again = try await cli.run("audit", "init-key", "--out", cli.directory.appendingPathComponent("made.key").path)
        #expect(again.status != 0 && again.stderr.contains("never overwritten"), "\(again.stderr)")
        try await cli.expectSuccess("enqueue", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R\"}")
        let verified = try await cli.run("audit", "verify")
        #expect(verified.status == 0, "\(verified.stderr)")
        let unsigned = try await cli.run("audit", "checkpoint")
        #expect(unsigned.status != 0 && unsigned.stderr.contains("init-key --signing"), "\(unsigned.stderr)")

        // The same database under another key: refused, naming both fingerprints, never extended.
        try cli.replaceInConfig("audit: { key: file:made.key }", with: "audit: { key: \"${TEST_AUDIT_KEY}\" }")
        let other = try await cli.run("enqueue", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R\"}")
        #expect(other.status != 0 && other.stderr.contains("another audit key"), "\(other.stderr)")
        let wrongVerify = try await cli.run("audit", "verify")
        #expect(wrongVerify.status != 0 && wrongVerify.stderr.contains("another audit key"), "\(wrongVerify.stderr)")
    }
}
