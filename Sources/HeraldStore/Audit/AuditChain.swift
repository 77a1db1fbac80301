import Crypto
import Foundation
import HeraldCore

/// The chain over audit events: each event's link is an HMAC, under the audit key, of its own fields, of what it
/// binds (its message's content and recipient digests, the state it left the message in, the attempt's proof) and
/// of the link before it. Editing, deleting, inserting or reordering anything it covers breaks every link after it,
/// and without the key no one can compute new ones. docs/audit.md sets out what this proves and what it cannot.
public enum AuditChain {
    /// The `previousHash` of the first event.
    public static let genesis = String(repeating: "0", count: 64)
    /// Events written before the chain was keyed (schema v5 and older): plain SHA-256 over the event's own fields.
    public static let legacyScheme = 1
    public static let keyedScheme = 2

    /// The link of an event under `key`.
    public static func link(_ event: AuditEvent, binding: AuditBinding, key: AuditKey) -> String {
        key.authenticate([
            "herald-audit-2", event.previousHash, String(event.sequence), event.messageID?.rawValue ?? "", String(event.atMillis),
            event.event, event.detail, event.noteDigest ?? "", event.state ?? "", event.attempt.map(String.init) ?? "",
            binding.contentDigest ?? "", binding.recipientDigest ?? "", binding.proofDigest ?? "",
        ])
    }

    /// The link of a legacy (unkeyed) event: plain SHA-256, which anyone can compute.
    public static func legacyHash(_ event: AuditEvent) -> String {
        AuditDigest.of([event.previousHash, String(event.sequence), event.messageID?.rawValue ?? "", String(event.atMillis), event.event, event.detail])
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lowercase hex; `String(format:)` costs more than the hash itself, and this runs for every event.
    static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
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
        /// `binding` is what the store holds now for the event's message and attempt.
        public mutating func check(_ event: AuditEvent, binding: AuditBinding) -> String? {
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
            if AuditChain.link(event, binding: binding, key: key) != event.hash {
                return "event \(event.sequence) (\(event.event)\(event.messageID.map { " of message \($0)" } ?? "")) does not match its link: "
                    + "the event, its message's content or recipient, or its attempt was changed, or it was forged"
            }
            return nil
        }
    }
}

/// What an event binds beyond its own row: digests of its message's content and recipient, and of its attempt's proof.
public struct AuditBinding: Sendable, Equatable {
    public var contentDigest: String?
    public var recipientDigest: String?
    public var proofDigest: String?

    public init(contentDigest: String? = nil, recipientDigest: String? = nil, proofDigest: String? = nil) {
        self.contentDigest = contentDigest
        self.recipientDigest = recipientDigest
        self.proofDigest = proofDigest
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
