import Foundation
import HeraldCore

/// The record key (a TID) a message's Bluesky post is created at, derived from the message id so every attempt uses
/// the same one: the PDS refuses a second create at a key that exists, so a repeat cannot publish the post twice,
/// and a look-up by key tells whether an unanswered attempt made it.
public enum BlueskyRecordKey {
    private static let alphabet = Array("234567abcdefghijklmnopqrstuvwxyz")

    /// 13 base32-sortable characters: 53 bits of microseconds and a 10-bit clock id. The microseconds are the id's
    /// creation time moved back by up to two seconds, and the clock id taken, from the id's random bits: about 31
    /// bits that differ between messages made in the same millisecond. Nil for an id that is not a UUIDv7.
    public static func forMessage(_ id: MessageID) -> String? {
        let hex = id.rawValue.replacingOccurrences(of: "-", with: "")
        guard hex.count == 32, hex.allSatisfy(\.isHexDigit), Array(hex)[12] == "7",
            let high = UInt64(hex.prefix(16), radix: 16), let low = UInt64(hex.suffix(16), radix: 16)
        else { return nil }
        let millis = high >> 16
        let spread = (((high & 0xFFF) << 20) | ((low >> 10) & 0xFFFFF)) % 2_000_000
        let micros = millis * 1000 - min(spread, millis * 1000)
        return tid(micros: micros, clockID: low & 0x3FF)
    }

    static func tid(micros: UInt64, clockID: UInt64) -> String {
        var value = ((micros & ((1 << 53) - 1)) << 10) | (clockID & 0x3FF)
        var characters = [Character](repeating: "2", count: 13)
        for index in stride(from: 12, through: 0, by: -1) {
            characters[index] = alphabet[Int(value & 31)]
            value >>= 5
        }
        return String(characters)
    }
}
