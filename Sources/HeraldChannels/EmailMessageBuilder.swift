import Foundation
import HeraldCore

/// Lays out an `EmailMessage` as MIME: the header fields in a fixed order, then one text part or a
/// `multipart/alternative` of text and HTML. All user text goes through `MIMEHeaderEncoding` or
/// `MIMEBodyEncoding`, so none of it can add a header line.
struct EmailMessageBuilder {
    let message: EmailMessage

    func render() throws -> [UInt8] {
        try Self.checkSubject(message.subject)
        try Self.checkMessageID(message.messageID)
        var out: [UInt8] = []
        out.reserveCapacity(512 + message.text.utf8.count * 11 / 10 + (message.html?.utf8.count ?? 0) * 11 / 10)
        func add(_ text: String) { out.append(contentsOf: text.utf8) }
        add(MIMEHeaderEncoding.field("Date", [Self.dateText(message.date)]))
        add(MIMEHeaderEncoding.field("From", groups: MIMEHeaderEncoding.addressList([message.from])))
        if !message.to.isEmpty {
            add(MIMEHeaderEncoding.field("To", groups: MIMEHeaderEncoding.addressList(message.to)))
        }
        if let replyTo = message.replyTo {
            add(MIMEHeaderEncoding.field("Reply-To", groups: MIMEHeaderEncoding.addressList([replyTo])))
        }
        add(MIMEHeaderEncoding.field("Subject", MIMEHeaderEncoding.unstructured(message.subject)))
        add(MIMEHeaderEncoding.field("Message-ID", ["<\(message.messageID)>"]))
        add(MIMEHeaderEncoding.field("MIME-Version", ["1.0"]))
        add(MIMEHeaderEncoding.field("Auto-Submitted", ["auto-generated"]))
        if let html = message.html {
            let boundary = Self.boundary(for: message.messageID)
            add(MIMEHeaderEncoding.field("Content-Type", ["multipart/alternative;", "boundary=\"\(boundary)\""]))
            add("\r\n")
            for (type, content) in [("text/plain", message.text), ("text/html", html)] {
                add("--\(boundary)\r\n")
                Self.part(type, content, endsMessage: false, into: &out)
            }
            add("--\(boundary)--\r\n")
        } else {
            Self.part("text/plain", message.text, endsMessage: true, into: &out)
        }
        return out
    }

    /// The part's own headers, a blank line and its encoded content, ending in CRLF.
    ///
    /// Before a boundary the final CRLF belongs to the delimiter, so the content reads back exactly. At the end of
    /// the message it is part of the content, so a text that already ends in a line break drops its last, empty,
    /// line rather than gaining a second break.
    private static func part(_ type: String, _ content: String, endsMessage: Bool, into out: inout [UInt8]) {
        out.append(contentsOf: MIMEHeaderEncoding.field("Content-Type", ["\(type);", "charset=utf-8"]).utf8)
        var body: [UInt8] = []
        let transferEncoding = MIMEBodyEncoding.encode(content, endsMessage: endsMessage, into: &body)
        out.append(contentsOf: MIMEHeaderEncoding.field("Content-Transfer-Encoding", [transferEncoding]).utf8)
        out.append(contentsOf: [0x0D, 0x0A])
        out.append(contentsOf: body)
    }

    /// A boundary that cannot occur in any part: it contains `=_`, and quoted-printable only ever writes `=`
    /// before two hex digits or a line break, while base64 has no `_` at all. Deriving it from the Message-ID (FNV-1a)
    /// rather than at random keeps rendering deterministic.
    static func boundary(for messageID: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in messageID.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "=_herald_" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// RFC 5322 date-time in UTC with English names, independent of the machine's locale and time zone. Worked out
    /// from the seconds since 1970 (proleptic Gregorian calendar), since this runs for every email sent.
    static func dateText(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let civil = CivilDate(daysSinceEpoch: Int(days))
        let (year, month, day) = (civil.year, civil.month, civil.day)
        let weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday
        let days3 = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(days3[weekday]), \(padded(day, 2)) \(months[month - 1]) \(padded(year, 4)) "
            + "\(padded(secondOfDay / 3600, 2)):\(padded(secondOfDay / 60 % 60, 2)):\(padded(secondOfDay % 60, 2)) +0000"
    }

    private static func checkSubject(_ subject: String) throws {
        if subject.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw HeraldError(.invalidInput, "The email subject contains a line break. Put the subject on one line.")
        }
        if subject.unicodeScalars.contains(where: { $0 != "\t" && $0.properties.generalCategory == .control }) {
            throw HeraldError(.invalidInput, "The email subject contains a control character. Remove it from the subject.")
        }
    }

    /// Only `id@domain` in printable ASCII without header syntax, because the value is written into the header as is.
    private static func checkMessageID(_ id: String) throws {
        let forbidden = Set("<>()[]\\\",;:".utf8)
        let sides = id.utf8.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        let valid =
            id.utf8.count <= 250 && sides.count == 2 && sides.allSatisfy { side in
                !side.isEmpty && side.allSatisfy { (0x21...0x7E).contains($0) && !forbidden.contains($0) }
            }
        if !valid {
            let shown = JSONText.string(id.count > 80 ? String(id.prefix(79)) + "…" : id)
            throw HeraldError(
                .invalidInput,
                "The Message-ID \(shown) is not valid. Give it as id@domain in printable ASCII, without spaces or angle brackets."
            )
        }
    }
}
