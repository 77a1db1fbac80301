import Foundation
import GRDB
import HeraldTesting
import Synchronization
import Testing

/// A worker killed with SIGKILL mid-run loses nothing: a second worker finishes, duplicates are only what was in
/// flight and carry the same webhook-id and body, and the audit trail still verifies — until a row is edited.
@Suite struct CrashRecoveryTests {
    @Test func aKilledWorkerLosesNothingAndTheAuditTrailCatchesTampering() async throws {
        let total = 3000
        // The kill is sent from the sink's own thread when the 600th request arrives, so it lands mid-run however
        // busy the test process is.
        let workerPID = Mutex<pid_t>(0)
        let sink = try HTTPSink()
        defer { sink.stop() }
        sink.setHandler { [sink] _ in
            if sink.requestCount >= total / 5 {
                let pid = workerPID.withLock { pid in
                    defer { pid = 0 }
                    return pid
                }
                if pid > 0 { kill(pid, SIGKILL) }
            }
            return SinkReply(status: 204, delay: 0.002)
        }
        let cli = try HeraldCLI(sinkURL: sink.url("/hook"), lease: "2s", timeout: "1s")
        let line = "{\"channel\":\"partners\",\"kind\":\"notice\",\"data\":{\"reference\":\"CSPR-7\"}}"
        let batch = try cli.write(Array(repeating: line, count: total).joined(separator: "\n"), to: "batch.jsonl")
        let enqueued = try await cli.run("enqueue", "--batch", batch)
        #expect(enqueued.status == 0, "\(enqueued.stderr)")
        let ids = Set(enqueued.stdout.split(separator: "\n").map(String.init))
        #expect(ids.count == total)

        let (worker, _, _) = try cli.start(["worker"], tag: "first-worker")
        workerPID.withLock { $0 = worker.processIdentifier }
        await HeraldCLI.waitForExit(worker)
        #expect(worker.terminationReason == .uncaughtSignal)
        let atKill = sink.requestCount
        #expect(atKill < total, "the first worker finished before it was killed")

        // What the dead worker held: claimed, maybe sent, never recorded. Only these may arrive twice.
        let leased = try await cli.run("log", "--state", "sending", "--limit", "100000", "--json")
        let leasedRows = try #require(try JSONSerialization.jsonObject(with: Data(leased.stdout.utf8)) as? [[String: Any]])
        let inFlightAtKill = Set(leasedRows.compactMap { $0["id"] as? String })
        #expect(!inFlightAtKill.isEmpty)

        try await Task.sleep(for: .seconds(2.5))  // let the dead worker's leases run out
        let second = try await cli.run("worker", "--once")
        #expect(second.status == 0, "\(second.stderr)")

        var bodiesByID: [String: Set<[UInt8]>] = [:]
        var countsByID: [String: Int] = [:]
        for request in sink.requests {
            let id = try #require(request.header("webhook-id"))
            bodiesByID[id, default: []].insert(request.body)
            countsByID[id, default: 0] += 1
        }
        #expect(Set(countsByID.keys) == ids, "some messages were never delivered")
        let duplicated = Set(countsByID.filter { $0.value > 1 }.keys)
        #expect(duplicated.isSubset(of: inFlightAtKill), "a message not in flight at the kill was delivered twice")
        #expect(bodiesByID.values.allSatisfy { $0.count == 1 }, "a retry sent different bytes under the same webhook-id")

        let delivered = try await cli.run("log", "--state", "delivered", "--limit", "100000", "--json")
        let rows = try JSONSerialization.jsonObject(with: Data(delivered.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.count == total)

        let verified = try await cli.run("audit", "verify")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("audit trail intact"))

        let queue = try DatabaseQueue(path: cli.database)
        try await queue.write { db in
            try db.execute(sql: "UPDATE audit_events SET detail = 'delivered by nobody' WHERE seq = 4242")
        }
        let tampered = try await cli.run("audit", "verify")
        #expect(tampered.status != 0)
        #expect(tampered.stderr.contains("event 4242"), "\(tampered.stderr)")
    }
}
