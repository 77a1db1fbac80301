import Foundation
import HeraldCore
import HeraldStore
import HeraldStoreSQLite
import HeraldTesting
import HeraldTransport
import HeraldWorker
import Testing

/// Two workers on one database, each with its own connection and its own transport, so every request is known to
/// come from one of them: a message in one worker's hands is never sent by the other, however long it waits there.
@Suite(.timeLimit(.minutes(2))) struct LeaseTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// Webhook ids each transport sent.
    static func sent(_ transport: InMemoryTransport) -> Set<String> {
        Set(transport.requests.compactMap { $0.header("webhook-id") })
    }

    /// Two workers' parts on one database: the first worker's receiver holds every request (`slow`), the second's
    /// answers at once (`fast`). The first worker is started with one transfer slot and has its first request out.
    final class Pair {
        let clock = ManualClock(LeaseTests.start)
        let slow: InMemoryTransport
        let fast: InMemoryTransport
        let harness: WorkerHarness
        let ids: [MessageID]
        let first: RunningWorker
        private var secondHarness: WorkerHarness?

        init(messages: Int, lease: TimeInterval) async throws {
            slow = InMemoryTransport(clock: clock) { _ in .hold }
            fast = InMemoryTransport(clock: clock)
            harness = try WorkerHarness(clock: clock, transport: slow)
            ids = try await harness.enqueue(messages, on: "partners")
            first = harness.start(harness.worker([try WorkerHarness.webhookChannel(maxInFlight: 1)], id: "first", lease: lease, maxInFlight: 1))
            await first.idle()
        }

        /// Starts the second worker, on its own connection to the database and its own transport.
        func startSecond(lease: TimeInterval, maxInFlight: Int? = nil) throws -> RunningWorker {
            let other = try WorkerHarness(clock: clock, transport: fast)
            secondHarness = other
            let channel = try maxInFlight.map { try WorkerHarness.webhookChannel(maxInFlight: $0) } ?? WorkerHarness.webhookChannel()
            return other.start(other.worker([channel], id: "second", lease: lease, store: try harness.otherStore()))
        }
    }

    /// The first worker's receiver holds every request for far longer than the 10 s lease, so its in-flight message
    /// and the one it claimed ahead stay in its hands for half a minute; the second worker runs beside it throughout.
    @Test func aMessageHeldLongerThanTheLeaseIsNotSentByAnotherWorker() async throws {
        let pair = try await Pair(messages: 6, lease: 10)
        let (clock, slow, fast, harness, ids, first) = (pair.clock, pair.slow, pair.fast, pair.harness, pair.ids, pair.first)
        #expect(slow.requestCount == 1)
        let second = try pair.startSecond(lease: 10, maxInFlight: 4)
        for _ in 0..<30 {
            clock.advance(by: 1)
            await first.idle()
            await second.idle()
        }
        #expect(Self.sent(fast).count == 4, "the second worker should have sent the four messages the first did not hold")
        #expect(Self.sent(slow).isDisjoint(with: Self.sent(fast)))

        // The first worker's receiver answers at last: it sends the message it held ready, and nothing else.
        for _ in 0..<5 {
            slow.answerAll(with: .http(204))
            clock.advance(by: 1)
            await first.idle()
            await second.idle()
        }
        _ = try await first.stop()
        _ = try await second.stop()
        #expect(Self.sent(slow).count == 2)
        #expect(Self.sent(slow).isDisjoint(with: Self.sent(fast)), "a message was sent by both workers")
        #expect(slow.requestCount + fast.requestCount == 6)
        for id in ids {
            let detail = try await harness.detail(id)
            #expect(detail.message.state == .delivered)
            #expect(detail.attempts.count == 1)
        }
    }

    /// The wall clock jumps 70 s ahead, past every lease as the other workers reckon it. The worker notices within
    /// seconds (its own leases run on uptime), renews what it holds, and the other worker takes none of it.
    @Test func aWallClockStepIsNoticedAndTheLeasesHeldAreRenewedBeforeAnotherWorkerLooks() async throws {
        let pair = try await Pair(messages: 2, lease: 60)
        let (clock, slow, fast, harness, ids, first) = (pair.clock, pair.slow, pair.fast, pair.harness, pair.ids, pair.first)
        #expect(slow.requestCount == 1)
        clock.stepWall(by: 70)
        clock.advance(by: 10)
        await first.idle()
        let second = try pair.startSecond(lease: 60)
        await second.idle()
        #expect(fast.requestCount == 0, "the other worker took a message whose lease the step seemed to end")
        slow.answerAll(with: .http(204))
        await first.idle()
        slow.answerAll(with: .http(204))
        await first.idle()
        _ = try await first.stop()
        _ = try await second.stop()
        #expect(Self.sent(slow).count == 2)
        #expect(fast.requestCount == 0)
        for id in ids { #expect(try await harness.state(id) == .delivered) }
    }

    /// If the other worker does take a message claimed ahead (it looked right after the step), the worker that held it
    /// does not send it: a message starts only within both reckonings of its lease.
    @Test func aMessageClaimedAheadThatAnotherWorkerTookAfterAStepIsNotSentTwice() async throws {
        let pair = try await Pair(messages: 2, lease: 60)
        let (clock, slow, fast, ids, first) = (pair.clock, pair.slow, pair.fast, pair.ids, pair.first)
        clock.stepWall(by: 70)
        let second = try pair.startSecond(lease: 60)
        await second.idle()
        let taken = Self.sent(fast)
        #expect(taken.contains(ids[1].rawValue), "the second worker did not take the lapsed lease of the message claimed ahead")
        slow.answerAll(with: .http(204))
        clock.advance(by: 10)
        await first.idle()
        _ = try await first.stop()
        _ = try await second.stop()
        #expect(!Self.sent(slow).contains(ids[1].rawValue), "the first worker sent a message whose lease had run out")
    }
}
