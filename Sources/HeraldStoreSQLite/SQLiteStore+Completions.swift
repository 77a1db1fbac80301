import Foundation
import GRDB
import HeraldCore
import HeraldStore

extension SQLiteStore {
    private static let insertAttemptSQL = """
        INSERT INTO attempts (message_id, number, started_at, duration_ms, outcome, status, detail, worker, post_id, post_url, reply_digest)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    /// Moves the message on only from the states an attempt's answer applies to, and only for the lease holder.
    private static let recordAttemptSQL = """
        UPDATE messages SET state = ?, not_before = coalesce(?, not_before), lease_owner = NULL, lease_expires = NULL,
                            updated_at = ?, last_detail = ?, post_url = coalesce(?, post_url), unanswered_since = ?
        WHERE id = ? AND state IN \(MessageTransition.deliver.fromSQL) AND lease_owner = ?
        """

    /// Records each attempt, moves its message on if `worker` still holds its lease, and writes the channel pause the
    /// attempt calls for, all inside the caller's transaction.
    static func record(_ completions: [Completion], db: Database, audit: inout SQLiteAuditAppender, worker: String, now: Date) throws {
        for completion in completions {
            let attempt = completion.attempt
            let insert = RawStatement(try db.cachedStatement(sql: insertAttemptSQL))
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
            let replyDigest = AuditDigest.text(attempt.detail)
            insert.bind(11, replyDigest)
            try insert.execute()
            let proof = AuditDigest.proof(of: attempt, replyDigest: replyDigest)
            let (step, retryAt, entry) = AuditEntry.attempted(completion.transition, attempt: attempt)
            let update = RawStatement(try db.cachedStatement(sql: recordAttemptSQL))
            update.bind(1, step.to.rawValue)
            update.bind(2, retryAt?.millis)
            update.bind(3, now.millis)
            update.bind(4, attempt.detail)
            update.bind(5, attempt.post?.url)
            update.bind(6, completion.unansweredSince?.millis)
            update.bind(7, completion.messageID.rawValue)
            update.bind(8, worker)
            if try update.execute() > 0 {
                try audit.append(
                    entry, message: completion.messageID, at: now, binding: .init(state: step.to), attempt: attempt.number, proofDigest: proof
                )
            } else {
                try audit.append(.attemptRecorded(attempt), message: completion.messageID, at: now, attempt: attempt.number, proofDigest: proof)
            }
            if let pause = completion.channelPause, pause.until > now {
                try Self.pauseChannel(of: completion.messageID, pause, db: db, audit: &audit, now: now)
            }
        }
    }
}
