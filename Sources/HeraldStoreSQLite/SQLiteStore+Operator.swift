import Foundation
import GRDB
import HeraldCore
import HeraldStore

extension SQLiteStore {
    public func retry(_ ids: [MessageID], actor: String, now: Date) async throws -> [MessageID] {
        let changed = try await auditedWrite("reschedule the messages") { db, audit in
            var changed: [MessageID] = []
            for id in ids {
                try db.execute(
                    sql: """
                        UPDATE messages SET state = 'scheduled', not_before = :now, retry_base = attempts, deadline = NULL,
                                            unanswered_since = NULL, updated_at = :now
                        WHERE id = :id AND state IN ('dead', 'unconfirmed', 'expired', 'cancelled')
                        """,
                    arguments: ["now": now.millis, "id": id.rawValue]
                )
                if db.changesCount > 0 {
                    try audit.append("retried", message: id, detail: "rescheduled by \(actor)", at: now)
                    changed.append(id)
                }
            }
            return changed
        }
        return changed
    }

    public func retryDead(channel: String?, actor: String, now: Date) async throws -> [MessageID] {
        let ids = try await read("find dead messages") { db in
            try String.fetchAll(
                db,
                sql: "SELECT id FROM messages WHERE state = 'dead' AND (:channel IS NULL OR channel = :channel) ORDER BY id",
                arguments: ["channel": channel]
            )
        }
        return try await retry(ids.map(MessageID.init(rawValue:)), actor: actor, now: now)
    }

    public func cancel(_ ids: [MessageID], actor: String, now: Date) async throws -> [MessageID] {
        try await auditedWrite("cancel the messages") { db, audit in
            var changed: [MessageID] = []
            for id in ids {
                try db.execute(
                    sql: """
                        UPDATE messages SET state = 'cancelled', updated_at = ?
                        WHERE id = ? AND state IN ('held', 'scheduled', 'retrying', 'unconfirmed')
                        """,
                    arguments: [now.millis, id.rawValue]
                )
                if db.changesCount > 0 {
                    try audit.append("cancelled", message: id, detail: "by \(actor)", at: now)
                    changed.append(id)
                }
            }
            return changed
        }
    }

    public func resolveDelivered(_ id: MessageID, url: String, actor: String, now: Date) async throws -> Bool {
        try await auditedWrite("record the post found by hand") { db, audit in
            try db.execute(
                sql: """
                    UPDATE messages SET state = 'delivered', post_url = ?, last_detail = ?, updated_at = ?
                    WHERE id = ? AND state = 'unconfirmed'
                    """,
                arguments: [url, "found by \(actor): \(url)", now.millis, id.rawValue]
            )
            guard db.changesCount > 0 else { return false }
            try audit.append("resolved", message: id, detail: "delivered, post found by \(actor) at \(url)", at: now)
            return true
        }
    }

    public func message(_ id: MessageID) async throws -> MessageDetail? {
        try await read("read the message") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(MessageRow.columns) FROM messages WHERE id = ?", arguments: [id.rawValue])
            else { return nil }
            let attempts = try Self.attempts(of: id, db: db)
            let events = try Row.fetchAll(
                db, sql: "SELECT * FROM audit_events WHERE message_id = ? ORDER BY seq", arguments: [id.rawValue]
            ).map(Self.auditEvent(from:))
            return MessageDetail(message: try MessageRow.message(from: row), attempts: attempts, events: events)
        }
    }

    public func messages(matching query: MessageQuery) async throws -> [Message] {
        try await read("list messages") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(MessageRow.columns) FROM messages
                    WHERE (:state IS NULL OR state = :state) AND (:channel IS NULL OR channel = :channel)
                      AND (:kind IS NULL OR kind = :kind) AND (:since IS NULL OR created_at >= :since)
                    ORDER BY id DESC LIMIT :limit
                    """,
                arguments: [
                    "state": query.state?.rawValue, "channel": query.channel, "kind": query.kind, "since": query.since?.millis,
                    "limit": query.limit,
                ]
            ).map(MessageRow.message(from:))
        }
    }

    public func stateCounts() async throws -> StateCounts {
        try await read("count messages") { db in
            var counts: StateCounts = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM messages GROUP BY state") {
                if let state = MessageState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    public func verifyAudit() async throws -> AuditVerification {
        try await read("read the audit trail") { db in
            var verifier = AuditChain.Verifier()
            var faults: [String] = []
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit_events ORDER BY seq")
            while let row = try cursor.next() {
                if let fault = verifier.check(Self.auditEvent(from: row)) { faults.append(fault) }
            }
            let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_head WHERE id = 1")
            let headSequence: Int64 = head?["seq"] ?? 0
            let headHash: String = head?["hash"] ?? AuditChain.genesis
            if headSequence != verifier.lastSequence || headHash != verifier.expectedPrevious {
                faults.append(
                    "the chain ends at event \(verifier.lastSequence) but its recorded head is event \(headSequence): the newest events were deleted or altered"
                )
            }
            return AuditVerification(eventsChecked: verifier.checked, faults: faults)
        }
    }

    static func attempts(of id: MessageID, db: Database) throws -> [AttemptRecord] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT number, started_at, duration_ms, outcome, status, detail, worker, post_id, post_url FROM attempts
                WHERE message_id = ? ORDER BY rowid
                """,
            arguments: [id.rawValue]
        ).map { row in
            AttemptRecord(
                number: row["number"], startedAt: Date(millis: row["started_at"]),
                duration: Double(row["duration_ms"] as Int64) / 1000, outcome: row["outcome"], status: row["status"],
                detail: row["detail"], worker: row["worker"],
                post: (row["post_id"] as String?).map { PublishedPost(id: $0, url: row["post_url"]) }
            )
        }
    }

    static func auditEvent(from row: Row) -> AuditEvent {
        let message: String? = row["message_id"]
        return AuditEvent(
            sequence: row["seq"], messageID: message.map(MessageID.init(rawValue:)), atMillis: row["at"], event: row["event"],
            detail: row["detail"], previousHash: row["prev_hash"], hash: row["hash"]
        )
    }
}
