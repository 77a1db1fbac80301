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

@Suite struct DeliveryWorkerTests {
    @Test func deliversWithASignatureAnIndependentCheckAccepts() async throws {
        let harness = try WorkerHarness()
        let ids = try await harness.enqueue(3)
        let summary = try await harness.runOnce(try harness.channel())
        #expect(summary.delivered == 3)
        #expect(harness.sink.requestCount == 3)
        let key = SymmetricKey(data: Data(base64Encoded: String(WorkerHarness.secret.dropFirst("whsec_".count)))!)
        for request in harness.sink.requests {
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
        let harness = try WorkerHarness(handler: SinkReply.sequence([SinkReply(status: 503)], then: SinkReply(status: 200, body: "ok")))
        let id = try #require(try await harness.enqueue().first)
        let summary = try await harness.runOnce(try harness.channel())
        #expect(summary.delivered == 1)
        #expect(summary.retried == 1)
        let detail = try #require(try await harness.store.message(id))
        #expect(detail.message.state == .delivered)
        #expect(detail.attempts.map(\.number) == [1, 2])
        #expect(detail.attempts.map(\.status) == [503, 200])
        #expect(Set(harness.sink.requests.compactMap { $0.header("webhook-id") }) == [id.rawValue])
        try #require(harness.sink.requests.count == 2)
        #expect(harness.sink.requests[0].body == harness.sink.requests[1].body)
    }

    @Test func a429WithRetryAfterPausesTheChannelForTheWholeWindow() async throws {
        let harness = try WorkerHarness(
            handler: SinkReply.sequence([SinkReply(status: 429, headers: [("Retry-After", "2")])], then: SinkReply(status: 204))
        )
        try await harness.enqueue(3)
        let summary = try await harness.runOnce(try harness.channel(maxInFlight: 1))
        #expect(summary.delivered == 3)
        let arrivals = harness.sink.requests.map(\.arrivedAt)
        #expect(arrivals.count == 4)
        let window = arrivals[0].addingTimeInterval(1.9)
        #expect(arrivals.dropFirst().allSatisfy { $0 >= window }, "a request arrived inside the Retry-After window: \(arrivals)")
    }

    @Test func a400IsDeadAfterOneAttempt() async throws {
        let harness = try WorkerHarness(handler: { _ in SinkReply(status: 400, body: "invalid_payload") })
        let id = try #require(try await harness.enqueue().first)
        let summary = try await harness.runOnce(try harness.channel())
        #expect(summary.dead == 1)
        #expect(harness.sink.requestCount == 1)
        let detail = try #require(try await harness.store.message(id))
        #expect(detail.message.state == .dead)
        #expect(detail.attempts.count == 1)
        #expect(detail.attempts[0].detail.contains("invalid_payload"))
    }

    @Test func aTimeoutIsRetriedAndThenDelivered() async throws {
        let harness = try WorkerHarness(
            handler: SinkReply.sequence([SinkReply(status: 204, delay: 3)], then: SinkReply(status: 204))
        )
        let id = try #require(try await harness.enqueue().first)
        let summary = try await harness.runOnce(try harness.channel(timeout: 1))
        #expect(summary.delivered == 1)
        let detail = try #require(try await harness.store.message(id))
        #expect(detail.attempts.count == 2)
        #expect(detail.attempts[0].outcome == "ambiguous")
        #expect(detail.attempts[0].detail.contains("timeout"))
        #expect(detail.attempts[0].status == nil)
    }

    @Test func runningOutOfAttemptsIsDead() async throws {
        let harness = try WorkerHarness(handler: { _ in SinkReply(status: 500) })
        let id = try #require(try await harness.enqueue().first)
        let summary = try await harness.runOnce(try harness.channel(retry: RetryPolicy(base: 0.01, cap: 0.05, maxAttempts: 3)))
        #expect(summary.dead == 1)
        #expect(harness.sink.requestCount == 3)
        let detail = try #require(try await harness.store.message(id))
        #expect(detail.message.state == .dead)
        #expect(detail.events.last?.detail.contains("gave up after 3 attempts") == true)
    }

    @Test func theSameDedupeKeyTwiceIsOneMessage() async throws {
        let harness = try WorkerHarness()
        let first = try await harness.enqueue(key: "review-CSPR-7-panel")
        let second = try await harness.enqueue(key: "review-CSPR-7-panel")
        #expect(first == second)
        _ = try await harness.runOnce(try harness.channel())
        #expect(harness.sink.requestCount == 1)
    }

    /// A once-run waits for a retry due within its wait limit (a minute), not for one due in two: that stays queued.
    @Test(.timeLimit(.minutes(1))) func aOnceRunLeavesALateRetryQueuedAndReturns() async throws {
        let harness = try WorkerHarness(handler: { _ in SinkReply(status: 503, headers: [("Retry-After", "120")]) })
        let id = try #require(try await harness.enqueue().first)
        let summary = try await harness.runOnce(try harness.channel())
        #expect(summary.retried == 1)
        #expect(harness.sink.requestCount == 1)
        let message = try #require(try await harness.store.message(id)?.message)
        #expect(message.state == .retrying)
        #expect(message.notBefore.timeIntervalSinceNow > 100)
    }

    /// The 503's ten-minute pause outlasts the time limit: a run with nothing left behind the pause must not wait it out.
    @Test(.timeLimit(.minutes(1))) func aMessagePastItsDeadlineExpiresUnsent() async throws {
        let harness = try WorkerHarness(handler: { _ in SinkReply(status: 503, headers: [("Retry-After", "600")]) })
        let id = try #require(try await harness.enqueue(deadline: Date().addingTimeInterval(120)).first)
        _ = try await harness.runOnce(try harness.channel())
        #expect(try await harness.state(id) == .expired)
        #expect(harness.sink.requestCount == 1)
    }

    @Test func stopReleasesWhatIsStillInFlightAfterTheGracePeriod() async throws {
        // The reply takes far longer than the grace period, however slowly a loaded machine starts the delivery.
        let harness = try WorkerHarness(handler: { _ in SinkReply(status: 204, delay: 20) })
        let id = try #require(try await harness.enqueue().first)
        let worker = DeliveryWorker(
            store: harness.store, transport: harness.transport, channels: [try harness.channel(timeout: 30)],
            configuration: .init(workerID: "stopping", lease: 60, shutdownGrace: 0.5, maxInFlight: 4), logger: .init(label: "t")
        )
        let run = Task { try await worker.run() }
        #expect(await harness.sink.waitForRequests(count: 1, timeout: 15))
        worker.stop()
        let summary = try await run.value
        #expect(summary.released == 1)
        #expect(try await harness.state(id) == .scheduled)
    }

    @Test func aSleepingWorkerWakesWhenAnotherProcessEnqueues() async throws {
        let harness = try WorkerHarness()
        let worker = DeliveryWorker(
            store: harness.store, transport: harness.transport, channels: [try harness.channel()],
            configuration: .init(workerID: "sleeper", lease: 30, shutdownGrace: 1, maxInFlight: 4), logger: .init(label: "t")
        )
        let run = Task { try await worker.run() }
        try await Task.sleep(for: .milliseconds(300))  // the worker finds nothing and goes to sleep for up to an hour
        let other = try SQLiteStore(path: harness.directory.appendingPathComponent("herald.db").path)
        let now = Date()
        let message = NewMessage(
            id: MessageID.make(at: now), channel: "partners", kind: "notice", recipient: "r", content: [:], dataJSON: "{}", notBefore: now
        )
        _ = try await other.enqueue([EnqueueGroup(groupID: "g", messages: [message])], now: now)
        #expect(await harness.sink.waitForRequests(count: 1, timeout: 20), "the sleeping worker did not wake for a new message (it sleeps up to an hour)")
        worker.stop()
        _ = try await run.value
    }
}
