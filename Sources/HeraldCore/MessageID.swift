import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A message's identity: a UUIDv7, so ids sort by creation time and the receiver can use it as an idempotency key
/// (`webhook-id`, `Message-ID`, `Idempotency-Key`).
public struct MessageID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A new time-ordered id for `date`, with 74 random bits.
    public static func make(at date: Date = Date()) -> MessageID {
        MessageID(rawValue: UUIDv7.text(UUIDv7.bytes(at: date)))
    }

    /// Accepts only the canonical lowercase textual form, so ids typed by an operator cannot smuggle other text.
    public init?(validating text: String) {
        guard let uuid = UUID(uuidString: text), uuid.uuidString.lowercased() == text.lowercased() else { return nil }
        self.rawValue = text.lowercased()
    }

    public var description: String { rawValue }

    public static func < (lhs: MessageID, rhs: MessageID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Builds RFC 9562 version 7 UUIDs: 48 bits of Unix milliseconds, version, 74 random bits.
public enum UUIDv7 {
    public static func make(at date: Date) -> UUID {
        let bytes = bytes(at: date)
        return UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
        ))
    }

    /// The canonical lowercase text `xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx`, written directly: ids are made for every
    /// message, and going through `UUID.uuidString.lowercased()` costs more than the rest of the id.
    static func text(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func bytes(at date: Date) -> [UInt8] {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 {
            bytes[index] = UInt8((millis >> (8 * (5 - UInt64(index)))) & 0xFF)
        }
        let (high, low) = RandomPool.shared.next()
        for index in 6..<8 { bytes[index] = UInt8(truncatingIfNeeded: high >> (8 * UInt64(index - 6))) }
        for index in 8..<16 { bytes[index] = UInt8(truncatingIfNeeded: low >> (8 * UInt64(index - 8))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x70
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return bytes
    }
}

/// Random bits for ids, drawn from the system generator a block at a time: one system call per 256 ids instead of
/// two per id, which showed in profiles of batch enqueue.
final class RandomPool: Sendable {
    static let shared = RandomPool()

    private struct Block {
        var words = [UInt64](repeating: 0, count: 512)
        var next = 512
    }

    private let block = Mutex(Block())

    func next() -> (UInt64, UInt64) {
        block.withLock { block in
            if block.next + 2 > block.words.count {
                block.words.withUnsafeMutableBytes { Self.fill($0) }
                block.next = 0
            }
            defer { block.next += 2 }
            return (block.words[block.next], block.words[block.next + 1])
        }
    }

    /// arc4random_buf draws from the kernel's generator (getrandom on glibc 2.36 and later), in one call per block.
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        arc4random_buf(buffer.baseAddress!, buffer.count)
    }
}
