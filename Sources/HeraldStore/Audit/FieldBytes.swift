import Crypto

/// The bytes the audit trail hashes for a list of fields: each as its UTF-8 length in decimal, a colon, then its
/// bytes, so no two different lists read alike. Built in one buffer, numbers written as digits in place: this runs
/// for every event and every attempt, and the strings and arrays of a simpler version cost more than the hashing.
struct FieldBytes {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 320) {
        bytes.reserveCapacity(capacity)
    }

    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            appendDigits(UInt64(utf8.count))
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: utf8)
        }
    }

    /// An absent value reads as the empty field.
    mutating func add(_ text: String?) {
        add(text ?? "")
    }

    /// `number` as `String(number)` writes it, e.g. `13:1700000000123`.
    mutating func add(_ number: Int64) {
        let magnitude = number.magnitude
        appendDigits(UInt64(Self.digitCount(magnitude) + (number < 0 ? 1 : 0)))
        bytes.append(UInt8(ascii: ":"))
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(magnitude)
    }

    mutating func add(_ number: Int?) {
        if let number { add(Int64(number)) } else { add("") }
    }

    private static func digitCount(_ value: UInt64) -> Int {
        var count = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }

    /// The decimal digits of `value`, formed in a small stack buffer from the last and appended at once.
    private mutating func appendDigits(_ value: UInt64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var index = 20
            var rest = value
            repeat {
                index -= 1
                digits[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index..<20]))
        }
    }

    func sha256() -> String {
        AuditChain.hex(bytes.withUnsafeBytes { SHA256.hash(data: $0) })
    }
}
