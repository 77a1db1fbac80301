import Foundation

/// Text bodies as 7-bit lines of at most 76 characters, so they cross any SMTP server unchanged (no 8BITMIME
/// needed) and never come near the 998-octet line limit, whatever line lengths the text itself has.
enum MIMEBodyEncoding {
    /// The transfer encoding and encoded lines for `text`: quoted-printable keeps mostly-ASCII text readable in the
    /// raw message; base64 is smaller when most bytes would become `=XX` triplets.
    static func encode(_ text: String) -> (transferEncoding: String, lines: [String]) {
        let lines = self.lines(of: text)
        let nonASCII = lines.reduce(0) { $0 + $1.count(where: { $0 >= 0x80 }) }
        let total = lines.reduce(0) { $0 + $1.count } + 2 * (lines.count - 1)
        if nonASCII * 10 > total * 3 {
            return ("base64", base64(Array(lines.joined(separator: [0x0D, 0x0A]))))
        }
        return ("quoted-printable", lines.flatMap(quotedPrintable))
    }

    /// The text's lines as UTF-8, split at CRLF, lone CR and lone LF alike, so every break becomes CRLF on the wire.
    static func lines(of text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = [[]]
        var afterCR = false
        for byte in text.utf8 {
            defer { afterCR = byte == 0x0D }
            if byte == 0x0A && afterCR { continue }
            if byte == 0x0D || byte == 0x0A {
                lines.append([])
            } else {
                lines[lines.count - 1].append(byte)
            }
        }
        return lines
    }

    /// One source line as RFC 2045 §6.7 quoted-printable: output lines of at most 76 characters with soft breaks
    /// (`=`) between whole `=XX` triplets, whitespace at the end of the line encoded so transports cannot strip it,
    /// and a `.` that would start an output line encoded as `=2E` so it cannot be read as the end of DATA.
    static func quotedPrintable(_ line: [UInt8]) -> [String] {
        var output: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(76)
        for (index, byte) in line.enumerated() {
            let isLast = index == line.count - 1
            var literal = isLiteral(byte, atLineEnd: isLast)
            if current.count + (literal ? 1 : 3) > (isLast ? 76 : 75) {
                current.append(UInt8(ascii: "="))
                output.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
            if current.isEmpty && byte == UInt8(ascii: ".") { literal = false }
            if literal {
                current.append(byte)
            } else {
                current.append(UInt8(ascii: "="))
                current.append(hexDigits[Int(byte >> 4)])
                current.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        output.append(String(decoding: current, as: UTF8.self))
        return output
    }

    /// Base64 in lines of 76 characters.
    static func base64(_ bytes: [UInt8]) -> [String] {
        let encoded = Array(Data(bytes).base64EncodedString().utf8)
        return stride(from: 0, to: encoded.count, by: 76).map {
            String(decoding: encoded[$0..<min($0 + 76, encoded.count)], as: UTF8.self)
        }
    }

    private static func isLiteral(_ byte: UInt8, atLineEnd: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "="): false
        case 0x21...0x7E: true
        case UInt8(ascii: " "), UInt8(ascii: "\t"): !atLineEnd
        default: false
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
}
