import Crypto
import Foundation
import HeraldCore
import HeraldRules
import HeraldStore
import HeraldStoreSQLite
import HeraldTesting
import HeraldWorker
import Logging
import Testing

/// The worker through the real libcurl engine to a real HTTP sink on 127.0.0.1: what a receiver sees, and what each
/// kind of answer does to the message.
@Suite struct DeliveryWorkerTests {
    /// A harness with libcurl and the system clock, and a sink answering as `handler` says.
    static func harness(
        _ handler: @escaping @Sendable (SinkRequest) -> SinkReply = { _ in SinkReply(status: 204) }
    ) throws -> (WorkerHarness, HTTPSink) {
        (try WorkerHarness(), try HTTPSink(handler: handler))
    }

    static func channel(
        _ sink: HTTPSink, timeout: TimeInterval = 5, retry: RetryPolicy = RetryPolicy(base: 0.05, cap: 0.2, maxAttempts: 5)
    ) throws -> [WorkerChannel] {
        [try WorkerHarness.webhookChannel(url: sink.url("/hook"), retry: retry, timeout: timeout)]
    }

    @Test func deliversWithASignatureAnIndependentCheckAccepts() async throws {
        let (harness, sink) = try Self.harness()
        let ids = try await harness.enqueue(3, on: "partners", recipient: sink.url("/hook"))
        let summary = try await harness.runOnce(try Self.channel(sink))
        #expect(summary.delivered == 3)
        #expect(sink.requestCount == 3)
        let key = SymmetricKey(data: Data(base64Encoded: String(WorkerHarness.webhookSecret.dropFirst("whsec_".count)))!)
        for request in sink.requests {
            let id = try #require(request.header("webhook-id"))
            let timestamp = try #require(request.header("webhook-timestamp"))
            let signed = Data("\(id).\(timestamp).".utf8) + Data(request.body)
            let expected = "v1," + Data(HMAC<SHA256>.authenticationCode(for: signed, using: key)).base64EncodedString()
            #expect(request.header("webhook-signature") == expected)
            #expect(abs(Double(timestamp)! - Date().timeIntervalSince1970) < 60)
            #expect(ids.map(\.rawValue).contains(id))
            let event = try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
            #expect(event?["type"] as? String == "review.notice")
        }
        for id in ids {
            let detail = try #require(try await harness.store.message(id))
            #expect(detail.message.state == .delivered)
            #expect(detail.attempts.first?.status == 204)
        }
    }

    @Test func a503ThenA200IsDeliveredOnTheSecondAttemptWithTheSameWebhookID() async throws {
        let (harness, sink) = try Self.harness(SinkReply.sequence([SinkReply(status: 503)], then: SinkReply(status: 200, body: "ok")))
        let id = try #require(try await harness.enqueue(1, on: "partners", recipient: sink.url("/hook")).first)
        let summary = try await harness.runOnce(try Self.channel(sink))
        #expect(summary.delivered == 1)
        #expect(summary.retried == 1)
        let detail = try #require(try await harness.store.message(id))
        #expect(detail.message.state == .delivered)
        #expect(detail.attempts.map(\.number) == [1, 2])
        #expect(detail.attempts.map(\.status) == [503, 200])
        #expect(Set(sink.requests.compactMap { $0.header("webhook-id") }) == [id.rawValue])
        try #require(sink.requests.count == 2)
        #expect(sink.requests[0].body == sink.requests[1].body)
    }

    @Test func a400IsDeadAfterOneAttempt() async throws {
        let (harness, sink) = try Self.harness({ _ in SinkReply(status: 400, body: "invalid_payload") })
        let id = try #require(try await harness.enqueue(1, on: "partners", recipient: sink.url("/hook")).first)
        let summary = try await harness.runOnce(try Self.channel(sink))
        #expect(summary.dead == 1)
        #expect(sink.requestCount == 1)
        let detail = try #require(try await harness.store.message(id))
        #expect(detail.message.state == .dead)
        #expect(detail.attempts.count == 1)
        #expect(detail.attempts[0].detail.contains("invalid_payload"))
    }

