import Foundation
import HeraldCore
import HeraldRules
import HeraldStore
import HeraldStoreSQLite
import HeraldTesting
import HeraldWorker
import Logging
import Testing

/// Two workers on one store, as two processes would be: a receiver's "wait" told to one holds for the other.
@Suite struct SharedPauseTests {
    @Test func aPauseOneWorkerWasToldHoldsForAnotherWorker() async throws {
        let harness = try WorkerHarness(
            handler: SinkReply.sequence([SinkReply(status: 429, headers: [("Retry-After", "120")])], then: SinkReply(status: 204))
        )
        let first = try await harness.enqueue(1)
        var logger = Logger(label: "test")
        logger.logLevel = .warning

        let told = DeliveryWorker(
            store: harness.store, transport: harness.transport, channels: [try harness.channel(maxInFlight: 1)],
            configuration: .init(workerID: "told", lease: 30, shutdownGrace: 1), logger: logger
        )
        let telling = Task { try await told.run() }
        let stored = try await Self.eventually { !(try await harness.store.channelPauses(now: Date()).isEmpty) }
        told.stop()
        _ = try await telling.value
        #expect(stored, "the pause never reached the store")
        let pause = try #require(try await harness.store.channelPauses(now: Date())["partners"])
        #expect(pause.until.timeIntervalSinceNow > 100)
        #expect(pause.reason.contains("HTTP 429"))

        // A second worker with its own connection to the same database file, started after the 429.
        let later = try await harness.enqueue(3)
        let otherStore = try SQLiteStore(path: harness.directory.appendingPathComponent("herald.db").path)
        let other = DeliveryWorker(
            store: otherStore, transport: harness.transport, channels: [try harness.channel(maxInFlight: 4)],
            configuration: .init(workerID: "other", lease: 30, shutdownGrace: 1), logger: logger
        )
        let running = Task { try await other.run() }
        try await Task.sleep(for: .seconds(1.5))
        other.stop()
        let summary = try await running.value
        #expect(summary.attempts == 0)
        #expect(harness.sink.requestCount == 1, "sent inside the window: \(harness.sink.requestCount - 1)")
        for id in later { #expect(try await harness.store.message(id)?.message.attempts == 0) }
        #expect(try await harness.store.message(first[0])?.message.state == .retrying)
    }

    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
