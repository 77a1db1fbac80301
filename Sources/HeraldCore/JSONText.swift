/// Writes JSON text directly, for hot paths where building the same bytes through `JSONEncoder` costs more than
/// the delivery itself. Output matches `JSONValue.text(of:)`: sorted keys, `/` unescaped.
public enum JSONText {
    /// `text` as a JSON string literal, quotes included.
    public static func string(_ text: String) -> String {
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
        // Only ASCII bytes are ever escaped, and every byte of a multi-byte UTF-8 sequence is 0x80 or above: the text
        // is copied byte by byte, which is many times faster than appending scalars to a String (email bodies are
        // kilobytes of lines).
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(text.utf8.count + 64)
        let hexDigits = Array("0123456789abcdef".utf8)
        let backslash = UInt8(ascii: "\\")
        for byte in text.utf8 {
            let escaped: UInt8? =
                switch byte {
                case UInt8(ascii: "\""), backslash: byte
                case UInt8(ascii: "\n"): UInt8(ascii: "n")
                case UInt8(ascii: "\r"): UInt8(ascii: "r")
                case UInt8(ascii: "\t"): UInt8(ascii: "t")
                case 0x08: UInt8(ascii: "b")
                case 0x0C: UInt8(ascii: "f")
                default: nil
                }
            if let escaped {
                out.append(backslash)
                out.append(escaped)
            } else if byte < 0x20 {
                out.append(contentsOf: [backslash, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
            } else {
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON object of string values with its keys sorted.
    public static func object(_ fields: [String: String]) -> String {
        "{" + fields.keys.sorted().map { string($0) + ":" + string(fields[$0]!) }.joined(separator: ",") + "}"
    }
}
