import Foundation
import GRDB
import HeraldCore
import HeraldStore

extension SQLiteStore {
    public func claim(_ requests: [ClaimRequest], worker: String, lease: TimeInterval, now: Date) async throws -> [ClaimedMessage] {
        try await auditedWrite("claim due messages", durability: .relaxed) { db, audit in
            try Self.claim(requests, db: db, audit: &audit, worker: worker, lease: lease, now: now)
        }
    }

    public func completeAndClaim(
        _ completions: [Completion], claims requests: [ClaimRequest], worker: String, lease: TimeInterval, now: Date
    ) async throws -> [ClaimedMessage] {
        let claimed = try await auditedWrite("record attempts and claim due messages", durability: .relaxed) { db, audit in
            try Self.record(completions, db: db, audit: &audit, worker: worker, now: now)
            return try Self.claim(requests, db: db, audit: &audit, worker: worker, lease: lease, now: now)
        }
        if completions.contains(where: { if case .retry = $0.transition { true } else { false } }) { wake.signal() }
        return claimed
    }

    private static func claim(
        _ requests: [ClaimRequest], db: Database, audit: inout SQLiteAuditAppender, worker: String, lease: TimeInterval, now: Date
    ) throws -> [ClaimedMessage] {
        try Self.expireOverdue(db, audit: &audit, now: now)
        var claimed: [ClaimedMessage] = []
        for request in requests where request.limit > 0 {
            // A channel another worker was told to pause gives nothing out until the pause ends.
            if let pausedUntil = try pausedUntil(request.channel, db: db), pausedUntil > now.millis { continue }
            let leaseExpires = now.addingTimeInterval(lease)
            var remaining = request.limit
            for (condition, note) in [
                // A worker never takes back its own lapsed lease: the delivery is still in its hands, and a second
                // one would send the message twice.
                ("state = 'sending' AND lease_expires <= ?3 AND lease_owner <> ?1", "lease of another worker ran out; "),
                ("state IN ('scheduled', 'retrying') AND not_before <= ?3", ""),
            ] where remaining > 0 {
                let update = RawStatement(
                    try db.cachedStatement(
                        sql: """
                            UPDATE messages
                            SET state = 'sending', lease_owner = ?1, lease_expires = ?2, attempts = attempts + 1, updated_at = ?3
                            WHERE id IN (SELECT id FROM messages WHERE channel = ?4 AND \(condition)
                                         ORDER BY not_before, id LIMIT ?5)
                            RETURNING \(MessageRow.columns)
                            """
                    )
                )
                update.bind(1, worker)
                update.bind(2, leaseExpires.millis)
                update.bind(3, now.millis)
                update.bind(4, request.channel)
                update.bind(5, remaining)
                var messages: [(Message, Int)] = []
                while try update.step() {
                    messages.append((try MessageRow.message(from: update), MessageRow.retryBase(from: update)))
                }
                remaining -= messages.count
                for (message, retryBase) in messages {
                    try audit.append("claimed", message: message.id, detail: "\(note)attempt \(message.attempts) by \(worker)", at: now)
                    claimed.append(
                        ClaimedMessage(
                            message: message, attemptNumber: message.attempts, attemptsInBudget: message.attempts - retryBase, leaseExpires: leaseExpires
                        )
                    )
                }
            }
        }
        return claimed
    }

    /// Moves every unsent message past its deadline to `expired`, with its audit event. It runs at every claim, so
    /// it must touch only the overdue rows: the subquery is pinned to the deadline index and the outer state test
    /// is kept off the state index (`+state`).
    static func expireOverdue(_ db: Database, audit: inout SQLiteAuditAppender, now: Date) throws {
        let statement = try db.cachedStatement(
            sql: """
                UPDATE messages SET state = 'expired', lease_owner = NULL, lease_expires = NULL, updated_at = :now
                WHERE id IN (SELECT id FROM messages INDEXED BY messages_deadline
                             WHERE deadline IS NOT NULL AND state IN ('held', 'scheduled', 'retrying', 'sending')
                               AND deadline <= :now)
                  AND (+state IN ('held', 'scheduled', 'retrying') OR (+state = 'sending' AND lease_expires <= :now))
                RETURNING id
                """
        )
        let ids = try String.fetchAll(statement, arguments: ["now": now.millis])
        for id in ids {
            try audit.append("expired", message: MessageID(rawValue: id), detail: "deadline passed before delivery", at: now)
        }
    }

    public func complete(_ completions: [Completion], worker: String, now: Date) async throws {
        guard !completions.isEmpty else { return }
        try await auditedWrite("record delivery attempts", durability: .relaxed) { db, audit in
            try Self.record(completions, db: db, audit: &audit, worker: worker, now: now)
        }
        if completions.contains(where: { if case .retry = $0.transition { true } else { false } }) { wake.signal() }
    }

