import Foundation
import HeraldCore
import HeraldTransport

/// Email over SMTP submission (docs/channels.md §7). The message is built from stored values only, so every
/// retry sends the same bytes under the same `Message-ID`; the server's last reply decides the outcome and, when
/// it accepts, is kept as the proof of delivery.
public struct SMTPAdapter: ChannelAdapter {
    public struct Settings: Sendable {
        /// `smtps://host:port` or `smtp://host:port`, without a path.
        public var url: String
        public var requireSTARTTLS: Bool
        public var helo: String
        public var from: EmailAddress
        public var replyTo: EmailAddress?
        public var username: String?
        public var password: String?
        public var caFile: String?
        public var timeout: TimeInterval
        public var connectTimeout: TimeInterval

        public init(
            url: String, requireSTARTTLS: Bool = true, helo: String, from: EmailAddress, replyTo: EmailAddress? = nil,
            username: String? = nil, password: String? = nil, caFile: String? = nil, timeout: TimeInterval = 60,
            connectTimeout: TimeInterval = 10
        ) {
            self.url = url
            self.requireSTARTTLS = requireSTARTTLS
            self.helo = helo
            self.from = from
            self.replyTo = replyTo
            self.username = username
            self.password = password
            self.caFile = caFile
            self.timeout = timeout
            self.connectTimeout = connectTimeout
        }
    }

    private let settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    public func request(for message: Message, now: Date) throws -> TransferRequest {
        .smtp(try smtpRequest(for: message))
    }

    /// The submission for one attempt. The `Date` header is the message's creation time, not the attempt's, so a
    /// retry is byte for byte the message the first attempt sent.
    public func smtpRequest(for message: Message) throws -> SMTPRequest {
        let recipient = try EmailAddress.parse(message.recipient)
        guard let subject = message.content["subject"], let text = message.content["text"] else {
            throw HeraldError(.template, "Message \(message.id) has no subject or text part; an email needs subject.mustache and text.mustache.")
        }
        let email = EmailMessage(
            from: settings.from, to: [recipient], replyTo: settings.replyTo, subject: subject, text: text,
            html: message.content["html"], messageID: Self.messageID(for: message.id, from: settings.from), date: message.createdAt
        )
        return SMTPRequest(
            url: "\(settings.url)/\(settings.helo)", requireSTARTTLS: settings.requireSTARTTLS, mailFrom: settings.from.address,
            recipients: [recipient.address], message: try email.rendered(), username: settings.username, password: settings.password,
            caFile: settings.caFile, timeout: settings.timeout, connectTimeout: settings.connectTimeout
        )
    }

    /// `<message id>@<sender's domain>`: stable across retries, so receivers can recognise a repeat.
    public static func messageID(for id: MessageID, from: EmailAddress) -> String {
        let domain = from.address[from.address.index(after: from.address.lastIndex(of: "@")!)...]
        return "\(id.rawValue)@\(domain)"
    }

    public func outcome(of result: Result<TransferResponse, TransportError>, now: Date) -> DeliveryOutcome {
        switch result {
        case .success(.smtp(let response)):
            return Self.outcome(of: response)
        case .success(let other):
            return .permanent(reason: "the transport answered an SMTP submission with \(other); this is a bug in Herald")
        case .failure(let error):
            return Self.outcome(of: error)
        }
    }

    /// By the first digit of the last reply (RFC 5321): 2 delivered, 4 later, 5 never as it is.
    static func outcome(of response: SMTPResponse) -> DeliveryOutcome {
        let reply = Self.printable(response.reply.isEmpty ? "\(response.code)" : response.reply)
        switch response.code {
        case 200..<300:
            return .delivered(proof: reply)
        case 535:
            return .permanent(reason: "\(reply): the server refused the channel's username or password; correct them in channels.yml")
        case 530, 534, 538:
            return .permanent(reason: "\(reply): the server wants a login or stronger encryption; check the channel's url, username and password")
        case 500..<600:
            return .permanent(reason: reply)
        default:
            return .retry(reason: reply, after: nil, pauseChannel: false)
        }
    }

    /// No reply at all: a network failure is worth another try (a repeat carries the same Message-ID), a TLS
    /// failure is a configuration problem that retrying cannot fix.
    static func outcome(of error: TransportError) -> DeliveryOutcome {
        let detail = Self.printable(String(error.message.prefix(200)))
        if error.code == .tls {
            return .permanent(reason: "TLS failed (\(detail)); check the server's certificate, the channel's url and ca_file")
        }
        if error.code == .invalidRequest {
            return .permanent(reason: "\(error.code): \(detail)")
        }
        return .retry(reason: "\(error.code): \(detail)", after: nil, pauseChannel: false)
    }

    private static func printable(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) }.prefix(300))
    }
}
