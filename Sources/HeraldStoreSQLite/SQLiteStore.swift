import Foundation
import GRDB
import HeraldCore
import HeraldStore
import Synchronization

/// The embedded store: one SQLite file in WAL mode, opened once per process through a GRDB pool.
/// Several processes (a worker, CLI commands) may share the file; SQLite serialises their writes.
public final class SQLiteStore: MessageQueue, OperatorStore, AuditStore {
    let pool: any DatabaseWriter
    let path: String
    /// Opened without write access (a file this user may only read): it can be listed and verified, not changed.
    let readOnly: Bool
    /// Rung by this process's own commits and, while a worker waits, by the watcher on the WAL file.
    let wake: WakeSignal
    /// Made at the first wait: only a worker waits, and a command that never does should not spend one of the
    /// user's inotify instances (128 by default, shared by every process of the user).
    private let watcher = Mutex<FileChangeWatcher??>(nil)
    /// The writer connection's `PRAGMA data_version` after the last worker turn that only read: it moves only when
    /// another connection commits, which is how `waitForChange` tells news from this process's own writes. (A commit
    /// by another process that a later writing turn has already seen costs one more read of the backlog, no more.)
    let seenVersion = Mutex<Int64?>(nil)
    /// The key every audit link is made under; nil when none is configured, and then nothing that writes an event
    /// is allowed (reading, listing and exporting still are).
    let auditKey: AuditKey?

    /// Opens (creating if needed) and migrates the database at `path`.
    /// - Parameters:
    ///   - path: the database file; its `-wal` companion is watched so a worker wakes on another process's enqueue.
    ///   - auditKey: the key of the audit chain (see `AuditKey`); without one the store can be read, not written.
    ///   - busyTimeout: how long a write waits for another process's lock before failing as `storageUnavailable`.
    public init(path: String, auditKey: AuditKey?, busyTimeout: TimeInterval = 30) throws {
        self.path = path
        self.auditKey = auditKey
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "herald"
        configuration.prepareDatabase { db in
            // FULL makes every commit durable in the WAL before enqueue returns.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // What a purge or an erasure removes is overwritten with zeros, not left in free pages of the file.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        try Self.createPrivately(path)
        try Self.refuseReadableByOthers(path)
        do {
            if FileManager.default.fileExists(atPath: path), !FileManager.default.isWritableFile(atPath: path) {
                pool = try Self.openReadOnly(path, busyTimeout: busyTimeout)
                readOnly = true
            } else {
                pool = try DatabasePool(path: path, configuration: configuration)
                readOnly = false
            }
            try Self.refuseNewerSchema(pool, path: path)
            if readOnly {
                guard try pool.read({ try Self.migrator.hasCompletedMigrations($0) }) else {
                    throw HeraldError(
                        .storage,
                        "The database at \(path) is read-only here and was written by an older Herald: open it once with write access to bring it up to date."
                    )
                }
            } else {
                let linking = try Self.legacyTrailToLink(pool)
                if linking, auditKey == nil {
                    throw HeraldError(
                        .audit,
                        "The database at \(path) was written by an older Herald, whose audit trail this one links under the audit key as it "
                            + "brings the database up to date. " + AuditKey.missingAdvice
                    )
                }
                try Self.migrator.migrate(pool)
                if linking, let auditKey { try Self.linkLegacyTrail(pool, key: auditKey) }
            }
        } catch let error as HeraldError {
            throw error
        } catch {
            throw HeraldError(
                .storage,
                "Cannot open the database at \(path): \(Self.describe(error)). Check the path (--db or HERALD_DB) and its permissions.",
                cause: error
            )
        }
        wake = WakeSignal()
    }

    deinit {
        if case .some(.some(let watcher)) = watcher.withLock({ $0 }) { watcher.stop() }
    }

    /// A new database is created empty with mode 0600 before SQLite opens it: SQLite gives its WAL and shared-memory
    /// files the database file's mode, so none of the three can be read by other users of the machine.
    private static func createPrivately(_ path: String) throws {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            close(descriptor)
        } else if errno != EEXIST {
            throw HeraldError(
                .storage,
                "Cannot create the database at \(path): \(String(cString: strerror(errno))). Check the path (--db or HERALD_DB) and its folder's permissions."
            )
        }
    }

    /// The database holds personal data (recipients, message content): one that every user of the machine may read
    /// is refused, with the command that closes it.
    private static func refuseReadableByOthers(_ path: String) throws {
        for file in [path, path + "-wal", path + "-shm"] {
            var status = stat()
            guard stat(file, &status) == 0, status.st_mode & (S_IROTH | S_IWOTH) != 0 else { continue }
            let mode = String(status.st_mode & 0o777, radix: 8)
            throw HeraldError(
                .storage,
                "The database file \(file) can be read by every user of this machine (mode \(mode)), and it holds personal data. "
                    + "Run: chmod o-rwx \(path)*  then try again."
            )
        }
    }