    private static func record(
        _ completions: [Completion], db: Database, audit: inout SQLiteAuditAppender, worker: String, now: Date
    ) throws {
        let insertSQL = """
            INSERT INTO attempts (message_id, number, started_at, duration_ms, outcome, status, detail, worker, post_id, post_url)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        let updateSQL = """
            UPDATE messages SET state = ?, not_before = coalesce(?, not_before), lease_owner = NULL, lease_expires = NULL,
                                updated_at = ?, last_detail = ?, post_url = coalesce(?, post_url), unanswered_since = ?
            WHERE id = ? AND state = 'sending' AND lease_owner = ?
            """
        for completion in completions {
            let attempt = completion.attempt
            let insert = RawStatement(try db.cachedStatement(sql: insertSQL))
            insert.bind(1, completion.messageID.rawValue)
            insert.bind(2, attempt.number)
            insert.bind(3, attempt.startedAt.millis)
            insert.bind(4, Int64((attempt.duration * 1000).rounded()))
            insert.bind(5, attempt.outcome)
            insert.bind(6, attempt.status)
            insert.bind(7, attempt.detail)
            insert.bind(8, attempt.worker)
            insert.bind(9, attempt.post?.id)
            insert.bind(10, attempt.post?.url)
            try insert.execute()
            let (state, retryAt, event, detail) = Self.describe(completion.transition, attempt: attempt)
            let update = RawStatement(try db.cachedStatement(sql: updateSQL))
            update.bind(1, state.rawValue)
            update.bind(2, retryAt?.millis)
            update.bind(3, now.millis)
            update.bind(4, attempt.detail)
            update.bind(5, attempt.post?.url)
            update.bind(6, completion.unansweredSince?.millis)
            update.bind(7, completion.messageID.rawValue)
            update.bind(8, worker)
            if try update.execute() > 0 {
                try audit.append(event, message: completion.messageID, detail: detail, at: now)
            }
        }
    }

    private static func describe(_ transition: Transition, attempt: AttemptRecord) -> (MessageState, Date?, String, String) {
        let status = attempt.status.map { " status \($0)" } ?? ""
        switch transition {
        case .delivered:
            let post = attempt.post.map { " post \($0.url ?? $0.id)" } ?? ""
            return (.delivered, nil, "delivered", "attempt \(attempt.number)\(status)\(post)")
        case .retry(let at):
            return (.retrying, at, "retry_scheduled", "attempt \(attempt.number)\(status); next at \(RFC3339.format(at))")
        case .dead(let reason):
            return (.dead, nil, "dead", "attempt \(attempt.number)\(status): \(reason.prefix(200))")
        case .unconfirmed(let reason):
            return (.unconfirmed, nil, "unconfirmed", "attempt \(attempt.number): \(reason.prefix(200))")
        case .expired:
            return (.expired, nil, "expired", "attempt \(attempt.number)\(status); deadline passed")
        }
    }

    public func release(_ ids: [MessageID], worker: String, now: Date) async throws {
        guard !ids.isEmpty else { return }
        try await auditedWrite("release claimed messages", durability: .relaxed) { db, audit in
            let statement = try db.cachedStatement(
                sql: """
                    UPDATE messages
                    SET state = CASE WHEN attempts - 1 > retry_base THEN 'retrying' ELSE 'scheduled' END,
                        attempts = attempts - 1, lease_owner = NULL, lease_expires = NULL, updated_at = ?
                    WHERE id = ? AND state = 'sending' AND lease_owner = ?
                    """
            )
            for id in ids {
                try statement.execute(arguments: [now.millis, id.rawValue, worker])
                if db.changesCount > 0 {
                    try audit.append("released", message: id, detail: "worker \(worker) stopped before sending", at: now)
                }
            }
        }
        wake.signal()
    }

    /// Also starts watching for other processes' commits, so that one landing between this answer and the
    /// `waitForChange` that follows still wakes the sleeper.
    public func nextWakeTime(channels: [String]) async throws -> Date? {
        watcher?.arm()
        return try await read("find the next due message") { db in
            var candidates: [Int64] = []
            for channel in channels {
                // What a paused channel holds becomes claimable when the pause ends; deadlines pass regardless.
                let pausedUntil = try Self.pausedUntil(channel, db: db) ?? .min
                for (sql, waitsForPause) in [
                    ("SELECT min(not_before) FROM messages WHERE channel = ? AND state IN ('scheduled', 'retrying')", true),
                    ("SELECT min(lease_expires) FROM messages WHERE channel = ? AND state = 'sending'", true),
                    (
                        """
                        SELECT min(deadline) FROM messages
                        WHERE channel = ? AND deadline IS NOT NULL AND state IN ('held', 'scheduled', 'retrying', 'sending')
                        """, false
                    ),
                ] {
                    if let time = try Int64.fetchOne(db.cachedStatement(sql: sql), arguments: [channel]) {
                        candidates.append(waitsForPause ? max(time, pausedUntil) : time)
                    }
                }
            }
            return candidates.min().map { Date(millis: $0) }
        }
    }
}
