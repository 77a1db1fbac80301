import Foundation
import HeraldTesting
import Testing

/// A channel url that carries its credential never shows: not as the stored recipient, not in `log`, `show` or their
/// JSON, not in the database file. And the environment's proxy variables cannot reroute a delivery.
@Suite struct SecretExposureTests {
    static let credentials = ["s3cr3t-pass", "T0KEN-in-the-path", "AbCdEf123workflowSig", "XoxbSlackSecretPart"]

    @Test func credentialsInChannelURLsNeverAppearInOutputOrTheDatabase() async throws {
        // Each answers as its service does: Slack "ok", Teams "1", the webhook 204.
        let sink = try HTTPSink { request in
            if request.path.hasPrefix("/services") { return SinkReply(status: 200, body: "ok") }
            if request.path.hasPrefix("/workflows") { return SinkReply(status: 200, body: "1") }
            return SinkReply()
        }
        defer { sink.stop() }
        let port = URLComponents(string: sink.url("/"))!.port!
        let cli = try HeraldCLI(
            sinkURL: "http://ops:s3cr3t-pass@127.0.0.1:\(port)/hooks/T0KEN-in-the-path",
            extraYAML: """
                  slack:
                    type: slack
                    url: http://127.0.0.1:\(port)/services/T000/B000/XoxbSlackSecretPart
                  teams:
                    type: teams
                    url: http://127.0.0.1:\(port)/workflows/run?sig=AbCdEf123workflowSig
                """
        )
        let folder = cli.directory.appendingPathComponent("templates/announcement")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "{{text}}".write(to: folder.appendingPathComponent("post.mustache"), atomically: true, encoding: .utf8)
        var ids: [String] = []
        for (channel, kind, data) in [
            ("partners", "notice", "{\"reference\":\"R1\"}"), ("slack", "announcement", "{\"text\":\"hello\"}"),
            ("teams", "announcement", "{\"text\":\"hello\"}"),
        ] {
            let enqueued = try await cli.run("enqueue", "--channel", channel, "--kind", kind, "--data", data)
            #expect(enqueued.status == 0, "\(enqueued.stderr)")
            ids.append(enqueued.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let worker = try await cli.run("worker", "--once")
        #expect(worker.stdout.contains("delivered 3"), "\(worker.stdout) \(worker.stderr)")
        var outputs = [worker.stdout, worker.stderr]
        for arguments in [["log"], ["log", "--json"]] + ids.flatMap({ [["show", $0], ["show", $0, "--json"]] }) {
            let result = try await cli.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            outputs += [result.stdout, result.stderr]
        }
        #expect(outputs.joined().contains("webhook:127.0.0.1"), "the recipient should still name the host")
        for secret in Self.credentials {
            #expect(!outputs.contains { $0.contains(secret) }, "'\(secret)' was printed")
            for file in ["herald.db", "herald.db-wal"] {
                let bytes = (try? Data(contentsOf: cli.directory.appendingPathComponent(file))) ?? Data()
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "'\(secret)' is stored in \(file)")
            }
        }
    }

    @Test func proxyVariablesDoNotRerouteADelivery() async throws {
        let sink = try HTTPSink()
        defer { sink.stop() }
        let cli = try HeraldCLI(sinkURL: sink.url("/partners"))
        let nowhere = "http://127.0.0.1:9"
        cli.extraEnvironment = ["http_proxy": nowhere, "HTTPS_PROXY": nowhere, "https_proxy": nowhere, "all_proxy": nowhere, "ALL_PROXY": nowhere]
        let enqueued = try await cli.run("enqueue", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R1\"}")
        #expect(enqueued.status == 0, "\(enqueued.stderr)")
        let worker = try await cli.run("worker", "--once")
        #expect(worker.stdout.contains("delivered 1"), "\(worker.stdout) \(worker.stderr)")
        #expect(sink.requestCount == 1)
    }
}
