import Foundation
import GRDB
import HeraldCore
import HeraldStore

extension SQLiteStore {
    public func enqueue(_ groups: [EnqueueGroup], now: Date) async throws -> [EnqueueResult] {
        let results = try await auditedWrite("store the messages") { db, audit in
            try Self.insert(groups, db: db, audit: &audit, now: now)
        }
        return results
    }

    /// Stores `groups` inside the caller's transaction, so a review's plan and its messages commit together.
    static func insert(_ groups: [EnqueueGroup], db: Database, audit: inout SQLiteAuditAppender, now: Date) throws -> [EnqueueResult] {
            var results: [EnqueueResult] = []
            results.reserveCapacity(groups.count)
            for group in groups {
                if let key = group.dedupeKey,
                    let existing = try String.fetchOne(db, sql: "SELECT group_id FROM dedupe_keys WHERE key = ?", arguments: [key])
                {
                    let ids = try String.fetchAll(db, sql: "SELECT id FROM messages WHERE group_id = ? ORDER BY rowid", arguments: [existing])
                    results.append(EnqueueResult(groupID: existing, ids: ids.map(MessageID.init(rawValue:)), deduplicated: true))
                    continue
                }
                if let key = group.dedupeKey {
                    try db.execute(
                        sql: "INSERT INTO dedupe_keys (key, group_id, created_at) VALUES (?, ?, ?)",
                        arguments: [key, group.groupID, now.millis]
                    )
                }
                for message in group.messages {
                    let insert = RawStatement(
                        try db.cachedStatement(
                            sql: """
                                INSERT INTO messages (id, group_id, channel, kind, recipient, content, data, state, not_before,
                                                      deadline, created_at, updated_at)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                                """
                        )
                    )
                    insert.bind(1, message.id.rawValue)
                    insert.bind(2, group.groupID)
                    insert.bind(3, message.channel)
                    insert.bind(4, message.kind)
                    insert.bind(5, message.recipient)
                    let content = MessageRow.encodeContent(message.content)
                    let binding = SQLiteAuditAppender.MessageBinding(
                        state: message.state, contentDigest: AuditDigest.content(content, data: message.dataJSON),
                        recipientDigest: AuditDigest.recipient(message.recipient)
                    )
                    insert.bind(6, content)
                    insert.bind(7, message.dataJSON)
                    insert.bind(8, message.state.rawValue)
                    insert.bind(9, message.notBefore.millis)
                    insert.bind(10, message.deadline?.millis)
                    insert.bind(11, now.millis)
                    insert.bind(12, now.millis)
                    try insert.execute()
                    try audit.append(
                        .enqueued(state: message.state, channel: message.channel, kind: message.kind, by: group.requestedBy), message: message.id, at: now, binding: binding
                    )
                }
                results.append(EnqueueResult(groupID: group.groupID, ids: group.messages.map(\.id), deduplicated: false))
            }
            return results
    }
}
