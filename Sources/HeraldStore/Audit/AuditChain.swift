import Crypto
import Foundation
import HeraldCore

/// The chain over audit events: each event's link is an HMAC, under the audit key, of its own fields (among them the
/// state it left its message in, and the content and recipient digests where it sets them), of its attempt's proof
/// and of the link before it. Editing, deleting, inserting or reordering anything it covers breaks every link after it,
/// and without the key no one can compute new ones. docs/audit.md sets out what this proves and what it cannot.
public enum AuditChain {
    /// The `previousHash` of the first event.
    public static let genesis = String(repeating: "0", count: 64)
    /// Events written before the chain was keyed (schema v5 and older): plain SHA-256 over the event's own fields.
    public static let legacyScheme = 1
    public static let keyedScheme = 2

    /// The link of an event under `key`; `proofDigest` is its attempt's (`AuditDigest.proof`), if it records one.
    public static func link(_ event: AuditEvent, proofDigest: String?, key: AuditKey) -> String {
        var fields = FieldBytes()
        fields.add("herald-audit-2")
        fields.add(event.previousHash)
        fields.add(event.sequence)
        fields.add(event.messageID?.rawValue)
        fields.add(event.atMillis)
        fields.add(event.event)
        fields.add(event.detail)
        fields.add(event.noteDigest)
        fields.add(event.state)
        fields.add(event.attempt)
        fields.add(event.contentDigest)
        fields.add(event.recipientDigest)
        fields.add(proofDigest)
        return key.authenticate(fields)
    }

    /// The link of a legacy (unkeyed) event: plain SHA-256, which anyone can compute.
    public static func legacyHash(_ event: AuditEvent) -> String {
        var fields = FieldBytes()
        fields.add(event.previousHash)
        fields.add(event.sequence)
        fields.add(event.messageID?.rawValue)
        fields.add(event.atMillis)
        fields.add(event.event)
        fields.add(event.detail)
        return fields.sha256()
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lowercase hex of a digest (at most 32 bytes), written straight into the string's storage: this runs for every
    /// link and digest.
    static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        String(unsafeUninitializedCapacity: 64) { buffer in
            var index = 0
            for byte in bytes {
                precondition(index < 64, "hex is for digests of at most 32 bytes")
                buffer[index] = hexDigits[Int(byte >> 4)]
                buffer[index + 1] = hexDigits[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
    }

    /// Checks events read in sequence order, carrying the state between pages of a long trail.
    public struct Verifier: Sendable {
        public let key: AuditKey
        public private(set) var expectedPrevious = AuditChain.genesis
        public private(set) var lastSequence: Int64 = 0
        public private(set) var checked = 0
        public private(set) var legacyEvents = 0
        public private(set) var keyedSeen = false

        public init(key: AuditKey) {
            self.key = key
        }

        /// Returns a description of the first fault in `event`, or nil when it extends the chain correctly.
        /// `proofDigest` is computed from the event's attempt as the store holds it now.
        public mutating func check(_ event: AuditEvent, proofDigest: String?) -> String? {
            defer {
                expectedPrevious = event.hash
                lastSequence = event.sequence
                checked += 1
            }
            if event.sequence != lastSequence + 1 {
                return "event \(event.sequence) follows event \(lastSequence): events between them were deleted, inserted or reordered"
            }
            if event.previousHash != expectedPrevious {
                return "event \(event.sequence) does not link to the event before it: an earlier event was edited, deleted or reordered"
            }
            if event.scheme == AuditChain.legacyScheme {
                legacyEvents += 1
                if keyedSeen {
                    return "event \(event.sequence) is in the old unkeyed form but follows keyed events: it was forged"
                }
                return AuditChain.legacyHash(event) == event.hash
                    ? nil : "event \(event.sequence) (\(event.event)) was edited: its contents no longer match its hash"
            }
            keyedSeen = true
            if event.scheme != AuditChain.keyedScheme {
                return "event \(event.sequence) has an unknown form (\(event.scheme)): it was forged or written by a newer Herald"
            }
            if AuditChain.link(event, proofDigest: proofDigest, key: key) != event.hash {
                return "event \(event.sequence) (\(event.event)\(event.messageID.map { " of message \($0)" } ?? "")) does not match its link: "
                    + "the event, its message's content or recipient, or its attempt was changed, or it was forged"
            }
            return nil
        }
    }
}

/// The result of `herald audit verify`.
public struct AuditVerification: Sendable, Equatable {
    public var eventsChecked: Int
    public var messagesChecked: Int
    /// Messages whose content or recipient was removed under the retention policy or at the person's request: their
    /// digests still hold the chain.
    public var messagesPurged: Int
    /// Events written before the chain was keyed, still checked by their plain hashes.
    public var legacyEvents: Int
    public var checkpointsChecked: Int
    /// Each fault found, in sequence order; empty when the trail is intact.
    public var faults: [String]

    public init(
        eventsChecked: Int, messagesChecked: Int = 0, messagesPurged: Int = 0, legacyEvents: Int = 0, checkpointsChecked: Int = 0,
        faults: [String]
    ) {
        self.eventsChecked = eventsChecked
        self.messagesChecked = messagesChecked
        self.messagesPurged = messagesPurged
        self.legacyEvents = legacyEvents
        self.checkpointsChecked = checkpointsChecked
        self.faults = faults
    }

    public var isIntact: Bool { faults.isEmpty }
}
