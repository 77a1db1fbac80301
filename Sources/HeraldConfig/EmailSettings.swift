import Foundation
import HeraldCore

/// What an `smtp` channel needs beyond its url: who the mail is from, how to log in, and how TLS is checked.
public struct EmailSettings: Sendable {
    public var from: EmailAddress
    public var replyTo: EmailAddress?
    /// Resolved from `${ENV}` or `file:`; never stored or logged.
    public var username: String?
    public var password: String?
    /// A PEM file of CAs to trust for a server with a private certificate authority.
    public var caFile: String?
    /// The name Herald gives in EHLO.
    public var helo: String
    /// For `smtp://`: whether STARTTLS is required. Only a loopback server may be used without it.
    public var requireSTARTTLS: Bool

    public init(
        from: EmailAddress, replyTo: EmailAddress? = nil, username: String? = nil, password: String? = nil, caFile: String? = nil,
        helo: String, requireSTARTTLS: Bool = true
    ) {
        self.from = from
        self.replyTo = replyTo
        self.username = username
        self.password = password
        self.caFile = caFile
        self.helo = helo
        self.requireSTARTTLS = requireSTARTTLS
    }
}
