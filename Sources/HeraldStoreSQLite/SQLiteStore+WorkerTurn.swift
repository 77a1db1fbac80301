import Foundation
import GRDB
import HeraldCore
import HeraldStore

extension SQLiteStore {
    public func workerTurn(_ turn: WorkerTurn, worker: String, now: Date) async throws -> WorkerTurnResult {
        guard turn.writes else {
            return try await workerTransaction(writes: false) { db in
                WorkerTurnResult(backlog: try Self.backlog(of: turn.survey, limit: turn.surveyLimit, worker: worker, db: db, now: now))
            }
        }
        return try await workerTransaction(writes: true) { db in
            var audit = SQLiteAuditAppender(db, key: self.auditKey)
            try Self.record(turn.completions, db: db, audit: &audit, worker: worker, now: now)
            let renewedUntil = now.addingTimeInterval(turn.lease)
            let renewed = try Self.renew(turn.renewals, until: renewedUntil, db: db, worker: worker)
            try Self.release(turn.releases, db: db, audit: &audit, worker: worker, now: now)
            if turn.expire || turn.claims.contains(where: { $0.limit > 0 }) { try Self.expireOverdue(db, audit: &audit, now: now) }
            let claimed = try Self.claim(turn.claims, db: db, audit: &audit, worker: worker, lease: turn.lease, now: now)
            try audit.recordHead()
            return WorkerTurnResult(
                claimed: claimed, renewed: renewed, renewedUntil: renewed.isEmpty ? nil : renewedUntil,
                backlog: try Self.backlog(of: turn.survey, limit: turn.surveyLimit, worker: worker, db: db, now: now)
            )
        }
    }

    // The turn's writes, built once from the lifecycle table's states.
    private static let renewSQL = "UPDATE messages SET lease_expires = ? WHERE id = ? AND state = \(leased) AND lease_owner = ?"
    private static let releaseSQL = """
        UPDATE messages
        SET state = CASE WHEN attempts - 1 > retry_base THEN '\(MessageState.retrying.rawValue)' ELSE '\(MessageTransition.release.to.rawValue)' END,
            attempts = attempts - 1, lease_owner = NULL, lease_expires = NULL, updated_at = ?
        WHERE id = ? AND state IN \(MessageTransition.release.fromSQL) AND lease_owner = ?
        """
    private static let expireSQL = """
        UPDATE messages SET state = '\(MessageTransition.expire.to.rawValue)', lease_owner = NULL, lease_expires = NULL, updated_at = :now
        WHERE id IN (SELECT id FROM messages INDEXED BY messages_deadline
                     WHERE deadline IS NOT NULL AND state IN \(unsentStates)
                       AND deadline <= :now)
          AND (+state <> \(leased) OR lease_expires <= :now)
        RETURNING id
        """

    /// Moves the leases of messages `worker` still holds; returns those it does.
    private static func renew(_ ids: [MessageID], until: Date, db: Database, worker: String) throws -> [MessageID] {
        guard !ids.isEmpty else { return [] }
        let statement = try db.cachedStatement(sql: renewSQL)
        var renewed: [MessageID] = []
        for id in ids {
            try statement.execute(arguments: [until.millis, id.rawValue, worker])
            if db.changesCount > 0 { renewed.append(id) }
        }
        return renewed
    }

    /// Gives claimed messages back with their attempt uncounted: their request never started.
    private static func release(_ ids: [MessageID], db: Database, audit: inout SQLiteAuditAppender, worker: String, now: Date) throws {
        guard !ids.isEmpty else { return }
        let statement = try db.cachedStatement(sql: releaseSQL)
        for id in ids {
            try statement.execute(arguments: [now.millis, id.rawValue, worker])
            if db.changesCount > 0 {
                try audit.append(.released(worker: worker), message: id, at: now)
            }
        }
    }

    /// Moves every unsent message past its deadline to `expired`, with its audit event. It runs at every claim, so
    /// it must touch only the overdue rows: the subquery is pinned to the deadline index and the outer state test
    /// is kept off the state index (`+state`).
    static func expireOverdue(_ db: Database, audit: inout SQLiteAuditAppender, now: Date) throws {
        let statement = try db.cachedStatement(sql: expireSQL)
        let ids = try String.fetchAll(statement, arguments: ["now": now.millis])
        for id in ids {
            try audit.append(.expiredUnsent, message: MessageID(rawValue: id), at: now)
        }
    }
}
