import Foundation

/// A real SMTP server for tests: `Tests/Support/smtp_sink.py` (aiosmtpd) on 127.0.0.1 and a free port, run as a child
/// process, writing each accepted message and its envelope to a folder the test reads.
public final class SMTPSink: @unchecked Sendable {
    // Invariant: the folder belongs to this sink alone.

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
        /// Store the first `holdFirst` messages at once but answer them only `holdSeconds` later.
        public var holdFirst = 0
        public var holdSeconds: Double = 0

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
    private let server: SupportServer

    public init(_ options: Options = Options()) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-smtp-\(UUID().uuidString)")
        let maildir = folder.appendingPathComponent("mail")
        try FileManager.default.createDirectory(at: maildir, withIntermediateDirectories: true)
        var arguments = ["--maildir", maildir.path, "--tls-mode", options.tlsMode, "--life", "300"]
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
        if options.holdFirst > 0 { arguments += ["--hold-first", "\(options.holdFirst)", "--hold-seconds", "\(options.holdSeconds)"] }
        server = try await SupportServer(script: "smtp_sink.py", arguments: arguments, folder: folder, name: "SMTP sink", startTimeout: 20)
        port = server.port
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Stops the server: SIGTERM, and SIGKILL if it has not gone within five seconds, so a test never hangs here.
    public func stop() {
        server.stop()
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
    public static var python: String { SupportServer.python }

    /// A file in `Tests/Support`, found from this source file's place in the package.
    public static func supportFile(_ name: String) -> String { SupportServer.supportFile(name) }
}
