import Foundation
import GRDB
import HeraldCore
import HeraldStore

/// The embedded store: one SQLite file in WAL mode, opened once per process through a GRDB pool.
/// Several processes (a worker, CLI commands) may share the file; SQLite serialises their writes.
public final class SQLiteStore: HeraldStore {
    let pool: DatabasePool
    let path: String
    let wake: WakeSignal
    let watcher: FileChangeWatcher?

    /// Opens (creating if needed) and migrates the database at `path`.
    /// - Parameter path: the database file; its `-wal` companion is watched so a worker wakes on another process's enqueue.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.label = "herald"
        configuration.prepareDatabase { db in
            // FULL makes every commit durable in the WAL before enqueue returns.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw HeraldError(
                .storage,
                "Cannot open the database at \(path): \(Self.describe(error)). Check the path (--db or HERALD_DB) and its permissions.",
                cause: error
            )
        }
        wake = WakeSignal()
        watcher = FileChangeWatcher(path: path + "-wal", signal: wake)
    }

    deinit {
        watcher?.stop()
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "SQLite error \(error.resultCode)"
        }
        return String(describing: error)
    }

    /// How hard a commit works to survive a power cut.
    enum Durability {
        /// fsync at every commit: for what callers hand over (enqueue) and operators decide (retry, cancel).
        case full
        /// fsync at checkpoints only (WAL + `synchronous=NORMAL`): still safe against a crashed process, and losing
        /// the last commits to a power cut only means a claim is taken again or a delivered message is sent again
        /// under the same id — the at-least-once promise holds. Used for the worker's claims and completions.
        case relaxed
    }

    /// Runs a write transaction, turning database failures into a `HeraldError` that says what failed.
    func write<T: Sendable>(
        _ what: String, durability: Durability = .full, _ body: @Sendable @escaping (Database) throws -> T
    ) async throws -> T {
        do {
            if durability == .full { return try await pool.write(body) }
            return try await pool.writeWithoutTransaction { db in
                // Cached: compiling the pragmas anew on every turn of a busy worker shows up in profiles.
                try db.cachedStatement(sql: "PRAGMA synchronous = NORMAL").execute()
                defer { try? db.cachedStatement(sql: "PRAGMA synchronous = FULL").execute() }
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let error as HeraldError {
            throw error
        } catch {
            throw HeraldError(.storage, "Could not \(what): \(Self.describe(error)).", cause: error)
        }
    }

    /// A write transaction that appends audit events: the chain's head is read once at the start and recorded once
    /// at the end, whatever the number of events.
    func auditedWrite<T: Sendable>(
        _ what: String, durability: Durability = .full,
        _ body: @Sendable @escaping (Database, inout SQLiteAuditAppender) throws -> T
    ) async throws -> T {
        try await write(what, durability: durability) { db in
            var audit = try SQLiteAuditAppender(db)
            let result = try body(db, &audit)
            try audit.recordHead()
            return result
        }
    }

    func read<T: Sendable>(_ what: String, _ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as HeraldError {
            throw error
        } catch {
            throw HeraldError(.storage, "Could not \(what): \(Self.describe(error)).", cause: error)
        }
    }

    public func waitForChange(until deadline: Date) async {
        watcher?.arm()
        await wake.wait(until: deadline)
        watcher?.disarm()
    }
}

extension HeraldStore where Self == SQLiteStore {
    /// The embedded SQLite store at `path`.
    public static func sqlite(path: String) throws -> SQLiteStore {
        try SQLiteStore(path: path)
    }
}
