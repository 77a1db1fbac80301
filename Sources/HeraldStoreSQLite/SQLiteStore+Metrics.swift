import Foundation
import GRDB
import HeraldCore
import HeraldStore

extension SQLiteStore: MetricsStore {
    public func messageCounts() async throws -> [ChannelStateCount] {
        try await read("count messages by channel and state") { db in
            try Row.fetchAll(db, sql: "SELECT channel, state, count(*) FROM messages GROUP BY channel, state").compactMap { row in
                MessageState(rawValue: row[1]).map { ChannelStateCount(channel: row[0], state: $0, count: row[2]) }
            }
        }
    }

    public func attempts(after cursor: Int64, limit: Int) async throws -> (samples: [AttemptSample], cursor: Int64) {
        try await read("read attempts for the metrics") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.rowid, m.channel, a.outcome, a.duration_ms, a.started_at, m.not_before
                    FROM attempts a JOIN messages m ON m.id = a.message_id WHERE a.rowid > ? ORDER BY a.rowid LIMIT ?
                    """,
                arguments: [cursor, limit]
            )
            var next = cursor
            let samples = rows.map { row -> AttemptSample in
                next = row[0]
                let outcome: String = row[2]
                let durationMillis: Int64 = row[3]
                let ended: Int64 = row[4] + durationMillis
                let due: Int64 = row[5]
                return AttemptSample(
                    channel: row[1], outcome: outcome, duration: Double(durationMillis) / 1000,
                    latency: outcome == "delivered" ? Double(max(0, ended - due)) / 1000 : nil
                )
            }
            return (samples, next)
        }
    }

    public func auditEventCount() async throws -> Int64 {
        try await read("count audit events") { db in
            // Events are numbered from 1 and never deleted (the chain would break), so the last number is the count,
            // read from the end of the primary key rather than by a scan.
            try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM audit_events") ?? 0
        }
    }
}
