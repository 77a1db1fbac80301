import Foundation

/// A mailbox checked once, where it enters Herald, so that every later use (message headers, the SMTP envelope,
/// logs) can trust it: the address is plain ASCII without header syntax, and the display name has no line breaks.
public struct EmailAddress: Sendable, Equatable, CustomStringConvertible {
    /// Any Unicode text; the message builder encodes it for the header, so it never reaches the wire as typed.
    public let displayName: String?
    /// The addr-spec (`local@domain`). ASCII only, because it goes into `MAIL FROM`/`RCPT TO` as well as headers
    /// and Herald does not rely on servers offering SMTPUTF8.
    public let address: String

    /// - Parameters:
    ///   - displayName: Leading and trailing whitespace is dropped; an empty or blank name counts as no name.
    ///   - address: The addr-spec alone, without angle brackets.
    public init(displayName: String? = nil, address: String) throws {
        self.displayName = try Self.checkedDisplayName(displayName)
        self.address = try Self.checkedAddress(address)
    }

    /// Reads one mailbox as people write it in configuration and API requests: `name@example.org`,
    /// `<name@example.org>`, `Name <name@example.org>` or `"Name, Quoted \"x\"" <name@example.org>`.
    public static func parse(_ text: String) throws -> EmailAddress {
        if text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw HeraldError(.invalidInput, "The email address contains a line break. \(Self.advice)")
        }
        let trimmed = trimmingBlanks(text)
        if trimmed.isEmpty {
            throw HeraldError(.invalidInput, "The email address is empty. \(Self.advice)")
        }
        func malformed(_ problem: String) -> HeraldError {
            HeraldError(.invalidInput, "The email address \(quoted(trimmed)) \(problem). \(Self.advice)")
        }

        var name: String?
        var rest = Substring(trimmed)
        if trimmed.hasPrefix("\"") {
            guard let (unquoted, after) = quotedString(rest.dropFirst()) else {
                throw malformed("has a display name with no closing quote")
            }
            name = unquoted
            rest = Substring(trimmingBlanks(String(after)))
            if !rest.hasPrefix("<") {
                throw malformed("has text after the quoted display name that is not an <address>")
            }
        } else if let open = trimmed.firstIndex(of: "<") {
            let plain = trimmed[..<open]
            if plain.contains(where: { $0 == "\"" || $0 == ">" }) {
                throw malformed("has a display name containing a quote or '>'; put the name in double quotes")
            }
            name = trimmingBlanks(String(plain))
            rest = trimmed[open...]
        } else if trimmed.contains(where: { $0 == ">" }) {
            throw malformed("has a '>' without an opening '<'")
        } else {
            return try EmailAddress(address: trimmed)
        }

