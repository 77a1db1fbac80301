import Foundation
import GRDB
import HeraldCore
import HeraldStore

extension SQLiteStore {
    /// A purge works through this many messages per transaction, so the worker and the CLI are never held off long.
    private static let purgeBatch = 500

    private static let finishedStates = MessageState.finished.sqlList

    public func purge(contentBefore: Date?, recipientsBefore: Date?, dryRun: Bool, now: Date) async throws -> PurgeReport {
        let never = Int64.min
        let contentCutoff = contentBefore?.millis ?? never
        let recipientCutoff = recipientsBefore?.millis ?? never
        let candidatesSQL = """
            SELECT id, (content_purged_at IS NULL AND updated_at <= :content), (recipient_purged_at IS NULL AND updated_at <= :recipient)
            FROM messages
            WHERE state IN \(Self.finishedStates)
              AND ((content_purged_at IS NULL AND updated_at <= :content) OR (recipient_purged_at IS NULL AND updated_at <= :recipient))
            ORDER BY rowid LIMIT :limit
            """
        var report = PurgeReport()
        if dryRun {
            return try await read("find what the retention policy removes") { db in
                var report = PurgeReport()
                let rows = try Row.fetchCursor(
                    db, sql: candidatesSQL, arguments: ["content": contentCutoff, "recipient": recipientCutoff, "limit": Int64.max]
                )
                while let row = try rows.next() {
                    let id = MessageID(rawValue: row[0])
                    if row[1] as Bool { report.contentRemoved.append(id) }
                    if row[2] as Bool { report.recipientsRemoved.append(id) }
                }
                return report
            }
        }
        while true {
            let batch = try await auditedWrite("remove what the retention policy no longer allows") { db, audit in
                var batch = PurgeReport()
                let rows = try Row.fetchAll(
                    db, sql: candidatesSQL, arguments: ["content": contentCutoff, "recipient": recipientCutoff, "limit": Self.purgeBatch]
                )
                for row in rows {
                    let id = MessageID(rawValue: row[0])
                    let content: Bool = row[1]
                    let recipient: Bool = row[2]
                    try Self.erase(id, content: content, recipient: recipient, db: db, now: now)
                    try audit.append(.purged(content: content, recipient: recipient), message: id, at: now)
                    if content { batch.contentRemoved.append(id) }
                    if recipient { batch.recipientsRemoved.append(id) }
                }
                return batch
            }
            report.contentRemoved += batch.contentRemoved
            report.recipientsRemoved += batch.recipientsRemoved
            if batch.contentRemoved.count + batch.recipientsRemoved.count == 0 { break }
        }
        if report != PurgeReport() { try await dropOldPages(vacuum: false) }
        return report
    }

    public func forget(address: String, actor: String, reason: String, now: Date) async throws -> PurgeReport {
        let arguments = Self.addressArguments(address)
        let cancel = MessageTransition.cancel
        let report = try await auditedWrite("erase the person's data") { db, audit in
            var report = PurgeReport()
            let rows = try Row.fetchAll(db, sql: "SELECT id, state FROM messages WHERE \(Self.addressedSQL) ORDER BY rowid", arguments: arguments)
            if let sending = rows.first(where: { ($0[1] as String) == MessageState.sending.rawValue }) {
                throw HeraldError(
                    .conflict,
                    "Message \(sending[0] as String) to this person is being sent now; nothing was erased. Run forget again once it has finished (herald show \(sending[0] as String))."
                )
            }
            for row in rows {
                let id = MessageID(rawValue: row[0])
                try Self.erase(id, content: true, recipient: true, db: db, now: now)
                if let state = MessageState(rawValue: row[1]), cancel.allows(state) {
                    try db.execute(
                        sql: "UPDATE messages SET state = ?, updated_at = ? WHERE id = ? AND state IN \(cancel.fromSQL)",
                        arguments: [cancel.to.rawValue, now.millis, id.rawValue]
                    )
                    try audit.append(.cancelled(by: actor), message: id, at: now)
                    report.cancelled.append(id)
                }
                try audit.append(.forgotten(by: actor, reason: reason), message: id, at: now)
                report.contentRemoved.append(id)
                report.recipientsRemoved.append(id)
            }
            return report
        }
        if !report.contentRemoved.isEmpty { try await dropOldPages(vacuum: true) }
        return report
    }

    /// Removes a message's content (its data, the receivers' replies, its events' notes) and/or its recipient,
    /// keeping ids, states, times and digests.
    private static func erase(_ id: MessageID, content: Bool, recipient: Bool, db: Database, now: Date) throws {
        if content {
            try db.execute(
                sql: """
                    UPDATE messages SET content = '{}', data = '{}', last_detail = NULL, content_purged_at = coalesce(content_purged_at, ?)
                    WHERE id = ?
                    """,
                arguments: [now.millis, id.rawValue]
            )
            try db.execute(sql: "UPDATE attempts SET detail = '' WHERE message_id = ?", arguments: [id.rawValue])
            try db.execute(
                sql: "DELETE FROM audit_notes WHERE seq IN (SELECT seq FROM audit_events WHERE message_id = ?)", arguments: [id.rawValue]
            )
        }
        if recipient {
            try db.execute(
                sql: "UPDATE messages SET recipient = '', recipient_purged_at = coalesce(recipient_purged_at, ?) WHERE id = ?",
                arguments: [now.millis, id.rawValue]
            )
        }
    }

    /// Copies of what was removed may linger in the WAL until it is checkpointed, and (in a database written before
    /// secure deletion was on) in free pages: the WAL is folded in and emptied, and an erasure also rebuilds the file.
    private func dropOldPages(vacuum: Bool) async throws {
        do {
            try await pool.writeWithoutTransaction { db in
                if vacuum { try db.execute(sql: "VACUUM") }
                _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            throw Self.storageError("clear removed data from the database file", error)
        }
    }
}
