import Foundation
import GRDB
import HeraldCore
import HeraldStore

extension SQLiteStore {
    /// The claim's two passes, built once: first messages whose lease another worker let run out (a worker never takes
    /// back its own lapsed lease: the delivery is still in its hands, and a second one would send the message twice),
    /// then due messages. `?1` worker, `?2` lease end, `?3` now, `?4` channel, `?5` limit.
    private static let claimPasses: [(sql: String, afterLapse: Bool)] = [
        ("state = \(leased) AND lease_expires <= ?3 AND lease_owner <> ?1", true),
        ("state IN \(dueStates) AND not_before <= ?3", false),
    ].map { condition, afterLapse in
        (
            """
            UPDATE messages
            SET state = \(leased), lease_owner = ?1, lease_expires = ?2, attempts = attempts + 1, updated_at = ?3
            WHERE id IN (SELECT id FROM messages WHERE channel = ?4 AND \(condition)
                         ORDER BY not_before, id LIMIT ?5)
            RETURNING \(MessageRow.columns)
            """,
            afterLapse
        )
    }

    // The backlog's reads, built once; the states are the lifecycle table's, as the partial indexes spell them.
    private static let dueCountSQL = """
        SELECT count(*) FROM (SELECT 1 FROM messages
                              WHERE channel = ? AND state IN \(dueStates) AND not_before <= ? LIMIT ?)
        """
    private static let lapsedCountSQL = """
        SELECT count(*) FROM (SELECT 1 FROM messages
                              WHERE channel = ? AND state = \(leased) AND lease_expires <= ? AND lease_owner <> ? LIMIT ?)
        """
    private static let nextDueSQL = "SELECT min(not_before) FROM messages WHERE channel = ? AND state IN \(dueStates)"
    private static let nextLapseSQL = "SELECT min(lease_expires) FROM messages WHERE channel = ? AND state = \(leased) AND lease_owner <> ?"
    /// The same state terms as the partial index, so it is used; a message being sent expires only once its lease
    /// has run out, which the claim that takes it notices.
    private static let nextDeadlineSQL = """
        SELECT min(deadline) FROM messages
        WHERE channel = ? AND deadline IS NOT NULL AND state IN \(unsentStates)
          AND +state <> \(leased)
        """

    /// Takes up to each request's limit of due messages of its channel under a lease for `worker`: first those whose
    /// lease another worker let run out, then the oldest due. A channel paused in the store gives nothing out.
    static func claim(
        _ requests: [ClaimRequest], db: Database, audit: inout SQLiteAuditAppender, worker: String, lease: TimeInterval, now: Date
    ) throws -> [ClaimedMessage] {
        var claimed: [ClaimedMessage] = []
        for request in requests where request.limit > 0 {
            if let pause = try pause(of: request.channel, db: db), pause.until > now { continue }
            let leaseExpires = now.addingTimeInterval(lease)
            var remaining = request.limit
            for (sql, afterLapse) in claimPasses where remaining > 0 {
                let update = RawStatement(try db.cachedStatement(sql: sql))
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
                    try audit.append(
                        .claimed(attempt: message.attempts, worker: worker, afterLapse: afterLapse), message: message.id, at: now,
                        binding: .init(state: message.state)
                    )
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

    /// What waits on each channel after the turn: due now (up to `limit`), next due, next deadline, and its pause.
    static func backlog(of channels: [String], limit: Int, worker: String, db: Database, now: Date) throws -> [String: ChannelBacklog] {
        var backlog: [String: ChannelBacklog] = [:]
        let nowMillis = now.millis
        for channel in channels {
            var entry = ChannelBacklog()
            if let pause = try pause(of: channel, db: db), pause.until > now { entry.pause = pause }
            if entry.pause == nil {
                let due = try Int.fetchOne(db.cachedStatement(sql: dueCountSQL), arguments: [channel, nowMillis, limit]) ?? 0
                let lapsed = try Int.fetchOne(db.cachedStatement(sql: lapsedCountSQL), arguments: [channel, nowMillis, worker, limit]) ?? 0
                entry.due = min(limit, due + lapsed)
            }
            let next = [
                try Int64.fetchOne(db.cachedStatement(sql: nextDueSQL), arguments: [channel]),
                try Int64.fetchOne(db.cachedStatement(sql: nextLapseSQL), arguments: [channel, worker]),
            ].compactMap { $0 }
            if let earliest = next.min() {
                entry.nextDue = Date(millis: max(earliest, entry.pause?.until.millis ?? .min))
            }
            let deadline = try Int64.fetchOne(db.cachedStatement(sql: nextDeadlineSQL), arguments: [channel])
            entry.nextDeadline = deadline.map { Date(millis: $0) }
            backlog[channel] = entry
        }
        return backlog
    }
}
