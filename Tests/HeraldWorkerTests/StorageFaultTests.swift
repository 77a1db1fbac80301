import Foundation
import HeraldCore
import HeraldStore
import HeraldStoreSQLite
import HeraldTesting
import HeraldTransport
import HeraldWorker
import Testing

/// Another process holds the database's write lock for longer than the worker's busy timeout while deliveries
/// finish: the worker keeps running, starts nothing it could not record, and records every attempt once the lock is
/// released — nothing is lost and nothing is sent twice.
@Suite(.timeLimit(.minutes(2))) struct StorageFaultTests {
    @Test func aLockedDatabaseIsWaitedOutAndEveryAttemptRecordedOnce() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let transport = InMemoryTransport(clock: clock) { _ in .hold }
        let harness = try WorkerHarness(clock: clock, transport: transport, busyTimeout: 0.2)
        let ids = try await harness.enqueue(6, on: "partners")
        let run = harness.start(harness.worker([try WorkerHarness.webhookChannel(maxInFlight: 2)], maxInFlight: 2))
        await run.idle()
        #expect(transport.requestCount == 2)

        // Two transfers finish while another process holds the lock: the two claimed ahead start at once (the worker
        // cannot know yet that the store will refuse), then nothing more, however often the store is tried.
        let lock = try await DatabaseLock(path: harness.databasePath)
        transport.answerAll(with: .http(204))
        await run.idle()
        #expect(transport.requestCount == 4)
        transport.answerAll(with: .http(204))
        await run.idle()
        for _ in 0..<3 {
            clock.advance(by: 5)
            await run.idle()
        }
        #expect(transport.requestCount == 4, "the worker claimed and started more while it could not record")
        for id in ids { #expect(try await harness.detail(id).attempts.isEmpty) }

        await lock.release()
        for _ in 0..<3 {
            clock.advance(by: 5)
            await run.idle()
            transport.answerAll(with: .http(204))
            await run.idle()
        }
        let summary = try await run.stop()
        #expect(summary.delivered == 6)
        #expect(transport.requestCount == 6, "a message was sent twice")
        #expect(Set(transport.requests.compactMap { $0.header("webhook-id") }).count == 6)
        for id in ids {
            let detail = try await harness.detail(id)
            #expect(detail.message.state == .delivered)
            #expect(detail.attempts.count == 1)
        }
    }
}
