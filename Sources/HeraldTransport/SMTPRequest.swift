import Foundation

/// One email submission as an adapter builds it: the envelope, the finished RFC 5322 bytes, and how to reach and
/// authenticate to the server. The transport decides nothing about the message itself.
public struct SMTPRequest: Sendable {
    /// `smtps://host:465/helo-name` (TLS from the first byte) or `smtp://host:587/helo-name`.
    public var url: String
    /// For `smtp://`: insist on STARTTLS and fail if the server does not offer it. Only loopback may go without.
    public var requireSTARTTLS: Bool
    /// The envelope sender, a bare address.
    public var mailFrom: String
    /// The envelope recipients, bare addresses; one `RCPT TO` each.
    public var recipients: [String]
    /// The complete message, every line ending in CRLF (libcurl dot-stuffs only after CRLF).
    public var message: [UInt8]
    public var username: String?
    public var password: String?
    /// A PEM bundle of the CAs to trust instead of the system's, for a server with a private CA.
    public var caFile: String?
    public var timeout: TimeInterval
    public var connectTimeout: TimeInterval

    public init(
        url: String, requireSTARTTLS: Bool = true, mailFrom: String, recipients: [String], message: [UInt8],
        username: String? = nil, password: String? = nil, caFile: String? = nil, timeout: TimeInterval = 60,
        connectTimeout: TimeInterval = 10
    ) {
        self.url = url
        self.requireSTARTTLS = requireSTARTTLS
        self.mailFrom = mailFrom
        self.recipients = recipients
        self.message = message
        self.username = username
        self.password = password
        self.caFile = caFile
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }
}

/// The server's last reply: its code decides the outcome, and for an accepted message its text
/// (`250 2.0.0 Ok: queued as …`) is the proof of delivery.
public struct SMTPResponse: Sendable, Equatable {
    public var code: Int
    public var reply: String

    public init(code: Int, reply: String) {
        self.code = code
        self.reply = reply
    }
}
