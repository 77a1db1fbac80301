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
    private let watcher: FileChangeWatcher?

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

    /// Runs a write transaction, turning database failures into a `HeraldError` that says what failed.
    func write<T: Sendable>(_ what: String, _ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch let error as HeraldError {
            throw error
        } catch {
            throw HeraldError(.storage, "Could not \(what): \(Self.describe(error)).", cause: error)
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
        await wake.wait(until: deadline)
    }
}

extension HeraldStore where Self == SQLiteStore {
    /// The embedded SQLite store at `path`.
    public static func sqlite(path: String) throws -> SQLiteStore {
        try SQLiteStore(path: path)
    }
}
