import Foundation
import HeraldCore

/// One change in the append-only audit trail. `detail` holds no personal data and is linked as it is; free text
/// (actors' names, reasons, receivers' words) sits in `note`, beside the event, linked only by its digest, so it can
/// be erased without breaking the chain.
public struct AuditEvent: Sendable, Equatable {
    public var sequence: Int64
    public var messageID: MessageID?
    /// Milliseconds since 1970, as stored and as linked.
    public var atMillis: Int64
    /// e.g. `enqueued`, `claimed`, `delivered`, `retry_scheduled`, `dead`, `cancelled`, `expired`, `released`.
    public var event: String
    public var detail: String
    /// The free text; nil when there is none or it was erased (then `noteDigest` is still set).
    public var note: String?
    public var noteDigest: String?
    /// The state the event left its message in.
    public var state: String?
    /// The attempt whose outcome the event records.
    public var attempt: Int?
    /// The message's content and recipient digests, on the events that set them (`enqueued`, and `rescheduled` with
    /// content rendered anew): every later event links to them through the chain.
    public var contentDigest: String?
    public var recipientDigest: String?
    /// `AuditChain.legacyScheme` or `keyedScheme`.
    public var scheme: Int
    public var previousHash: String
    public var hash: String

    public init(
        sequence: Int64, messageID: MessageID?, atMillis: Int64, event: String, detail: String, note: String? = nil,
        noteDigest: String? = nil, state: String? = nil, attempt: Int? = nil, contentDigest: String? = nil, recipientDigest: String? = nil,
        scheme: Int = AuditChain.keyedScheme,
        previousHash: String, hash: String
    ) {
        self.sequence = sequence
        self.messageID = messageID
        self.atMillis = atMillis
        self.event = event
        self.detail = detail
        self.note = note
        self.noteDigest = noteDigest
        self.state = state
        self.attempt = attempt
        self.contentDigest = contentDigest
        self.recipientDigest = recipientDigest
        self.scheme = scheme
        self.previousHash = previousHash
        self.hash = hash
    }

    public var at: Date { Date(timeIntervalSince1970: Double(atMillis) / 1000) }

    /// The detail and the note as one line, for people; an erased note says so.
    public var text: String {
        let note = self.note ?? (noteDigest == nil ? "" : "[erased]")
        if note.isEmpty { return detail }
        return detail.isEmpty ? note : "\(detail) \(note)"
    }
}
