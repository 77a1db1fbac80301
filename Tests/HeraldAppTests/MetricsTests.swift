import Foundation
import GRDB
import HTTPTypes
import HeraldTesting
import Synchronization
import Testing

/// `/metrics` after a mixed run — delivered, retried, dead, a channel paused by a 429 — read as Prometheus would and
/// checked figure by figure against the store; then again after more work, so the counters are seen to grow by
/// exactly what happened.
@Suite struct MetricsTests {
    static let throttled = """
          throttled:
            type: webhook
            url: URL
            secret: ${TEST_WEBHOOK_SECRET}
        """

    @Test func everyFigureMatchesTheStoreAfterAMixedRun() async throws {
        let seen = Mutex<[String: Int]>([:])
        let sink = try HTTPSink { request in
            if request.path == "/throttled" { return SinkReply(status: 429, headers: [("Retry-After", "3600")], body: "slow down") }
            let reference = ["R-ok", "R-dead", "R-retry"].first { request.bodyText.contains("\"\($0)") } ?? "?"
            let count = seen.withLock { seen in
                seen[reference, default: 0] += 1
                return seen[reference]!
            }
            switch reference {
            case "R-dead": return SinkReply(status: 400, body: "invalid_payload")
            case "R-retry" where count == 1: return SinkReply(status: 503, body: "busy")
            default: return SinkReply(status: 204)
            }
        }
        defer { sink.stop() }
        let fixture = try await APIFixture(
            sinkURL: sink.url("/hook"), extraYAML: Self.throttled.replacingOccurrences(of: "URL", with: sink.url("/throttled"))
        )
        for (channel, reference) in [("partners", "R-ok"), ("partners", "R-ok-2"), ("partners", "R-dead"), ("partners", "R-retry"), ("throttled", "R-ok")] {
            let enqueued = try await fixture.cli.run("enqueue", "--channel", channel, "--kind", "notice", "--data", "{\"reference\":\"\(reference)\"}")
            #expect(enqueued.status == 0, "\(enqueued.stderr)")
        }
        let worker = try await fixture.cli.run("worker", "--once")
        #expect(worker.status == 0, "\(worker.stderr)")

        let first = try await fixture.run { client in try await client.call(.get, "/metrics").text }
        let metrics = try PrometheusText(first)
        try Self.expectAgreement(metrics, database: fixture.cli.database)
        #expect(metrics["herald_messages", ["channel": "partners", "state": "delivered"]] == 3)
        #expect(metrics["herald_messages", ["channel": "partners", "state": "dead"]] == 1)
        #expect(metrics["herald_deliveries_total", ["channel": "partners", "outcome": "retry"]] == 1)
        #expect(metrics["herald_channel_paused", ["channel": "throttled"]] == 1)
        #expect(metrics["herald_channel_paused", ["channel": "partners"]] == 0)
        #expect(metrics["herald_channel_circuit_open", ["channel": "throttled"]] == 0)

        // More work, and the same server process scraped twice: counters grow by exactly what happened.
        _ = try await fixture.cli.run("enqueue", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R-ok-3\"}")
        try await fixture.run { client in
            let before = try PrometheusText(try await client.call(.get, "/metrics").text)
            #expect(try await fixture.cli.run("worker", "--once").status == 0)
            let after = try PrometheusText(try await client.call(.get, "/metrics").text)
            let delivered = ["channel": "partners", "outcome": "delivered"]
            #expect(after["herald_deliveries_total", delivered] == (before["herald_deliveries_total", delivered] ?? -1) + 1)
            #expect(after["herald_messages", ["channel": "partners", "state": "scheduled"]] == 0)
            try Self.expectAgreement(after, database: fixture.cli.database)
        }
    }

    /// Every count the metrics give is the store's own.
    static func expectAgreement(_ metrics: PrometheusText, database path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.read { db in
            for row in try Row.fetchAll(db, sql: "SELECT channel, state, count(*) FROM messages GROUP BY channel, state") {
                let labels = ["channel": row[0] as String, "state": row[1] as String]
                #expect(metrics["herald_messages", labels] == Double(row[2] as Int), "\(labels)")
            }
            let attempts = try Row.fetchAll(
                db, sql: "SELECT m.channel, a.outcome, count(*) FROM attempts a JOIN messages m ON m.id = a.message_id GROUP BY 1, 2"
            )
            #expect(!attempts.isEmpty)
            for row in attempts {
                let labels = ["channel": row[0] as String, "outcome": row[1] as String]
                #expect(metrics["herald_deliveries_total", labels] == Double(row[2] as Int), "\(labels)")
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT m.channel, count(*), sum(a.outcome = 'delivered') FROM attempts a JOIN messages m ON m.id = a.message_id GROUP BY 1"
            ) {
                let channel = ["channel": row[0] as String]
                #expect(metrics["herald_delivery_duration_seconds_count", channel] == Double(row[1] as Int), "\(channel)")
                #expect((metrics["herald_delivery_latency_seconds_count", channel] ?? 0) == Double(row[2] as Int), "\(channel)")
            }
            let events = try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_events") ?? 0
            #expect(metrics["herald_audit_events_total", [:]] == Double(events))
        }
    }
}

/// The Prometheus text format, read strictly: every sample line `name{label="value",...} number`, `# HELP`/`# TYPE`
/// comments, nothing else.
struct PrometheusText {
    private var samples: [String: Double] = [:]

    init(_ text: String) throws {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                throw ParseError(line: String(line))
            }
            let series = line[..<space]
            var name = String(series)
            var labels: [String: String] = [:]
            if let open = series.firstIndex(of: "{") {
                guard series.last == "}" else { throw ParseError(line: String(line)) }
                name = String(series[..<open])
                for pair in series[series.index(after: open)..<series.index(before: series.endIndex)].split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2, parts[1].hasPrefix("\""), parts[1].hasSuffix("\"") else { throw ParseError(line: String(line)) }
                    labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
                }
            }
            samples[Self.key(name, labels)] = value
        }
    }

    subscript(name: String, labels: [String: String]) -> Double? {
        samples[Self.key(name, labels)]
    }

    private static func key(_ name: String, _ labels: [String: String]) -> String {
        name + labels.sorted { $0.key < $1.key }.map { "|\($0.key)=\($0.value)" }.joined()
    }

    struct ParseError: Error, CustomStringConvertible {
        var line: String
        var description: String { "not a Prometheus sample line: \(line)" }
    }
}
