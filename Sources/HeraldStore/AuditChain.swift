import Crypto
import Foundation
import HeraldCore

/// The hash chain over audit events: each event's hash covers its own fields and the previous event's hash,
/// so editing, deleting or reordering any row breaks every hash after it.
public enum AuditChain {
    /// The `previousHash` of the first event.
    public static let genesis = String(repeating: "0", count: 64)

    /// SHA-256 over the fields, each length-prefixed so no two different events can hash the same text.
    public static func hash(
        previousHash: String, sequence: Int64, messageID: MessageID?, atMillis: Int64, event: String, detail: String
    ) -> String {
        var hasher = SHA256()
        for field in [previousHash, String(sequence), messageID?.rawValue ?? "", String(atMillis), event, detail] {
            var text = field
            text.withUTF8 { bytes in
                var prefix = String(bytes.count)
                prefix.append(":")
                prefix.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
                hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
            }
        }
        return hex(Array(hasher.finalize()))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lowercase hex; `String(format:)` costs more than the hash itself, and this runs for every event.
    static func hex(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Checks events read in sequence order, carrying the state between pages of a long trail.
    public struct Verifier: Sendable {
        public private(set) var expectedPrevious = AuditChain.genesis
        public private(set) var lastSequence: Int64 = 0
        public private(set) var checked = 0

        public init() {}

        /// Returns a description of the first fault in `event`, or nil when it extends the chain correctly.
        public mutating func check(_ event: AuditEvent) -> String? {
            defer {
                expectedPrevious = event.hash
                lastSequence = event.sequence
                checked += 1
            }
            if event.sequence != lastSequence + 1 {
                return "event \(event.sequence) follows event \(lastSequence): events between them were deleted or reordered"
            }
            if event.previousHash != expectedPrevious {
                return "event \(event.sequence) does not link to the event before it: an earlier event was edited, deleted or reordered"
            }
            let recomputed = AuditChain.hash(
                previousHash: event.previousHash, sequence: event.sequence, messageID: event.messageID,
                atMillis: event.atMillis, event: event.event, detail: event.detail
            )
            if recomputed != event.hash {
                return "event \(event.sequence) (\(event.event)) was edited: its contents no longer match its hash"
            }
            return nil
        }
    }
}

/// The result of `herald audit verify`.
public struct AuditVerification: Sendable, Equatable {
    public var eventsChecked: Int
    /// Each fault found, in sequence order; empty when the chain is intact.
    public var faults: [String]

    public init(eventsChecked: Int, faults: [String]) {
        self.eventsChecked = eventsChecked
        self.faults = faults
    }

    public var isIntact: Bool { faults.isEmpty }
}
