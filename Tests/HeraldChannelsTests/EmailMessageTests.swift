import Foundation
import HeraldChannels
import HeraldCore
import Testing

/// The rendered message is what libcurl streams after DATA: its headers must read back as the values Herald was
/// given, its lines must survive SMTP (CRLF only, at most 998 octets, no lone dot), and no value may add a header.
@Suite struct EmailMessageTests {
    static let date = Date(timeIntervalSince1970: 1_704_164_645)

    static func message(
        from: String = "Herald <herald@example.org>", to: [String] = ["ops@example.org"], replyTo: String? = nil,
        subject: String = "Disk almost full", text: String = "Free space is below 5%.\n", html: String? = nil,
        messageID: String = "0193a5c2-7d1e-7000-8000-000000000001@herald.example.org"
    ) throws -> EmailMessage {
        EmailMessage(
            from: try EmailAddress.parse(from), to: try to.map(EmailAddress.parse), replyTo: try replyTo.map(EmailAddress.parse),
            subject: subject, text: text, html: html, messageID: messageID, date: date
        )
    }

    @Test func reproducesTV6() throws {
        let message = try Self.message(from: "Zoë Müller <zoe@example.test>", subject: "Grüße aus Köln ✓", text: "Grüße = 100%")
        let email = try RenderedEmail(message)
        #expect(email.headerLines.contains("From: =?utf-8?b?Wm/DqyBNw7xsbGVy?= <zoe@example.test>"))
        #expect(email.headerLines.contains("Subject: =?utf-8?b?R3LDvMOfZSBhdXMgS8O2bG4g4pyT?="))
        #expect(email.header("Content-Transfer-Encoding") == "quoted-printable")
        #expect(email.bodyLines == ["Gr=C3=BC=C3=9Fe =3D 100%"])
    }

