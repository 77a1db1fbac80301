import Foundation
import Glibc

/// Another process holding a SQLite database's write lock (`Tests/Support/hold_lock.py`), as a long transaction or a
/// stuck tool would: writers in this process get `SQLITE_BUSY` once their busy timeout runs out, until `release()`.
public final class DatabaseLock: @unchecked Sendable {
    // Invariant: the process and the pipe are set up in init and touched again only by release().
    private let process: Process
    private let input: Pipe

    /// Takes the lock on the database at `path`; returns once it is held.
    public init(path: String) async throws {
        let ready = FileManager.default.temporaryDirectory.appendingPathComponent("herald-lock-\(UUID().uuidString)")
        process = Process()
        process.executableURL = URL(fileURLWithPath: SupportServer.python)
        process.arguments = [SupportServer.supportFile("hold_lock.py"), path, ready.path]
        input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: ready.path) {
            guard process.isRunning, Date() < deadline else {
                process.terminate()
                throw SinkStartError(message: "the lock holder did not take the lock on \(path)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        try? FileManager.default.removeItem(at: ready)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Commits the holder's transaction and waits for it to exit, so the lock is free when this returns.
    public func release() async {
        try? input.fileHandleForWriting.write(contentsOf: Data("commit\n".utf8))
        try? input.fileHandleForWriting.close()
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
    }
}
