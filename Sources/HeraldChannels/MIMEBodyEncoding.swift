import Foundation

/// Text bodies as 7-bit lines of at most 76 characters, so they cross any SMTP server unchanged (no 8BITMIME
/// needed) and never come near the 998-octet line limit, whatever line lengths the text itself has.
///
/// This runs for every email attempt, so it writes straight into the message's bytes: no array of lines, no string
/// per line.
enum MIMEBodyEncoding {
    private static let crlf: [UInt8] = [0x0D, 0x0A]

    /// Appends `text` encoded to `out`, every line ending in CRLF, and returns the transfer encoding: quoted-printable
    /// keeps mostly-ASCII text readable in the raw message; base64 is smaller when most bytes would become `=XX`
    /// triplets. With `endsMessage`, a text that ends in a line break drops its last, empty, line (see
    /// `EmailMessageBuilder`).
    static func encode(_ text: String, endsMessage: Bool, into out: inout [UInt8]) -> String {
        var text = text
        return text.withUTF8 { bytes in
            if prefersBase64(bytes) {
                base64(bytes, into: &out)
                return "base64"
            }
            quotedPrintable(bytes, endsMessage: endsMessage, into: &out)
            return "quoted-printable"
        }
    }

    /// Whether more than 30 % of the encoded text (line breaks counted as CRLF) would be non-ASCII bytes.
    private static func prefersBase64(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var nonASCII = 0
        var total = 0
        var afterCR = false
        for byte in bytes {
            defer { afterCR = byte == 0x0D }
            if byte == 0x0A && afterCR { continue }
            if byte >= 0x80 { nonASCII += 1 }
            total += byte == 0x0D || byte == 0x0A ? 2 : 1
        }
        return nonASCII * 10 > total * 3
    }

    /// Calls `body` with each line of the text, split at CRLF, lone CR and lone LF alike, so every break becomes
    /// CRLF on the wire; `isLast` is true for the line after the final break (empty when the text ends in one).
    private static func forEachLine(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Slice<UnsafeBufferPointer<UInt8>>, _ isLast: Bool) -> Void) {
        var start = 0
        while true {
            var end = start
            while end < bytes.count, bytes[end] != 0x0D, bytes[end] != 0x0A { end += 1 }
            guard end < bytes.count else {
                body(bytes[start..<end], true)
                return
            }
            body(bytes[start..<end], false)
            start = bytes[end] == 0x0D && end + 1 < bytes.count && bytes[end + 1] == 0x0A ? end + 2 : end + 1
        }
    }

    /// RFC 2045 §6.7 quoted-printable: output lines of at most 76 characters with soft breaks (`=`) between whole
    /// `=XX` triplets, whitespace at the end of a line encoded so transports cannot strip it, and a `.` that would
    /// start an output line encoded as `=2E` so it cannot be read as the end of DATA.
    private static func quotedPrintable(_ bytes: UnsafeBufferPointer<UInt8>, endsMessage: Bool, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + bytes.count + bytes.count / 8 + 16)
        forEachLine(bytes) { line, isLastLine in
            if isLastLine && endsMessage && line.isEmpty { return }
            var column = 0
            var index = line.startIndex
            while index < line.endIndex {
                // A run of plain characters that fits before the next soft break, none of them the line's last (whose
                // whitespace must be encoded), goes in at once; a `.` at the start of an output line does not.
                if column > 0 || line[index] != UInt8(ascii: ".") {
                    let limit = min(line.endIndex - 1, index + (75 - column))
                    var runEnd = index
                    while runEnd < limit, isLiteral(line[runEnd], atLineEnd: false) { runEnd += 1 }
                    if runEnd > index {
                        out.append(contentsOf: line[index..<runEnd])
                        column += runEnd - index
                        index = runEnd
                        continue
                    }
                }
                let byte = line[index]
                let endsLine = index == line.endIndex - 1
                var literal = isLiteral(byte, atLineEnd: endsLine)
                if column + (literal ? 1 : 3) > (endsLine ? 76 : 75) {
                    out.append(UInt8(ascii: "="))
                    out.append(contentsOf: crlf)
                    column = 0
                }
                if column == 0 && byte == UInt8(ascii: ".") { literal = false }
                if literal {
                    out.append(byte)
                    column += 1
                } else {
                    out.append(UInt8(ascii: "="))
                    out.append(hexDigits[Int(byte >> 4)])
                    out.append(hexDigits[Int(byte & 0x0F)])
                    column += 3
                }
                index += 1
            }
            out.append(contentsOf: crlf)
        }
    }

    /// Base64 of the text with CRLF line breaks, in lines of 76 characters.
    private static func base64(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var normalized: [UInt8] = []
        normalized.reserveCapacity(bytes.count + 16)
        forEachLine(bytes) { line, isLastLine in
            normalized.append(contentsOf: line)
            if !isLastLine { normalized.append(contentsOf: crlf) }
        }
        let encoded = Array(Data(normalized).base64EncodedString().utf8)
        for start in stride(from: 0, to: encoded.count, by: 76) {
            out.append(contentsOf: encoded[start..<min(start + 76, encoded.count)])
            out.append(contentsOf: crlf)
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