    @Test func writesHeadersInOrderWithAFixedUTCDate() throws {
        let email = try RenderedEmail(Self.message(to: ["a@example.org", "B <b@example.org>"], replyTo: "desk@example.org"))
        #expect(email.headers.map(\.name) == [
            "Date", "From", "To", "Reply-To", "Subject", "Message-ID", "MIME-Version", "Auto-Submitted", "Content-Type",
            "Content-Transfer-Encoding",
        ])
        #expect(email.header("Date") == "Tue, 02 Jan 2024 03:04:05 +0000")
        #expect(email.header("From") == "Herald <herald@example.org>")
        #expect(email.header("To") == "a@example.org, B <b@example.org>")
        #expect(email.header("Reply-To") == "desk@example.org")
        #expect(email.header("Subject") == "Disk almost full")
        #expect(email.header("Message-ID") == "<0193a5c2-7d1e-7000-8000-000000000001@herald.example.org>")
        #expect(email.header("MIME-Version") == "1.0")
        #expect(email.header("Auto-Submitted") == "auto-generated")
        #expect(email.header("Content-Type") == "text/plain; charset=utf-8")
    }

    @Test(arguments: [
        (0.0, "Thu, 01 Jan 1970 00:00:00 +0000"),
        (951_782_400.999, "Tue, 29 Feb 2000 00:00:00 +0000"),
        (-86_401.0, "Tue, 30 Dec 1969 23:59:59 +0000"),
        (4_102_444_799.0, "Thu, 31 Dec 2099 23:59:59 +0000"),
    ])
    func datesAreRFC5322InUTC(seconds: Double, expected: String) throws {
        var message = try Self.message()
        message.date = Date(timeIntervalSince1970: seconds)
        #expect(try RenderedEmail(message).header("Date") == expected)
    }

    @Test func leavesOutToWhenEveryRecipientIsInTheEnvelopeOnly() throws {
        let email = try RenderedEmail(Self.message(to: []))
        #expect(email.header("To") == nil)
    }

    @Test(arguments: [
        ("Ann Smith <a@b.org>", "Ann Smith <a@b.org>"),
        ("a@b.org", "a@b.org"),
        ("\"Q, Name\" <a@b.org>", "\"Q, Name\" <a@b.org>"),
        ("\"Say \\\"hi\\\" \\\\ now\" <a@b.org>", "\"Say \\\"hi\\\" \\\\ now\" <a@b.org>"),
        ("\"Ops  (primary)\" <a@b.org>", "\"Ops  (primary)\" <a@b.org>"),
        ("\"=?utf-8?q?x?=\" <a@b.org>", "=?utf-8?b?PT91dGYtOD9xP3g/PQ==?= <a@b.org>"),
        ("Zoë Müller <zoe@example.test>", "=?utf-8?b?Wm/DqyBNw7xsbGVy?= <zoe@example.test>"),
    ])
    func writesDisplayNamesAsAtomsQuotedStringsOrEncodedWords(from: String, header: String) throws {
        #expect(try RenderedEmail(Self.message(from: from)).header("From") == header)
    }

    static let awkwardSubjects = [
        "Grüße — ‘Adult C’ 👋", "Weekly report", "tab\there", "=?utf-8?b?SGk=?= is not an encoded word", "  leading and trailing  ",
        "double  space", String(repeating: "👨‍👩‍👧‍👦", count: 12), String(repeating: "e\u{301}", count: 40),
        "a" + String(repeating: "\u{301}", count: 30), String(repeating: "x", count: 300),
        String(repeating: "Quarterly numbers are in. ", count: 12), "",
    ]

    @Test(arguments: awkwardSubjects)
    func subjectsReadBackExactly(subject: String) throws {
        let email = try RenderedEmail(Self.message(subject: subject))
        #expect(RenderedEmail.decodedHeader(email.header("Subject") ?? "") == subject)
        for word in email.encodedWords(of: "Subject") {
            #expect(word.utf8.count <= 75)
            #expect(String(validating: try #require(RenderedEmail.base64Payload(word)), as: UTF8.self) != nil, "\(word) splits a character")
        }
    }

    @Test(arguments: ["Zoë Müller", String(repeating: "Ünïcödé ", count: 12), "Ops team", String(repeating: "Q, ", count: 40)])
    func displayNamesReadBackExactly(name: String) throws {
        var message = try Self.message()
        message.from = try EmailAddress(displayName: name, address: "herald@example.org")
        let from = try #require(try RenderedEmail(message).header("From"))
        let mailbox = try #require(from.range(of: " <herald@example.org>", options: .backwards))
        var phrase = String(from[..<mailbox.lowerBound])
        if phrase.hasPrefix("\"") {
            phrase = String(phrase.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
        }
        #expect(RenderedEmail.decodedHeader(phrase) == message.from.displayName)
    }

    @Test(arguments: ["Line\r\nBcc: x@y.org", "Line\nBcc: x@y.org", "Line\rBcc"])
    func refusesLineBreaksInTheSubject(subject: String) throws {
        let error = try #require(throws: HeraldError.self) { try Self.message(subject: subject).rendered() }
        #expect(error.code == .invalidInput)
        #expect(error.message.contains("subject") && error.message.contains("line break"), "\(error.message)")
    }

    @Test(arguments: ["bell\u{07}", "nul\u{0}", "del\u{7F}", "c1\u{9B}"])
    func refusesControlCharactersInTheSubject(subject: String) throws {
        let error = try #require(throws: HeraldError.self) { try Self.message(subject: subject).rendered() }
        #expect(error.message.contains("subject") && error.message.contains("control character"), "\(error.message)")
    }

    @Test(arguments: ["x@y.org>\r\nBcc: z@w.org", "", "no-at-sign", "a@b@c", "<a@b.org>", "a b@c.org", "@b.org"])
    func refusesMessageIDsThatAreNotIdAtDomain(messageID: String) throws {
        let error = try #require(throws: HeraldError.self) { try Self.message(messageID: messageID).rendered() }
        #expect(error.code == .invalidInput)
        #expect(error.message.contains("Message-ID"), "\(error.message)")
    }

    @Test func foldsLongRecipientListsBetweenAddresses() throws {
        let recipients = (1...12).map { "Recipient Number \($0) <recipient.number.\($0)@example.org>" }
        let email = try RenderedEmail(Self.message(to: recipients))
        #expect(email.header("To") == recipients.joined(separator: ", "))
        let toLines = email.headerLines.drop { !$0.hasPrefix("To:") }.prefix { $0.hasPrefix("To:") || $0.hasPrefix(" ") }
        #expect(toLines.count == recipients.count)
        #expect(toLines.allSatisfy { $0.contains(" Recipient Number ") && ($0.hasSuffix(".org>,") || $0.hasSuffix(".org>")) })
        #expect(email.headerLines.allSatisfy { $0.utf8.count <= 78 })
    }

    @Test func keepsAMaximalAddressOnOneLineWithinTheHardLimit() throws {
        let address = String(repeating: "l", count: 64) + "@" + String(repeating: "d", count: 60) + "." + String(repeating: "e", count: 60)
            + "." + String(repeating: "f", count: 60) + ".org"
        let email = try RenderedEmail(Self.message(to: ["Long One <\(address)>", "short@example.org"]))
        #expect(email.header("To") == "Long One <\(address)>, short@example.org")
        #expect(email.lines.allSatisfy { $0.utf8.count <= 998 })
    }

    static let bodies = [
        "Free space is below 5%.\n", "", "no newline at end", "lone\rCR and\r\nCRLF and\nLF\n\n", "trailing space \nand tab\t\n",
        "first\n.\n.leading dot\n..two dots\nlast", "Grüße = 100%", "Größe: " + String(repeating: "äöü ß ", count: 40),
        "東京の天気は晴れです。" + String(repeating: "会議は午後三時からです。", count: 20),
        String(repeating: "=", count: 200) + "\n" + String(repeating: " ", count: 100) + "\n" + String(repeating: "é", count: 10),
        String(repeating: "x", count: 75) + "é" + String(repeating: "y", count: 74) + "=\t ",
        "control \u{0}\u{7}\u{1B} bytes\u{7F}",
    ]

    @Test(arguments: bodies)
    func textBodiesDecodeBackExactlyWithCRLF(text: String) throws {
        let alone = try RenderedEmail(Self.message(text: text)).decodedParts()
        let expected = Self.crlf(text)
        let endsInBreak = expected.isEmpty || expected.hasSuffix("\r\n") || alone.first?.encoding == "base64"
        #expect(alone.map(\.content) == [endsInBreak ? expected : expected + "\r\n"])
        let alternative = try RenderedEmail(Self.message(text: text, html: text)).decodedParts()
        #expect(alternative.map(\.content) == [expected, expected])
    }

    @Test func linesStartingWithADotArriveIntact() throws {
        let long = String(repeating: "x", count: 75)
        let text = ".hidden\n.\n..two\n\(long).after a soft break"
        let email = try RenderedEmail(Self.message(text: text))
        #expect(email.bodyLines == ["=2Ehidden", "=2E", "=2E.two", long + "=", "=2Eafter a soft break"])
        #expect(try email.decodedParts().map(\.content) == [Self.crlf(text) + "\r\n"])
    }

    @Test func aLongHTMLLineStaysWithinSeventySixCharactersAndDecodesBack() throws {
        let row = "<td class=\"cell\">Café №·</td>"
        var html = "<table><tr>"
        while html.count < 2_000 { html += row }
        html += "</tr></table>"
        #expect(html.count >= 2_000 && !html.contains("\n"))
        let email = try RenderedEmail(Self.message(html: html))
        let parts = try email.decodedParts()
        #expect(parts.map(\.type) == ["text/plain; charset=utf-8", "text/html; charset=utf-8"])
        #expect(parts.last?.encoding == "quoted-printable")
        #expect(parts.last?.content == html)
        #expect(email.bodyLines.allSatisfy { $0.utf8.count <= 76 })
    }

    @Test func multipartHasTextThenHTMLBetweenBoundariesThatOccurNowhereElse() throws {
        let text = "Hello --\n--\n=_herald_ in text"
        let html = "<p>Hello</p>\n" + String(repeating: "<p>日本語のテキスト</p>", count: 10)
        let email = try RenderedEmail(Self.message(text: text, html: html))
        let contentType = try #require(email.header("Content-Type"))
        #expect(contentType.hasPrefix("multipart/alternative; boundary=\"=_herald_"))
        let boundary = try #require(email.boundary)
        #expect(email.bodyLines.filter { $0.contains(boundary) } == ["--\(boundary)", "--\(boundary)", "--\(boundary)--"])
        #expect(email.bodyLines.last == "--\(boundary)--")
        let parts = try email.decodedParts()
        #expect(parts.map(\.type) == ["text/plain; charset=utf-8", "text/html; charset=utf-8"])
        #expect(parts.map(\.encoding) == ["quoted-printable", "base64"])
        #expect(parts.map(\.content) == [Self.crlf(text), Self.crlf(html)])
    }

    @Test func everyLineEndsInCRLFAndFitsSMTPLimits() throws {
        let subjects = Self.awkwardSubjects.filter { !$0.isEmpty }
        for (index, text) in Self.bodies.enumerated() {
            let message = try Self.message(
                from: "Zoë Müller <zoe@example.test>", to: ["\"Q, Name\" <q@example.org>", "ops@example.org"],
                replyTo: "Desk <desk@example.org>", subject: subjects[index % subjects.count], text: text,
                html: index.isMultiple(of: 2) ? "<p>\(text)</p>" : nil
            )
            let bytes = try message.rendered()
            #expect(bytes.suffix(2) == [0x0D, 0x0A])
            for (offset, byte) in bytes.enumerated() {
                if byte == 0x0D { #expect(offset + 1 < bytes.count && bytes[offset + 1] == 0x0A) }
                if byte == 0x0A { #expect(offset > 0 && bytes[offset - 1] == 0x0D) }
            }
            #expect(bytes.allSatisfy { $0 < 0x80 })
            let email = try RenderedEmail(message)
            #expect(email.headerLines.allSatisfy { $0.utf8.count <= 78 }, "\(email.headerLines)")
            #expect(email.lines.allSatisfy { $0.utf8.count <= 998 })
            #expect(!email.lines.contains { $0.hasPrefix(".") }, "a line starts with a dot")
            #expect(email.bodyLines.allSatisfy { $0.utf8.count <= 76 })
            #expect(email.bodyLines.allSatisfy { !$0.hasSuffix(" ") && !$0.hasSuffix("\t") })
        }
    }

    @Test func softBreaksNeverSplitAnEscape() throws {
        for shift in 0..<4 {
            let text = String(repeating: "a", count: 70 + shift) + String(repeating: "é=", count: 12) + "\n"
            let email = try RenderedEmail(Self.message(text: text))
            let hexDigits = Set("0123456789ABCDEF".utf8)
            for line in email.bodyLines {
                let bytes = Array(line.utf8)
                for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "=") {
                    let isSoftBreak = offset == bytes.count - 1
                    let isEscape = offset + 2 < bytes.count && hexDigits.contains(bytes[offset + 1]) && hexDigits.contains(bytes[offset + 2])
                    #expect(isSoftBreak || isEscape, "\(line)")
                }
            }
            #expect(try email.decodedParts().map(\.encoding) == ["quoted-printable"])
            #expect(try email.decodedParts().map(\.content) == [Self.crlf(text)])
        }
    }

    @Test func renderingIsDeterministic() throws {
        let message = try Self.message(subject: "Grüße — ‘Adult C’ 👋", html: "<p>Hi</p>")
        #expect(try message.rendered() == (try message.rendered()))
        let other = try Self.message(html: "<p>Hi</p>", messageID: "0193a5c2-7d1e-7000-8000-000000000002@herald.example.org")
        #expect(try RenderedEmail(message).boundary != (try RenderedEmail(other).boundary))
    }

    static func crlf(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
    }
}

/// Reads a rendered message back with independent, deliberately simple decoders.
struct RenderedEmail {
    struct Part {
        var type: String
        var encoding: String
        var content: String
    }

    let lines: [String]
    let headerLines: [String]
    let bodyLines: [String]

    init(_ message: EmailMessage) throws {
        let text = try #require(String(validating: try message.rendered(), as: UTF8.self))
        #expect(text.hasSuffix("\r\n"))
        lines = Array(text.components(separatedBy: "\r\n").dropLast())
        let blank = try #require(lines.firstIndex(of: ""))
        headerLines = Array(lines[..<blank])
        bodyLines = Array(lines[(blank + 1)...])
    }

    var headers: [(name: String, value: String)] { Self.unfolded(headerLines) }

    func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

    var boundary: String? {
        header("Content-Type")?.components(separatedBy: "boundary=\"").last.map { String($0.dropLast()) }
    }

    func encodedWords(of name: String) -> [String] {
        (header(name) ?? "").split(separator: " ").map(String.init).filter { $0.hasPrefix("=?") }
    }

    func decodedParts() throws -> [Part] {
        guard let boundary, header("Content-Type")?.hasPrefix("multipart/") == true else {
            return [try Self.part(headers: headers, content: bodyLines + [""])]
        }
        var sections: [[String]] = []
        for line in bodyLines {
            if line == "--\(boundary)" {
                sections.append([])
            } else if line == "--\(boundary)--" {
                break
            } else if !sections.isEmpty {
                sections[sections.count - 1].append(line)
            }
        }
        return try sections.map { section in
            let blank = try #require(section.firstIndex(of: ""))
            return try Self.part(headers: Self.unfolded(Array(section[..<blank])), content: Array(section[(blank + 1)...]))
        }
    }

    static func part(headers: [(name: String, value: String)], content: [String]) throws -> Part {
        let type = headers.first { $0.name == "Content-Type" }?.value ?? ""
        let encoding = headers.first { $0.name == "Content-Transfer-Encoding" }?.value ?? ""
        let bytes = encoding == "base64" ? try #require(Data(base64Encoded: content.joined())).map { $0 } : quotedPrintable(content)
        return Part(type: type, encoding: encoding, content: try #require(String(validating: bytes, as: UTF8.self)))
    }

    static func unfolded(_ lines: [String]) -> [(name: String, value: String)] {
        var fields: [String] = []
        for line in lines {
            if line.hasPrefix(" ") || line.hasPrefix("\t") {
                fields[fields.count - 1] += line
            } else {
                fields.append(line)
            }
        }
        return fields.map { field in
            let colon = field.firstIndex(of: ":")!
            return (String(field[..<colon]), String(field[field.index(after: colon)...].dropFirst()))
        }
    }

    static func quotedPrintable(_ lines: [String]) -> [UInt8] {
        var out: [UInt8] = []
        for (index, line) in lines.enumerated() {
            var bytes = Array(line.utf8)[...]
            let soft = bytes.last == UInt8(ascii: "=")
            if soft { bytes.removeLast() }
            while let byte = bytes.popFirst() {
                if byte == UInt8(ascii: "=") {
                    out.append(UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16)!)
                    bytes.removeFirst(2)
                } else {
                    out.append(byte)
                }
            }
            if !soft && index < lines.count - 1 { out += [0x0D, 0x0A] }
        }
        return out
    }

    static func base64Payload(_ word: String) -> [UInt8]? {
        guard word.hasPrefix("=?utf-8?b?") && word.hasSuffix("?=") else { return nil }
        return Data(base64Encoded: String(word.dropFirst(10).dropLast(2))).map { Array($0) }
    }

    /// RFC 2047 decoding as readers do it: whitespace between two adjacent encoded-words disappears.
    static func decodedHeader(_ value: String) -> String {
        var out: [UInt8] = []
        var previousWasEncoded = false
        for (index, token) in value.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if let payload = base64Payload(String(token)) {
                if index > 0 && !previousWasEncoded { out.append(UInt8(ascii: " ")) }
                out += payload
                previousWasEncoded = true
            } else {
                if index > 0 { out.append(UInt8(ascii: " ")) }
                out += token.utf8
                previousWasEncoded = false
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
