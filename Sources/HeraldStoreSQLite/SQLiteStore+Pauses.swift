import Foundation
import GRDB
import HeraldCore
import HeraldStore

extension SQLiteStore {
    /// Pauses the channel of `message` until `pause.until`, unless it is already paused for longer; audited when it
    /// changes anything. Until then claims give out nothing of the channel, for every worker on this database.
    static func pauseChannel(of message: MessageID, _ pause: ChannelPause, db: Database, audit: inout SQLiteAuditAppender, now: Date) throws {
        guard let channel = try String.fetchOne(db.cachedStatement(sql: "SELECT channel FROM messages WHERE id = ?"), arguments: [message.rawValue])
        else { return }
        try db.cachedStatement(
            sql: """
                INSERT INTO channel_pauses (channel, paused_until, reason, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (channel) DO UPDATE SET paused_until = excluded.paused_until, reason = excluded.reason,
                                                    updated_at = excluded.updated_at
                WHERE excluded.paused_until > channel_pauses.paused_until
                """
        ).execute(arguments: [channel, pause.until.millis, pause.reason, now.millis])
        if db.changesCount > 0 {
            try audit.append(.channelPaused(channel, pause), message: nil, at: now)
        }
    }

    /// The channel's stored pause, if it has one (it may have ended).
    static func pause(of channel: String, db: Database) throws -> ChannelPause? {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT paused_until, reason FROM channel_pauses WHERE channel = ?"), arguments: [channel]
        ) else { return nil }
        return ChannelPause(until: Date(millis: row[0]), reason: row[1])
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

    public func channelLoads(now: Date) async throws -> [String: ChannelLoad] {
        try await read("count each channel's queue") { db in
            var loads: [String: ChannelLoad] = [:]
            // Both read the partial indexes the worker claims by, so neither scans delivered messages.
            let waiting = try Row.fetchAll(
                db,
                sql: """
                    SELECT channel, count(*), sum(not_before <= :now), min(CASE WHEN not_before <= :now THEN not_before END)
                    FROM messages WHERE state IN ('scheduled', 'retrying') GROUP BY channel
                    """,
                arguments: ["now": now.millis]
            )
            for row in waiting {
                let oldest: Int64? = row[3]
                loads[row[0]] = ChannelLoad(queued: row[1], due: row[2], oldestDue: oldest.map(Date.init(millis:)))
            }
            for row in try Row.fetchAll(db, sql: "SELECT channel, count(*) FROM messages WHERE state = 'sending' GROUP BY channel") {
                loads[row[0], default: ChannelLoad()].inFlight = row[1]
            }
            return loads
        }
    }
}
