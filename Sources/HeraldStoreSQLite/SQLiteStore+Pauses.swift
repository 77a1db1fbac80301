import Foundation
import GRDB
import HeraldCore
import HeraldStore

extension SQLiteStore {
    public func pauseChannel(_ channel: String, until: Date, reason: String, now: Date) async throws {
        try await auditedWrite("pause the channel") { db, audit in
            try db.execute(
                sql: """
                    INSERT INTO channel_pauses (channel, paused_until, reason, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (channel) DO UPDATE SET paused_until = excluded.paused_until, reason = excluded.reason,
                                                        updated_at = excluded.updated_at
                    WHERE excluded.paused_until > channel_pauses.paused_until
                    """,
                arguments: [channel, until.millis, reason, now.millis]
            )
            if db.changesCount > 0 {
                try audit.append("channel_paused", message: nil, detail: "channel \(channel) until \(RFC3339.format(until)): \(reason)", at: now)
            }
        }
        wake.signal()
    }

    /// The end of the channel's stored pause, in milliseconds, if it has one (it may have passed).
    static func pausedUntil(_ channel: String, db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT paused_until FROM channel_pauses WHERE channel = ?"), arguments: [channel])
    }

    public func channelPauses(now: Date) async throws -> [String: ChannelPause] {
        try await read("read the channel pauses") { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT channel, paused_until, reason FROM channel_pauses WHERE paused_until > ?", arguments: [now.millis]
            )
            var pauses: [String: ChannelPause] = [:]
            for row in rows { pauses[row[0]] = ChannelPause(until: Date(millis: row[1]), reason: row[2]) }
            return pauses
        }
    }
}
