import Foundation
import GRDB
import HeraldCore
import HeraldStore

extension SQLiteStore {
    public func enqueue(_ groups: [EnqueueGroup], now: Date) async throws -> [EnqueueResult] {
        let results = try await auditedWrite("store the messages") { db, audit in
            var results: [EnqueueResult] = []
            results.reserveCapacity(groups.count)
            for group in groups {
                if let key = group.dedupeKey,
                    let existing = try String.fetchOne(db, sql: "SELECT group_id FROM dedupe_keys WHERE key = ?", arguments: [key])
                {
                    let ids = try String.fetchAll(db, sql: "SELECT id FROM messages WHERE group_id = ? ORDER BY id", arguments: [existing])
                    results.append(EnqueueResult(groupID: existing, ids: ids.map(MessageID.init(rawValue:)), deduplicated: true))
                    continue
                }
                if let key = group.dedupeKey {
                    try db.execute(
                        sql: "INSERT INTO dedupe_keys (key, group_id, created_at) VALUES (?, ?, ?)",
                        arguments: [key, group.groupID, now.millis]
                    )
                }
                let insert = try db.cachedStatement(
                    sql: """
                        INSERT INTO messages (id, group_id, channel, kind, recipient, content, data, state, not_before, deadline,
                                              created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """
                )
                for message in group.messages {
                    try insert.execute(arguments: [
                        message.id.rawValue, group.groupID, message.channel, message.kind, message.recipient,
                        MessageRow.encodeContent(message.content), message.dataJSON, message.state.rawValue,
                        message.notBefore.millis, message.deadline?.millis, now.millis, now.millis,
                    ])
                    try audit.append(
                        "enqueued", message: message.id, detail: "\(message.state.rawValue) channel=\(message.channel) kind=\(message.kind)",
                        at: now
                    )
                }
                results.append(EnqueueResult(groupID: group.groupID, ids: group.messages.map(\.id), deduplicated: false))
            }
            return results
        }
        wake.signal()
        return results
    }
}
