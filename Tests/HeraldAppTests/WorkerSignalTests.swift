import Foundation
import HeraldTesting
import Testing

/// SIGTERM through the real binary: stop claiming, finish what is in flight within the grace period. (What outlasts the
/// grace is in `ShutdownTests`.)
@Suite struct WorkerSignalTests {
    @Test func sigtermFinishesWhatIsInFlightAndReleasesTheRest() async throws {
        let sink = try HTTPSink { _ in SinkReply(status: 204, delay: 0.5) }
        defer { sink.stop() }
        // One message a minute: the second cannot start before the signal, however slowly it arrives.
        let cli = try HeraldCLI(sinkURL: sink.url("/hook"), extraYAML: "    rate: 1/m\n")
        for reference in ["R1", "R2", "R3"] {
            let result = try await cli.run("enqueue", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"\(reference)\"}")
            #expect(result.status == 0, "\(result.stderr)")
        }
        let (worker, out, _) = try cli.start(["worker"], tag: "signalled")
        #expect(await sink.waitForRequests(count: 1, timeout: 10))
        kill(worker.processIdentifier, SIGTERM)
        await HeraldCLI.waitForExit(worker)
        #expect(worker.terminationReason == .exit)
        #expect(worker.terminationStatus == 0)
        let summary = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        #expect(summary.contains("delivered 1"), "\(summary)")

        let delivered = try await cli.run("log", "--state", "delivered", "--json")
        let deliveredRows = try JSONSerialization.jsonObject(with: Data(delivered.stdout.utf8)) as? [[String: Any]]
        #expect(deliveredRows?.count == 1)
        let waiting = try await cli.run("log", "--state", "scheduled", "--json")
        let waitingRows = try JSONSerialization.jsonObject(with: Data(waiting.stdout.utf8)) as? [[String: Any]]
        #expect(waitingRows?.count == 2, "the messages not yet sent must be back in the queue, not leased to a dead worker")
        #expect(sink.requestCount == 1)
    }
}
