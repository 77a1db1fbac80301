import Foundation
import HeraldCore
import HeraldRules
import HeraldStore
import HeraldStoreSQLite
import HeraldTesting
import HeraldWorker
import Testing

/// A receiver that is down, through the real worker, store and libcurl engine: a run of failures opens the circuit,
/// the channel sends nothing for the cooldown, then one probe at a time until one is answered.
@Suite struct CircuitTests {
    @Test func aFailingReceiverIsLeftAloneAndOneProbeAtATimeFindsItBack() async throws {
        let harness = try WorkerHarness(handler: SinkReply.sequence(Array(repeating: SinkReply(status: 503), count: 4), then: SinkReply(status: 204)))
        let ids = try await harness.enqueue(6)
        let channel = try harness.channel(
            maxInFlight: 1, retry: RetryPolicy(base: 0.01, cap: 0.02, maxAttempts: 3), circuit: CircuitPolicy(failures: 3, cooldown: 1, maxCooldown: 2)
        )
        let summary = try await harness.runOnce(channel)
        #expect(summary.delivered == 6)
        #expect(summary.dead == 0)

        // Three failures open it; the first probe fails and doubles the cooldown; the second is answered.
        let arrivals = harness.sink.requests.map(\.arrivedAt)
        #expect(arrivals.count == 10)
        let gaps = zip(arrivals.dropFirst(), arrivals).map { $0.timeIntervalSince($1) }
        #expect(gaps.count == 9)
        #expect(gaps[2] >= 0.95, "the first probe came \(gaps[2]) s after the circuit opened for 1 s")
        #expect(gaps[3] >= 1.95, "the second probe came \(gaps[3]) s after the circuit reopened for 2 s")

        // The outage cost each message at most one attempt.
        for id in ids {
            let detail = try #require(try await harness.store.message(id))
            #expect(detail.message.state == .delivered)
            #expect(detail.attempts.count <= 2)
        }
    }
}
