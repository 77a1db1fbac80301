import Foundation
import HeraldCore

/// Header values in RFC 5322 syntax, with RFC 2047 encoded-words for anything that is not plain ASCII.
///
/// Every value is produced as a list of tokens that are joined by single spaces, so `field` folds only where the
/// value has a space. Tokens other than addresses are at most `longestToken` characters, so each header line stays
/// within 78 octets; an address, at most 256 characters with its brackets, can only make a line longer on its own.
enum MIMEHeaderEncoding {
    static let lineLimit = 78
    /// "Reply-To: " (the longest header name Herald writes before such a token) plus a token of this size is 78.
    static let longestToken = 68
    /// 42 bytes encode to 56 base64 characters, and with `=?utf-8?b?` and `?=` to a 68-character word.
    private static let bytesPerEncodedWord = 42

    /// The header line, folded and ending in CRLF.
    static func field(_ name: String, _ tokens: [String]) -> String {
        field(name, groups: tokens.map { [$0] })
    }

    /// The header line, folded before a group that would not fit on the current line but fits on a line of its own
    /// (an address with its display name), and within a group only where it is longer than a line.
    static func field(_ name: String, groups: [[String]]) -> String {
        var out = name + ":"
        var lineLength = out.utf8.count
        var lineHasToken = false
        func fold() {
            out += "\r\n"
            lineLength = 0
            lineHasToken = false
        }
        for group in groups {
            let groupWidth = group.reduce(0) { $0 + 1 + $1.utf8.count }
            if lineHasToken && group.first?.isEmpty == false && lineLength + groupWidth > lineLimit && groupWidth <= lineLimit {
                fold()
            }
            for token in group {
                let width = 1 + token.utf8.count
                if lineHasToken && !token.isEmpty && lineLength + width > lineLimit { fold() }
                out += " " + token
                lineLength += width
                lineHasToken = true
            }
        }
        return out + "\r\n"
    }

    /// An unstructured value such as a subject: as typed when that reads back unchanged, otherwise encoded-words.
    static func unstructured(_ text: String) -> [String] {
        if text.isEmpty { return [] }
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        let readsBackUnchanged =
            isPlainASCII(text) && words.first?.isEmpty == false && words.last?.isEmpty == false
            && words.allSatisfy { $0.utf8.count <= longestToken }
        return readsBackUnchanged ? words.map(String.init) : encodedWords(text)
    }

    /// The addresses as a comma-separated list, one group of tokens per address.
    static func addressList(_ addresses: [EmailAddress]) -> [[String]] {
        addresses.enumerated().map { index, address in
            var mailbox = self.mailbox(address)
            if index < addresses.count - 1 { mailbox[mailbox.count - 1] += "," }
            return mailbox
        }
    }

    private static func mailbox(_ address: EmailAddress) -> [String] {
        guard let name = address.displayName else { return [address.address] }
        return phrase(name) + ["<\(address.address)>"]
    }

    /// A display name as atoms when it is made of them, as a quoted string when it is other printable ASCII, and
    /// as encoded-words otherwise (RFC 2047 forbids them inside quoted strings). A quoted string is never folded,
    /// because some parsers lose the quotes across a fold, so one too long for a line is encoded instead.
    private static func phrase(_ name: String) -> [String] {
        guard isPlainASCII(name) else { return encodedWords(name) }
        let words = name.split(separator: " ", omittingEmptySubsequences: false)
        if words.allSatisfy({ !$0.isEmpty && $0.utf8.count <= longestToken && $0.utf8.allSatisfy(isAtext) }) {
            return words.map(String.init)
        }
        var quoted = "\""
        for character in name {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        quoted.append("\"")
        return quoted.utf8.count <= longestToken ? [quoted] : encodedWords(name)
    }

    /// Base64 encoded-words that each hold whole characters, so no word ends inside a multi-byte sequence and
    /// readers that decode words one by one still show the right text. A character too long for one word (a long
    /// run of combining marks) is split between its Unicode scalars instead.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        func add(_ bytes: [UInt8]) {
            if chunk.count + bytes.count > bytesPerEncodedWord {
                words.append("=?utf-8?b?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        for character in text {
            let bytes = Array(character.utf8)
            if bytes.count <= bytesPerEncodedWord {
                add(bytes)
            } else {
                character.unicodeScalars.forEach { add(Array(String($0).utf8)) }
            }
        }
        if !chunk.isEmpty { words.append("=?utf-8?b?" + Data(chunk).base64EncodedString() + "?=") }
        return words
    }

    /// Printable ASCII that no reader would take for an encoded-word.
    private static func isPlainASCII(_ text: String) -> Bool {
        var afterEquals = false
        for byte in text.utf8 {
            guard (0x20...0x7E).contains(byte), !(afterEquals && byte == UInt8(ascii: "?")) else { return false }
            afterEquals = byte == UInt8(ascii: "=")
        }
        return true
    }

    private static func isAtext(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            || "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
    }
}
