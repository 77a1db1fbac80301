import Foundation
import HeraldTesting
import Testing

/// SIGTERM through the real binary while a receiver holds the first request far beyond `shutdown_grace` (2 s here),
/// with a second message claimed ahead behind it, then a second worker run: the interrupted attempt is recorded, never
/// reported as "released"; a webhook or an email is sent again only as the same message, a post never; the message
/// queued behind it is released unsent and delivered once.
@Suite struct ShutdownTests {
    struct Stopped {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Starts `herald worker --max-in-flight 1`, waits until `started` says the first request is out, sends SIGTERM.
    static func stopWorker(_ cli: HeraldCLI, after started: () async throws -> Bool) async throws -> Stopped {
        let (worker, out, err) = try cli.start(["worker", "--max-in-flight", "1"], tag: "stopped")
        let deadline = Date().addingTimeInterval(20)
        while try await !started(), Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        kill(worker.processIdentifier, SIGTERM)
        let signalled = ContinuousClock.now
        await HeraldCLI.waitForExit(worker)
        // The receiver holds its answer 20 s: the worker must not wait for it beyond its grace (2 s).
        #expect(ContinuousClock.now - signalled < .seconds(15), "the stop waited for the receiver instead of its grace")
        return Stopped(
            status: worker.terminationStatus, output: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            errors: (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        )
    }

    static func enqueue(_ cli: HeraldCLI, _ arguments: String...) async throws -> String {
        let result = try await cli.run(["enqueue"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The interrupted message's audit events and attempts, and those of the one released behind it.
    static func expectRecorded(_ cli: HeraldCLI, interrupted: String, as state: String, released: String) async throws {
        let shown = try await cli.run("show", interrupted, "--json")
        let detail = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(detail["state"] as? String == state)
        let events = (detail["events"] as? [[String: Any]])?.compactMap { $0["event"] as? String } ?? []
        #expect(events.prefix(2) == ["enqueued", "claimed"])
        #expect(!events.contains("released"), "a message whose request left was reported released: \(events)")
        let attempts = detail["attempts"] as? [[String: Any]] ?? []
        #expect(attempts.count == 1)
        #expect((attempts.first?["detail"] as? String)?.contains("interrupted") == true, "\(attempts)")
        let behind = try await cli.run("show", released, "--json")
        let queued = try #require(try JSONSerialization.jsonObject(with: Data(behind.stdout.utf8)) as? [String: Any])
        #expect(queued["state"] as? String == "scheduled")
        let last = (queued["events"] as? [[String: Any]])?.last
        #expect(last?["event"] as? String == "released")
        #expect((last?["detail"] as? String)?.contains("had not started") == true)
    }

    @Test func aWebhookIsSentAgainOnlyUnderItsOwnID() async throws {
        let sink = try HTTPSink(handler: SinkReply.sequence([SinkReply(status: 204, delay: 20)], then: SinkReply(status: 204)))
        defer { sink.stop() }
        let cli = try HeraldCLI(sinkURL: sink.url("/hook"), timeout: "30s")
        let first = try await Self.enqueue(cli, "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R1\"}")
        let second = try await Self.enqueue(cli, "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R2\"}")
        let stopped = try await Self.stopWorker(cli) { sink.requestCount >= 1 }
        #expect(stopped.status == 0, "\(stopped.errors)")
        #expect(stopped.output.contains("released 1, interrupted 1"), "\(stopped.output)")
        #expect(stopped.errors.contains("shutdown_grace is shorter than the longest channel timeout"))
        try await Self.expectRecorded(cli, interrupted: first, as: "retrying", released: second)

        let again = try await cli.run("worker", "--once")
        #expect(again.status == 0, "\(again.stderr)")
        let byID = Dictionary(grouping: sink.requests, by: { $0.header("webhook-id") ?? "" })
        #expect(byID[first]?.count == 2)
        #expect(Set(byID[first]?.map(\.body) ?? []).count == 1, "the repeat carried other bytes")
        #expect(byID[second]?.count == 1)
        #expect(sink.requestCount == 3)
    }

    @Test func anEmailIsSentAgainOnlyAsTheSameMessage() async throws {
        var options = SMTPSink.Options()
        options.holdFirst = 1
        options.holdSeconds = 20
        let smtp = try await SMTPSink(options)
        defer { smtp.stop() }
        let cli = try HeraldCLI(
            sinkURL: "http://127.0.0.1:9/hook",
            extraYAML: """
                  mail:
                    type: smtp
                    url: smtp://127.0.0.1:\(smtp.port)
                    starttls: false
                    from: "Safeguarding Partnership <comms@partnership.example.test>"
                """,
            timeout: "30s"
        )
        let first = try await Self.enqueue(cli, "--channel", "mail", "--kind", "notice", "--to", "Jo Smith <jo@agency.example.test>", "--data", "{\"reference\":\"R1\"}")
        let second = try await Self.enqueue(cli, "--channel", "mail", "--kind", "notice", "--to", "Sam Patel <sam@agency.example.test>", "--data", "{\"reference\":\"R2\"}")
        let stopped = try await Self.stopWorker(cli) { !smtp.mails().isEmpty }
        #expect(stopped.status == 0, "\(stopped.errors)")
        #expect(stopped.output.contains("released 1, interrupted 1"), "\(stopped.output)")
        try await Self.expectRecorded(cli, interrupted: first, as: "retrying", released: second)

        let again = try await cli.run("worker", "--once")
        #expect(again.status == 0, "\(again.stderr)")
        let mails = smtp.mails()
        let toJo = mails.filter { $0.recipients == ["jo@agency.example.test"] }
        #expect(toJo.count == 2)
        #expect(Set(toJo.map(\.raw)).count == 1, "the repeat was not byte for byte the same message")
        let repeated = String(decoding: toJo.first?.raw ?? [], as: UTF8.self)
        #expect(repeated.contains("Message-ID: <\(first)@partnership.example.test>"))
        #expect(mails.filter { $0.recipients == ["sam@agency.example.test"] }.count == 1)
    }

    @Test func aPostIsNeverSentAgain() async throws {
        let fake = try await SocialFake(.init(network: "x", credentials: ["duplicate_check": "off"], script: ["silence"], silenceSeconds: 20))
        defer { fake.stop() }
        let cli = try HeraldCLI.posting(to: fake, timeout: "30s")
        let first = try await Self.enqueue(cli, "--channel", "x", "--kind", "announcement", "--data", "{\"text\":\"First announcement\"}")
        let second = try await Self.enqueue(cli, "--channel", "x", "--kind", "announcement", "--data", "{\"text\":\"Second announcement\"}")
        let stopped = try await Self.stopWorker(cli) { try fake.posts().count >= 1 }
        #expect(stopped.status == 0, "\(stopped.errors)")
        #expect(stopped.output.contains("unconfirmed 1, released 1, interrupted 1"), "\(stopped.output)")
        try await Self.expectRecorded(cli, interrupted: first, as: "unconfirmed", released: second)

        let again = try await cli.run("worker", "--once")
        #expect(again.status == 0, "\(again.stderr)")
        let posts = try fake.posts()
        #expect(posts.count == 2)
        #expect(posts.filter { $0.body.contains("First announcement") }.count == 1, "the interrupted post was sent again")
        #expect(posts.filter { $0.body.contains("Second announcement") }.count == 1)
    }
}
