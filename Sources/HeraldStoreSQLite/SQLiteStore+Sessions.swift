import Foundation
import GRDB
import HeraldCore
import HeraldStore

extension SQLiteStore {
    public func channelSession(_ channel: String) async throws -> String? {
        try await read("read the channel's session") { db in
            try String.fetchOne(db, sql: "SELECT session FROM channel_sessions WHERE channel = ?", arguments: [channel])
        }
    }

    /// The tokens themselves never reach the audit trail; the event only says that the channel logged in again.
    public func saveChannelSession(_ channel: String, _ session: String, now: Date) async throws {
        try await auditedWrite("save the channel's session") { db, audit in
            try db.execute(
                sql: """
                    INSERT INTO channel_sessions (channel, session, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (channel) DO UPDATE SET session = excluded.session, updated_at = excluded.updated_at
                    """,
                arguments: [channel, session, now.millis]
            )
            try audit.append(.sessionSaved(channel), message: nil, at: now)
        }
    }
}