    /// A file this user may only read. SQLite reads a WAL database read-only when it may use the WAL index (`-shm`);
    /// where it may not create one (a folder it cannot write either), the file is read as last checkpointed, which is
    /// all of it once every writer has closed.
    private static func openReadOnly(_ path: String, busyTimeout: TimeInterval) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "herald-readonly"
        if let queue = try? DatabaseQueue(path: path, configuration: configuration), (try? queue.read({ try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") })) != nil {
            return queue
        }
        return try DatabaseQueue(path: "file:\(path)?immutable=1", configuration: configuration)
    }

    /// A database that a newer Herald has migrated holds tables and rules this one does not know: writing to it could
    /// break what the newer version relies on, so it is refused with the schema versions this one lacks.
    private static func refuseNewerSchema(_ pool: any DatabaseWriter, path: String) throws {
        let unknown = try pool.read { db -> [String] in
            guard try migrator.hasBeenSuperseded(db) else { return [] }
            return try migrator.appliedIdentifiers(db).filter { !migrator.migrations.contains($0) }.sorted()
        }
        guard !unknown.isEmpty else { return }
        throw HeraldError(
            .storage,
            "The database at \(path) was written by a newer Herald (schema \(unknown.joined(separator: ", ")), which this one does not know). "
                + "Use that Herald, or a copy of the database made before it."
        )
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "SQLite error \(error.resultCode)"
        }
        return String(describing: error)
    }

    /// A database failure as a `HeraldError` that says what failed, and whether waiting may help: a lock held by
    /// another process, a full disk or an I/O error may pass; a damaged file will not.
    static func storageError(_ what: String, _ error: any Error) -> HeraldError {
        if let error = error as? HeraldError { return error }
        var code = HeraldError.Code.storage
        if let database = error as? DatabaseError {
            switch database.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_PROTOCOL, .SQLITE_NOMEM,
                .SQLITE_READONLY, .SQLITE_INTERRUPT:
                code = .storageUnavailable
            case .SQLITE_CORRUPT, .SQLITE_NOTADB:
                code = .storageCorrupt
            default:
                break
            }
        }
        return HeraldError(code, "Could not \(what): \(describe(error)).", cause: error)
    }

    /// Runs a write transaction with every commit fsync'd: for what callers hand over (enqueue) and operators decide
    /// (retry, cancel). A worker sleeping in this process is woken, since the commit may give it work.
    func write<T: Sendable>(_ what: String, _ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try refuseWriteIfReadOnly(what)
        let result: T
        do {
            result = try await pool.write(body)
        } catch {
            throw Self.storageError(what, error)
        }
        wake.signal()
        return result
    }

    /// Runs a worker's turn in one transaction on the writer connection, and after a turn that only reads (the last
    /// one before a worker sleeps) notes the connection's data version. Commits are fsync'd at checkpoints only (WAL + `synchronous=NORMAL`): still safe against a crashed
    /// process, and losing the last commits to a power cut only means a claim is taken again or a delivered message is
    /// sent again under the same id — the at-least-once promise holds. A turn that writes nothing takes no write lock.
    func workerTransaction<T: Sendable>(
        writes: Bool, _ body: @Sendable @escaping (Database) throws -> T
    ) async throws -> T {
        try refuseWriteIfReadOnly("carry out the worker's turn")
        do {
            let (result, version) = try await pool.writeWithoutTransaction { db -> (T, Int64?) in
                // Cached: compiling the pragmas anew on every turn of a busy worker shows up in profiles.
                try db.cachedStatement(sql: "PRAGMA synchronous = NORMAL").execute()
                defer { try? db.cachedStatement(sql: "PRAGMA synchronous = FULL").execute() }
                var result: T?
                try db.inTransaction(writes ? .immediate : .deferred) {
                    result = try body(db)
                    return .commit
                }
                return (result!, writes ? nil : try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")))
            }
            if let version { seenVersion.withLock { $0 = version } }
            return result
        } catch {
            throw Self.storageError("carry out the worker's turn", error)
        }
    }

    /// A write transaction that appends audit events: the chain's head is read once at the start and recorded once
    /// at the end, whatever the number of events.
    func auditedWrite<T: Sendable>(
        _ what: String, _ body: @Sendable @escaping (Database, inout SQLiteAuditAppender) throws -> T
    ) async throws -> T {
        try await write(what) { db in
            var audit = SQLiteAuditAppender(db, key: self.auditKey)
            let result = try body(db, &audit)
            try audit.recordHead()
            return result
        }
    }

    private func refuseWriteIfReadOnly(_ what: String) throws {
        guard readOnly else { return }
        throw HeraldError(
            .storage, "Could not \(what): the database at \(path) is read-only for this user. It can be listed and verified, not changed."
        )
    }

    func read<T: Sendable>(_ what: String, _ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw Self.storageError(what, error)
        }
    }

    /// Watches the WAL for other processes' commits, after checking the data version has not already moved since
    /// the last worker turn (a commit that landed before the watch was armed). A ring from this process (an enqueue
    /// in `herald serve`) ends the wait too.
    public func waitForChange() async {
        let watcher = self.watcher.withLock { watcher in
            if watcher == nil { watcher = .some(FileChangeWatcher(path: path + "-wal", signal: wake)) }
            return watcher!
        }
        watcher?.arm()
        defer { watcher?.disarm() }
        let seen = seenVersion.withLock { $0 }
        let current = try? await pool.writeWithoutTransaction { db in try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) }
        if let seen, let current, current != seen { return }
        await wake.wait(untilUptime: nil, clock: SystemClock())
    }
}
