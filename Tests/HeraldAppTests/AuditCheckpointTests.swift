import Foundation
import HeraldTesting
import Testing

/// The worker keeps checkpoints outside the database on its own: appended to a file and sent to a channel (here a
/// webhook standing for an auditor's endpoint), each one that `audit verify --checkpoints` then holds the trail to.
@Suite struct AuditCheckpointTests {
    static let repositoryTemplates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("templates")

    @Test func theWorkerAppendsASignedCheckpointAndSendsItToTheAuditorsChannel() async throws {
        let sink = try HTTPSink { _ in SinkReply(status: 204) }
        defer { sink.stop() }
        let audit = """
            audit:
              key: ${TEST_AUDIT_KEY}
              signing_key: ${TEST_SIGNING_KEY}
              checkpoint: { file: checkpoints.jsonl, every: 1h, channel: partners }

            """
        let cli = try HeraldCLI(sinkURL: sink.url("/hook"), auditYAML: audit)
        let checked = try await cli.run("check")
        #expect(checked.status != 0, "a checkpoint channel without its template passed the check")
        #expect(checked.stderr.contains("no audit_checkpoint template"), "\(checked.stderr)")
        let template = cli.directory.appendingPathComponent("templates/audit_checkpoint")
        try FileManager.default.copyItem(at: Self.repositoryTemplates.appendingPathComponent("audit_checkpoint"), to: template)
        let summary = try await cli.run("check")
        #expect(summary.status == 0, "\(summary.stderr)")
        #expect(summary.stdout.contains("audit: chain keyed (key id "), "\(summary.stdout)")
        #expect(summary.stdout.contains("checkpoints to \(cli.directory.path)/checkpoints.jsonl and to channel partners every 3600s"), "\(summary.stdout)")
        #expect(!summary.stdout.contains(TestKeys.auditText) && !summary.stdout.contains(TestKeys.signingText))

        try await cli.expectSuccess("enqueue", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R-1\"}")
        try await cli.expectSuccess("worker", "--once")
        let file = cli.directory.appendingPathComponent("checkpoints.jsonl").path
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        var status = stat()
        #expect(stat(file, &status) == 0 && status.st_mode & 0o777 == 0o600)

        // The checkpoint went into the queue as a message to the auditor's channel; the next run delivers it.
        try await cli.expectSuccess("worker", "--once")
        let bodies = sink.requests.map(\.bodyText)
        let sent = try #require(bodies.first { $0.contains("\"type\":\"audit_checkpoint\"") }, "\(bodies)")
        #expect(sent.contains(String(lines[0].prefix(40)).replacingOccurrences(of: "\"", with: "\\\"")), "\(sent)")

        // Each run ends with a checkpoint: the trail holds both.
        #expect(try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").count == 2)
        let verified = try await cli.run("audit", "verify", "--checkpoints", file)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("2 checkpoint(s) held"), "\(verified.stdout)")
    }

    @Test func checkWarnsOfAMissingKeyAndTheWorkerRefusesBeforeDoingAnything() async throws {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook", auditYAML: "")
        let checked = try await cli.run("check")
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stdout.contains("audit: chain no key: nothing can be written"), "\(checked.stdout)")
        #expect(checked.stdout.contains("warning: No audit key is configured"), "\(checked.stdout)")
    }
}
