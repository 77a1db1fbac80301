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
                    try db.execute(sql: "INSERT INTO approvals (message_id) VALUES (?)", arguments: [id.rawValue])
                    try audit.append(.awaitingApproval(loadedBy: actor), message: id, at: now)
                }
            }
            return results
        }
    }
}
