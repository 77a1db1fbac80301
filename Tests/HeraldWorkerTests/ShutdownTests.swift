import Foundation
import HeraldCore
import HeraldStore
import HeraldStoreSQLite
import HeraldTesting
import HeraldTransport
import HeraldWorker
import Testing

/// A stop with a transfer in flight and a message claimed ahead, on the fast layer: the message whose request
/// never started is released; the one in flight is waited for until the grace ends, then recorded as interrupted and
/// retried under the same id by the next run.
@Suite(.timeLimit(.minutes(2))) struct ShutdownTests {
    @Test func onlyWhatNeverStartedIsReleasedAndATransferPastTheGraceIsRecordedAsInterrupted() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let transport = InMemoryTransport(clock: clock) { _ in .hold }
        let harness = try WorkerHarness(clock: clock, transport: transport)
        let ids = try await harness.enqueue(2, on: "partners")
        let run = harness.start(harness.worker([try WorkerHarness.webhookChannel(maxInFlight: 1)], shutdownGrace: 10, maxInFlight: 1))
        await run.idle()
        #expect(transport.requestCount == 1)
        run.worker.stop()
        await run.idle()
        clock.advance(by: 9)
        await run.idle()
        #expect(try await harness.state(ids[0]) == .sending, "the transfer in flight was given up before the grace ended")
        clock.advance(by: 1)
        let summary = try await run.finish()
        #expect(summary.interrupted == 1)
        #expect(summary.released == 1)

        let interrupted = try await harness.detail(ids[0])
        #expect(interrupted.message.state == .retrying)
        #expect(interrupted.attempts.map(\.outcome) == ["ambiguous"])
        #expect(interrupted.attempts.first?.detail.contains("interrupted") == true)
        #expect(!interrupted.events.contains { $0.event == "released" }, "a message whose request left was released as unsent")
        let released = try await harness.detail(ids[1])
        #expect(released.message.state == .scheduled)
        #expect(released.events.last?.event == "released")
        #expect(released.events.last?.detail.contains("had not started") == true)

        transport.setScript { _ in .http(204) }
        clock.advance(by: 1)
        let again = try await harness.runOnce([try WorkerHarness.webhookChannel(maxInFlight: 1)])
        #expect(again.delivered == 2)
        let sent = transport.requests.compactMap { $0.header("webhook-id") }
        #expect(sent.filter { $0 == ids[0].rawValue }.count == 2, "the interrupted webhook is sent again under its id")
        #expect(sent.filter { $0 == ids[1].rawValue }.count == 1)
        try #require(transport.requests.count == 3)
        #expect(transport.requests[0].http?.body == transport.requests.last { $0.header("webhook-id") == ids[0].rawValue }?.http?.body)
    }
}
