import Foundation
import GRDB
import HeraldCore
import HeraldStore

extension SQLiteStore {
    public func enqueueAwaitingApproval(_ groups: [EnqueueGroup], actor: String, now: Date) async throws -> [EnqueueResult] {
        let held = groups.map { group in
            var group = group
            for index in group.messages.indices { group.messages[index].state = .held }
            return group
        }
        return try await auditedWrite("store the messages awaiting approval") { db, audit in
            let results = try Self.insert(held, db: db, audit: &audit, now: now)
            for result in results where !result.deduplicated {
                for id in result.ids {
                    try db.execute(sql: "INSERT INTO approvals (message_id, requested_by) VALUES (?, ?)", arguments: [id.rawValue, actor])
                    try audit.append(.awaitingApproval(loadedBy: actor), message: id, at: now)
                }
            }
            return results
        }
    }

    public func awaitingApproval(limit: Int) async throws -> [PendingApproval] {
        try await read("list what waits for an approval") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(MessageRow.columns), a.requested_by, r.review_ref FROM messages m
                    JOIN approvals a ON a.message_id = m.id LEFT JOIN review_messages r ON r.message_id = m.id
                    WHERE a.approved_by IS NULL AND m.state = 'held' ORDER BY m.group_id, m.id LIMIT ?
                    """,
                arguments: [limit]
            )
            var pending: [PendingApproval] = []
            for row in rows {
                let message = try MessageRow.message(from: row)
                if pending.last?.groupID == message.groupID {
                    pending[pending.count - 1].messages.append(message)
                } else {
                    pending.append(PendingApproval(groupID: message.groupID, messages: [message], requestedBy: row["requested_by"], review: row["review_ref"]))
                }
            }
            return pending
        }
    }
}
