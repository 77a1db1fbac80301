import Foundation
import Glibc

/// A test server from `Tests/Support` run as a child Python process on 127.0.0.1 and a free port. The script writes
/// its port to a ready file once it listens; stopping sends SIGTERM, then SIGKILL after five seconds, so a test never
/// hangs on a server that does not go.
final class SupportServer: @unchecked Sendable {
    // Invariant: `process` is started in init and only terminated after.
    let port: Int
    private let process: Process

    /// Starts `Tests/Support/<script>` with `arguments` plus `--port 0 --ready-file <folder>/port`, its standard error in
    /// `<folder>/<name>.log`, and waits up to `startTimeout` for the port.
    init(script: String, arguments: [String], folder: URL, name: String, startTimeout: TimeInterval) async throws {
        let ready = folder.appendingPathComponent("port")
        let log = folder.appendingPathComponent("\(name).log")
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = [Self.supportFile(script), "--port", "0", "--ready-file", ready.path] + arguments
        process.standardOutput = FileHandle.nullDevice
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        process.standardError = logHandle
        try process.run()
        // The child has its own copy; the process keeps the parent's open otherwise, one descriptor per server.
        try? logHandle.close()
        let deadline = Date().addingTimeInterval(startTimeout)
        while true {
            if let text = try? String(contentsOf: ready, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                self.port = port
                return
            }
            guard process.isRunning, Date() < deadline else {
                process.terminate()
                let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                throw SinkStartError(message: "the \(name) did not start: \(output.suffix(2000))")
            }
            // Other tests share the concurrency pool's few threads: wait without holding one.
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The system Python, which has Debian's `python3-aiosmtpd`; the other scripts need only the standard library.
    static var python: String {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
    }

    /// A file in `Tests/Support`, found from this source file's place in the package.
    static func supportFile(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/Support/\(name)").path
    }
}

public struct SinkStartError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