    @Test func aTimeoutIsRetriedAndThenDelivered() async throws {
        let (harness, sink) = try Self.harness(SinkReply.sequence([SinkReply(status: 204, delay: 3)], then: SinkReply(status: 204)))
        let id = try #require(try await harness.enqueue(1, on: "partners", recipient: sink.url("/hook")).first)
        let summary = try await harness.runOnce(try Self.channel(sink, timeout: 1))
        #expect(summary.delivered == 1)
        let detail = try #require(try await harness.store.message(id))
        #expect(detail.attempts.count == 2)
        #expect(detail.attempts[0].outcome == "ambiguous")
        #expect(detail.attempts[0].detail.contains("timeout"))
        #expect(detail.attempts[0].status == nil)
    }

    @Test func runningOutOfAttemptsIsDead() async throws {
        let (harness, sink) = try Self.harness({ _ in SinkReply(status: 500) })
        let id = try #require(try await harness.enqueue(1, on: "partners", recipient: sink.url("/hook")).first)
        let summary = try await harness.runOnce(try Self.channel(sink, retry: RetryPolicy(base: 0.01, cap: 0.05, maxAttempts: 3)))
        #expect(summary.dead == 1)
        #expect(sink.requestCount == 3)
        let detail = try #require(try await harness.store.message(id))
        #expect(detail.message.state == .dead)
        #expect(detail.events.last?.text.contains("gave up after 3 attempts") == true)
    }

    @Test func theSameDedupeKeyTwiceIsOneMessage() async throws {
        let (harness, sink) = try Self.harness()
        let first = try await harness.enqueue(1, on: "partners", dedupeKey: "review-CSPR-7-panel")
        let second = try await harness.enqueue(1, on: "partners", dedupeKey: "review-CSPR-7-panel")
        #expect(first == second)
        _ = try await harness.runOnce(try Self.channel(sink))
        #expect(sink.requestCount == 1)
    }

    /// A once-run waits for a retry due within its wait limit (a minute), not for one due in two: that stays queued.
    @Test(.timeLimit(.minutes(1))) func aOnceRunLeavesALateRetryQueuedAndReturns() async throws {
        let (harness, sink) = try Self.harness({ _ in SinkReply(status: 503, headers: [("Retry-After", "120")]) })
        let id = try #require(try await harness.enqueue(1, on: "partners", recipient: sink.url("/hook")).first)
        let summary = try await harness.runOnce(try Self.channel(sink))
        #expect(summary.retried == 1)
        #expect(sink.requestCount == 1)
        let message = try #require(try await harness.store.message(id)?.message)
        #expect(message.state == .retrying)
        #expect(message.notBefore.timeIntervalSinceNow > 100)
    }

    /// The 503's ten-minute pause outlasts the time limit: a run with nothing left behind the pause must not wait it out.
    @Test(.timeLimit(.minutes(1))) func aMessagePastItsDeadlineExpiresUnsent() async throws {
        let (harness, sink) = try Self.harness({ _ in SinkReply(status: 503, headers: [("Retry-After", "600")]) })
        let id = try #require(try await harness.enqueue(1, on: "partners", deadline: Date().addingTimeInterval(120)).first)
        _ = try await harness.runOnce(try Self.channel(sink))
        #expect(try await harness.state(id) == .expired)
        #expect(sink.requestCount == 1)
    }

    @Test func aSleepingWorkerWakesWhenAnotherProcessEnqueues() async throws {
        let (harness, sink) = try Self.harness()
        let run = harness.start(harness.worker(try Self.channel(sink), id: "sleeper"))
        // The worker finds nothing and goes to sleep with no deadline at all.
        await run.idle()
        let other = try harness.otherStore()
        let now = Date()
        let message = NewMessage(
            id: MessageID.make(at: now), channel: "partners", kind: "notice", recipient: "r", content: [:], dataJSON: "{}", notBefore: now
        )
        _ = try await other.enqueue([EnqueueGroup(groupID: "g", messages: [message])], now: now)
        #expect(await sink.waitForRequests(count: 1, timeout: 20), "the sleeping worker did not wake for a new message")
        _ = try await run.stop()
    }
}
