import Foundation
import HeraldTesting
import Testing

/// The operator's commands through the real binary: dead letters re-sent, cancellation, and the stable JSON shapes.
@Suite struct OperatorCommandTests {
    /// A message behind a paused channel says what it waits for, with the receiver's words, even in another process.
    @Test func showExplainsAMessageWaitingBehindAPausedChannel() async throws {
        let sink = try HTTPSink { _ in SinkReply(status: 429, headers: [("Retry-After", "600")], body: "slow down") }
        defer { sink.stop() }
        let cli = try HeraldCLI(sinkURL: sink.url("/hook"))
        let first = try await cli.run("enqueue", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R1\"}")
        #expect(first.status == 0, "\(first.stderr)")
        let (worker, _, _) = try cli.start(["worker"], tag: "paused")
        #expect(await sink.waitForRequests(count: 1, timeout: 10))
        kill(worker.processIdentifier, SIGTERM)
        await HeraldCLI.waitForExit(worker)

        let waiting = try await cli.run("enqueue", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R2\"}")
        let id = waiting.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let shown = try await cli.run("show", id)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("WAITING: channel partners sends nothing until"), "\(shown.stdout)")
        #expect(shown.stdout.contains("HTTP 429: slow down"), "\(shown.stdout)")
        #expect(sink.requestCount == 1)
    }

    @Test func deadLettersAreRetriedAndScheduledMessagesCancelled() async throws {
        let sink = try HTTPSink { _ in SinkReply(status: 400, body: "invalid_payload") }
        defer { sink.stop() }
        let cli = try HeraldCLI(sinkURL: sink.url("/hook"))
        let now = try await cli.run("enqueue", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R1\"}")
        let later = try await cli.run("enqueue", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R2\"}", "--at", "+1h")
        let deadID = now.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let laterID = later.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        #expect(try await cli.run("worker", "--once").status == 0)
        let dead = try await cli.run("log", "--state", "dead", "--json")
        let deadRows = try #require(try JSONSerialization.jsonObject(with: Data(dead.stdout.utf8)) as? [[String: Any]])
        #expect(deadRows.map { $0["id"] as? String } == [deadID])
        for field in ["id", "state", "channel", "kind", "recipient", "not_before", "attempts"] {
            #expect(deadRows.first?[field] != nil, "log --json lacks \(field)")
        }

        let cancelled = try await cli.run("cancel", laterID, deadID)
        #expect(cancelled.status != 0, "cancelling a dead message should be refused")
        #expect(cancelled.stdout.contains("\(laterID) cancelled"))
        #expect(cancelled.stderr.contains("\(deadID) not cancelled: it is dead"))

        sink.setHandler { _ in SinkReply(status: 204) }
        let retried = try await cli.run("retry", "--dead")
        #expect(retried.stdout.contains("rescheduled 1 dead message"))
        #expect(try await cli.run("worker", "--once").status == 0)

        let shown = try await cli.run("show", deadID, "--json")
        let detail = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(detail["state"] as? String == "delivered")
        let attempts = try #require(detail["attempts"] as? [[String: Any]])
        #expect(attempts.map { $0["status"] as? Int } == [400, 204])
        for field in ["number", "started_at", "outcome", "status", "detail"] {
            #expect(attempts.first?[field] != nil, "show --json attempts lack \(field)")
        }
        let events = try #require(detail["events"] as? [[String: Any]])
        #expect(events.compactMap { $0["event"] as? String } == ["enqueued", "claimed", "dead", "retried", "claimed", "delivered"])

        let laterDetail = try await cli.run("show", laterID)
        #expect(laterDetail.stdout.contains("state     cancelled"))
        #expect(try await cli.run("show", "not-an-id").stderr.contains("is not a message id"))
        #expect(try await cli.run("audit", "verify").status == 0)
    }

    /// `herald log` reads the same filters as the API's list: subject text, due time, group.
    @Test func logFiltersBySubjectDueTimeAndGroup() async throws {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook")
        let now = try await cli.run("enqueue", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R-100\"}")
        let later = try await cli.run("enqueue", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R-200\"}", "--at", "+1h")
        let nowID = now.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let laterID = later.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        func ids(_ arguments: String...) async throws -> [String] {
            let listed = try await cli.run(["log", "--json"] + arguments)
            #expect(listed.status == 0, "\(listed.stderr)")
            return ((try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
        }
        #expect(try await ids("--subject", "REVIEW r-200") == [laterID])
        #expect(try await ids("--due-before", "+1m") == [nowID])
        #expect(try await ids("--subject", "100%") == [])
        let bad = try await cli.run("log", "--due-before", "next tuesday")
        #expect(bad.status != 0 && !bad.stderr.isEmpty)
    }
}
