import Foundation
import HeraldCore

/// One state change in the append-only audit trail. Events carry ids, states and short reasons, never content,
/// so purging a message's personal data leaves the chain verifiable.
public struct AuditEvent: Sendable, Equatable {
    public var sequence: Int64
    public var messageID: MessageID?
    /// Milliseconds since 1970, as stored and as hashed.
    public var atMillis: Int64
    /// e.g. `enqueued`, `claimed`, `delivered`, `retry_scheduled`, `dead`, `cancelled`, `expired`, `released`.
    public var event: String
    public var detail: String
    public var previousHash: String
    public var hash: String

    public init(
        sequence: Int64, messageID: MessageID?, atMillis: Int64, event: String, detail: String, previousHash: String,
        hash: String
    ) {
        self.sequence = sequence
        self.messageID = messageID
        self.atMillis = atMillis
        self.event = event
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
    }

    public var at: Date { Date(timeIntervalSince1970: Double(atMillis) / 1000) }
}