        if rest.dropFirst().contains(where: { $0 == "<" }) {
            throw malformed("has more than one '<'")
        }
        guard let close = rest.firstIndex(of: ">") else {
            throw malformed("has a '<' without a closing '>'")
        }
        if rest.index(after: close) != rest.endIndex {
            throw malformed("has text after the closing '>'")
        }
        return try EmailAddress(displayName: name, address: String(rest.dropFirst().dropLast()))
    }

    /// For people reading logs and CLI output; the message builder produces the encoded header form. `parse` reads
    /// it back to the same value, so it can be stored as a recipient: a name is quoted only when it contains `"`,
    /// `<` or `>`, which `parse` would otherwise take for syntax.
    public var description: String {
        guard let displayName else { return address }
        guard displayName.contains(where: { $0 == "\"" || $0 == "<" || $0 == ">" }) else { return "\(displayName) <\(address)>" }
        var quoted = "\""
        for character in displayName {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\" <\(address)>"
    }

    private static let advice = "Write it as name@example.org or Name <name@example.org>."

    private static func checkedDisplayName(_ name: String?) throws -> String? {
        guard let name else { return nil }
        // Printable ASCII (most names) has no line break or control character, and only the space to trim: no need
        // to look up Unicode properties, which is slow and runs for every email sent.
        if name.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) {
            let trimmed = trimming(name) { $0 == " " }
            return trimmed.isEmpty ? nil : trimmed
        }
        if name.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw HeraldError(.invalidInput, "The display name \(quoted(name)) contains a line break. Give the name on one line.")
        }
        let trimmed = trimming(name) { $0.properties.isWhitespace }
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw HeraldError(.invalidInput, "The display name \(quoted(name)) contains a control character. Remove it.")
        }
        if trimmed.unicodeScalars.contains(where: \.properties.isBidiControl) {
            throw HeraldError(
                .invalidInput,
                "The display name \(quoted(name)) contains a text-direction control (such as U+202E), which can make a name read as another. Remove it."
            )
        }
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func checkedAddress(_ address: String) throws -> String {
        if address.isEmpty {
            throw HeraldError(.invalidInput, "The email address is empty. \(Self.advice)")
        }
        if address.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw HeraldError(.invalidInput, "The email address contains a line break. \(Self.advice)")
        }
        if let problem = problem(in: address) {
            throw HeraldError(.invalidInput, "The email address \(quoted(address)) \(problem). \(Self.advice)")
        }
        return address
    }

    /// What is wrong with `address` as an addr-spec, phrased to follow "The email address … ".
    private static func problem(in address: String) -> String? {
        let bytes = Array(address.utf8)
        if bytes.count > 254 { return "is longer than 254 characters" }
        if bytes.contains(where: { $0 >= 0x80 }) {
            return "contains non-ASCII characters; use the ASCII form (an international domain starts with xn--)"
        }
        if bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }) { return "contains a space or control character" }
        if let special = bytes.first(where: { Self.forbidden.contains($0) }) {
            return "contains '\(Character(Unicode.Scalar(special)))', which an address may not contain"
        }
        let parts = bytes.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        if parts.count == 1 { return "has no @" }
        if parts.count > 2 { return "has more than one @" }
        let local = parts[0]
        let domain = parts[1]
        if local.isEmpty { return "has nothing before the @" }
        if local.count > 64 { return "has more than 64 characters before the @" }
        if local.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).contains(where: \.isEmpty) {
            return "has a dot at the start or end of the part before the @, or two dots in a row"
        }
        return problem(inDomain: String(decoding: domain, as: UTF8.self))
    }

    private static func problem(inDomain domain: String) -> String? {
        if domain.isEmpty { return "has nothing after the @" }
        if domain.lowercased() == "localhost" { return nil }
        if domain.utf8.count > 253 { return "has a domain longer than 253 characters" }
        let labels = domain.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if labels.count < 2 { return "has a domain without a dot" }
        for label in labels {
            if label.isEmpty { return "has a domain with an empty part between dots" }
            if label.count > 63 { return "has a domain part longer than 63 characters" }
            if !label.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: "-") }) {
                return "has a domain with characters other than letters, digits, hyphens and dots"
            }
            if label.first == UInt8(ascii: "-") || label.last == UInt8(ascii: "-") {
                return "has a domain part that starts or ends with a hyphen"
            }
        }
        return nil
    }

    /// RFC 5322 specials other than `@` and `.`, which the addr-spec grammar places itself.
    private static let forbidden = Set("<>,\"();:\\[]".utf8)

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// The content of a quoted string whose opening quote is already consumed, and the text after its closing quote.
    private static func quotedString(_ text: Substring) -> (String, Substring)? {
        var content = String.UnicodeScalarView()
        var scalars = text.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "\\":
                guard let escaped = scalars.popFirst() else { return nil }
                content.append(escaped)
            case "\"":
                return (String(content), Substring(scalars))
            default:
                content.append(scalar)
            }
        }
        return nil
    }

    private static func trimmingBlanks(_ text: String) -> String {
        trimming(text) { $0 == " " || $0 == "\t" }
    }

    /// `text` without the scalars `isTrimmed` accepts at either end. Plain standard library rather than Foundation's
    /// `trimmingCharacters`, because every email attempt parses its recipient.
    private static func trimming(_ text: String, _ isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }), let last = scalars.lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(scalars[first...last])
    }

    /// The text as it appears in a refusal: escaped so control characters stay visible, and cut to a readable length.
    private static func quoted(_ text: String) -> String {
        JSONText.string(text.count > 80 ? String(text.prefix(79)) + "…" : text)
    }
}
