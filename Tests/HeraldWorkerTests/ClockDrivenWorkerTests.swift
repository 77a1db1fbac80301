import Foundation
import HeraldCore
import HeraldRules
import HeraldStore
import HeraldStoreSQLite
import HeraldTesting
import HeraldTransport
import HeraldWorker
import Testing

/// The real worker and store, with the in-memory transport and a manual clock: a pause, a rate limit and a circuit
/// are proved by advancing time and counting requests, never by waiting.
@Suite(.timeLimit(.minutes(2))) struct ClockDrivenWorkerTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let instantRetry = RetryPolicy(base: 0, cap: 0, maxAttempts: 5)

    @Test func a429PausesTheChannelUntilItsRetryAfterAndNotARequestSooner() async throws {
        let clock = ManualClock(Self.start)
        let transport = InMemoryTransport(clock: clock) { $0.index == 0 ? .http(429, headers: [("Retry-After", "120")]) : .http(204) }
        let harness = try WorkerHarness(clock: clock, transport: transport)
        let ids = try await harness.enqueue(3, on: "partners")
        let run = harness.start(harness.worker([try WorkerHarness.webhookChannel(maxInFlight: 1)]))
        await run.idle()
        #expect(transport.requestCount == 1)
        clock.advance(by: 119)
        await run.idle()
        #expect(transport.requestCount == 1, "a request went out inside the Retry-After window")
        clock.advance(by: 1)
        await run.idle()
        #expect(transport.requestCount == 4)
        _ = try await run.stop()
        for id in ids { #expect(try await harness.state(id) == .delivered) }
        let pause = try await harness.store.channelPauses(now: Self.start.addingTimeInterval(1))["partners"]
        #expect(pause?.until == Self.start.addingTimeInterval(120))
    }

    @Test func aRateOfOneAMinuteSendsOneAMinute() async throws {
        let clock = ManualClock(Self.start)
        let transport = InMemoryTransport(clock: clock)
        let harness = try WorkerHarness(clock: clock, transport: transport)
        try await harness.enqueue(3, on: "partners")
        let run = harness.start(harness.worker([try WorkerHarness.webhookChannel(rate: RateLimit(count: 1, per: 60))]))
        await run.idle()
        #expect(transport.requestCount == 1)
        clock.advance(by: 59)
        await run.idle()
        #expect(transport.requestCount == 1)
        clock.advance(by: 1)
        await run.idle()
        #expect(transport.requestCount == 2)
        clock.advance(by: 60)
        await run.idle()
        #expect(transport.requestCount == 3)
        #expect(try await run.stop().delivered == 3)
        let gaps = zip(transport.requests.dropFirst(), transport.requests).map { $0.at.timeIntervalSince($1.at) }
        #expect(gaps == [60, 60])
    }

    /// Three failures open the circuit for 30 s; the probe fails and it reopens for 60 s; the next probe is answered.
    @Test func anOpenCircuitSendsNothingUntilItsProbeAndOneProbeAtATime() async throws {
        let clock = ManualClock(Self.start)
        let transport = InMemoryTransport(clock: clock) { $0.index < 4 ? .http(503) : .http(204) }
        let harness = try WorkerHarness(clock: clock, transport: transport)
        let ids = try await harness.enqueue(6, on: "partners")
        let channel = try WorkerHarness.webhookChannel(
            maxInFlight: 1, retry: Self.instantRetry, circuit: CircuitPolicy(failures: 3, cooldown: 30, maxCooldown: 120)
        )
        let run = harness.start(harness.worker([channel]))
        await run.idle()
        #expect(transport.requestCount == 3)
        clock.advance(by: 29)
        await run.idle()
        #expect(transport.requestCount == 3, "sent while the circuit was open")
        clock.advance(by: 1)
        await run.idle()
        #expect(transport.requestCount == 4, "the probe did not go, or more than one did")
        clock.advance(by: 59)
        await run.idle()
        #expect(transport.requestCount == 4)
        clock.advance(by: 1)
        await run.idle()
        #expect(transport.requestCount == 10)
        #expect(try await run.stop().delivered == 6)
        // The outage cost four attempts in all, not one per queued message per try: nothing died of it.
        for id in ids { #expect(try await harness.state(id) == .delivered) }
    }

    /// A receiver's "wait" told to one worker holds for a second worker on the same database, started after it.
    @Test func aPauseOneWorkerWasToldHoldsForAnother() async throws {
        let clock = ManualClock(Self.start)
        let told = InMemoryTransport(clock: clock) { _ in .http(429, headers: [("Retry-After", "120")]) }
        let harness = try WorkerHarness(clock: clock, transport: told)
        let first = try await harness.enqueue(1, on: "partners")
        let telling = harness.start(harness.worker([try WorkerHarness.webhookChannel(maxInFlight: 1)], id: "told"))
        await telling.idle()
        _ = try await telling.stop()
        #expect(told.requestCount == 1)

        let later = try await harness.enqueue(3, on: "partners")
        let other = InMemoryTransport(clock: clock)
        let secondHarness = try WorkerHarness(clock: clock, transport: other)
        let otherStore = try harness.otherStore()
        let second = secondHarness.start(secondHarness.worker([try WorkerHarness.webhookChannel(maxInFlight: 4)], id: "other", store: otherStore))
        await second.idle()
        clock.advance(by: 100)
        await second.idle()
        #expect(other.requestCount == 0, "the second worker sent inside the first one's pause")
        clock.advance(by: 20)
        await second.idle()
        #expect(other.requestCount == 4)
        _ = try await second.stop()
        for id in later + first { #expect(try await otherStore.message(id)?.message.state == .delivered) }
    }

    @Test func threeChannelsWithOneTransferAtATimeAreAllServedInOneOnceRun() async throws {
        let clock = ManualClock(Self.start)
        let transport = InMemoryTransport(clock: clock)
        let harness = try WorkerHarness(clock: clock, transport: transport)
        var channels: [WorkerChannel] = []
        for name in ["a", "b", "c"] {
            try await harness.enqueue(3, on: name, recipient: "https://\(name).example.test/hook")
            channels.append(try WorkerHarness.webhookChannel(name, url: "https://\(name).example.test/hook"))
        }
        let summary = try await harness.runOnce(channels, maxInFlight: 1)
        #expect(summary.delivered == 9)
        let order = transport.requests.compactMap { $0.http?.url.dropFirst("https://".count).prefix(1) }.map(String.init)
        // Every round of three serves each channel once, whatever the order within it.
        #expect(order.count == 9)
        for round in stride(from: 0, to: order.count, by: 3) { #expect(Set(order[round..<min(round + 3, order.count)]) == ["a", "b", "c"], "\(order)") }
    }

    @Test func fortyChannelsAtTheDefaultSettingsAreAllServedInOneOnceRun() async throws {
        let clock = ManualClock(Self.start)
        let transport = InMemoryTransport(clock: clock)
        let harness = try WorkerHarness(clock: clock, transport: transport)
        var channels: [WorkerChannel] = []
        for number in 1...40 {
            let name = String(format: "channel%02d", number)
            try await harness.enqueue(3, on: name)
            channels.append(try WorkerHarness.webhookChannel(name, url: "https://hooks.example.test/\(name)", maxInFlight: 32, timeout: 30))
        }
        let summary = try await harness.worker(channels, lease: 60, maxInFlight: 256, once: true).deliver()
        #expect(summary.delivered == 120)
        let perChannel = Dictionary(grouping: transport.requests.compactMap { $0.http?.url }, by: { $0 }).mapValues(\.count)
        #expect(perChannel.count == 40)
        #expect(perChannel.values.allSatisfy { $0 == 3 })
    }
}
