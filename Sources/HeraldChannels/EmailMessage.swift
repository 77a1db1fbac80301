import Foundation
import HeraldCore

/// One notice as Herald mails it: a single sender, plain text with an optional HTML alternative, and no
/// attachments. Recipients that must stay hidden belong in the SMTP envelope only, never here.
public struct EmailMessage: Sendable {
    public var from: EmailAddress
    /// Shown in the `To` header; an empty list leaves the header out, as RFC 5322 allows for envelope-only delivery.
    public var to: [EmailAddress]
    public var replyTo: EmailAddress?
    public var subject: String
    public var text: String
    /// When set, mail clients that render HTML show it instead of `text`.
    public var html: String?
    /// The `Message-ID` without its angle brackets, such as `0193…@herald.example.org`. Deriving it from Herald's
    /// message id keeps it the same across retries, so receivers can discard duplicates.
    public var messageID: String
    public var date: Date

    /// - Parameters:
    ///   - subject: One line; a line break or other control character (except tab) is refused at rendering.
    ///   - text: Any line endings; they are sent as CRLF.
    ///   - date: Written in UTC, so the rendered bytes do not depend on the machine's time zone.
    public init(
        from: EmailAddress, to: [EmailAddress], replyTo: EmailAddress? = nil, subject: String, text: String, html: String? = nil,
        messageID: String, date: Date
    ) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.text = text
        self.html = html
        self.messageID = messageID
        self.date = date
    }

    /// The complete RFC 5322 message (headers, blank line, body) with CRLF line endings, ready for libcurl to
    /// stream after `DATA`. The same message always renders to the same bytes, so a retry resends an identical
    /// message.
    public func rendered() throws -> [UInt8] {
        try EmailMessageBuilder(message: self).render()
    }
}
