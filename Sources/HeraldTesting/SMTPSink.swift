import Foundation

/// A real SMTP server for tests: `Tests/Support/smtp_sink.py` (aiosmtpd) on 127.0.0.1 and a free port, run as a child
/// process, writing each accepted message and its envelope to a folder the test reads.
public final class SMTPSink: @unchecked Sendable {
    // Invariant: `process` is started in init and only terminated after; the folder belongs to this sink alone.

    public struct Options: Sendable {
        /// `none`, `starttls` (required before MAIL) or `implicit` (TLS from the first byte).
        public var tlsMode = "none"
        public var certificate: String?
        public var key: String?
        public var authUser: String?
        public var authPassword: String?
        /// Answer the first N transactions with `failCode` instead of accepting them.
        public var failFirst = 0
        public var failCode = 451
        /// Instead, greet the first `failFirst` connections with this code and close them (e.g. 421).
        public var greetingCode: Int?
        public var rejectRecipients: [String] = []
        public var countOnly = false

        public init() {}
    }

    /// One accepted message: the envelope and the bytes exactly as received after DATA.
    public struct Mail: Sendable {
        public var mailFrom: String
        public var recipients: [String]
        public var tls: Bool
        public var authLogin: String?
        public var raw: [UInt8]
        public var file: String
    }

    public let port: Int
    public let folder: URL
    private let process: Process

    public init(_ options: Options = Options()) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-smtp-\(UUID().uuidString)")
        let maildir = folder.appendingPathComponent("mail")
        try FileManager.default.createDirectory(at: maildir, withIntermediateDirectories: true)
        let ready = folder.appendingPathComponent("port")
        var arguments = [
            Self.supportFile("smtp_sink.py"), "--port", "0", "--ready-file", ready.path, "--maildir", maildir.path,
            "--tls-mode", options.tlsMode, "--life", "300",
        ]
        if let certificate = options.certificate, let key = options.key { arguments += ["--cert", certificate, "--key", key] }
        if let user = options.authUser, let password = options.authPassword {
            arguments += ["--auth-user", user, "--auth-password", password]
        }
        if options.failFirst > 0 {
            arguments += ["--fail-first", "\(options.failFirst)"]
            arguments += options.greetingCode.map { ["--greeting-code", "\($0)"] } ?? ["--fail-code", "\(options.failCode)"]
        }
        for address in options.rejectRecipients { arguments += ["--reject-rcpt", address] }
        if options.countOnly { arguments.append("--count-only") }
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let log = folder.appendingPathComponent("sink.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while true {
            if let text = try? String(contentsOf: ready, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                self.port = port
                break
            }
            guard process.isRunning, Date() < deadline else {
                process.terminate()
                let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                throw SinkStartError(message: "the SMTP sink did not start: \(output.suffix(2000))")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Stops the server: SIGTERM, and SIGKILL if it has not gone within five seconds, so a test never hangs here.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Every message accepted so far, in order.
    public func mails() -> [Mail] {
        let maildir = folder.appendingPathComponent("mail")
        var mails: [Mail] = []
        var number = 1
        while let envelope = try? Data(contentsOf: maildir.appendingPathComponent("\(number).json")),
            let object = try? JSONSerialization.jsonObject(with: envelope) as? [String: Any],
            let raw = try? Data(contentsOf: maildir.appendingPathComponent("\(number).eml"))
        {
            mails.append(
                Mail(
                    mailFrom: object["mail_from"] as? String ?? "", recipients: object["rcpt_tos"] as? [String] ?? [],
                    tls: object["tls"] as? Bool ?? false, authLogin: object["auth_login"] as? String, raw: Array(raw),
                    file: maildir.appendingPathComponent("\(number).eml").path
                )
            )
            number += 1
        }
        return mails
    }

    /// Waits until `count` messages have arrived or `timeout` passes, and returns what arrived.
    public func waitForMails(count: Int, timeout: TimeInterval = 10) async -> [Mail] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let mails = mails()
            if mails.count >= count || Date() >= deadline { return mails }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The interpreter with aiosmtpd: Debian's `python3-aiosmtpd` installs for the system Python.
    public static var python: String {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
    }

    /// A file in `Tests/Support`, found from this source file's place in the package.
    public static func supportFile(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/Support/\(name)").path
    }
}

public struct SinkStartError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
