import Foundation
import HeraldCore

/// The audit trail's side of the store: every state change wrote an event linked to the one before, and personal
/// data is kept only as long as the retention policy says.
public protocol AuditStore: Sendable {
    /// Recomputes every link under the store's audit key, checks what is still stored against the digests the events
    /// bind, checks that each message's state is the one its last event says, and compares the trail with each of
    /// `checkpoints` (signed by `publicKey`). Faults name the first event or message that differs.
    func verifyAudit(checkpoints: [AuditCheckpoint], publicKey: AuditPublicKey?) async throws -> AuditVerification

    /// The trail's newest event, for a checkpoint.
    func auditHead() async throws -> AuditHead

    /// Removes the content (with the receivers' replies and the events' notes) of messages finished before
    /// `contentBefore`, and the recipients of those finished before `recipientsBefore`, keeping ids, states, times,
    /// digests and the chain. With `dryRun`, only counts.
    func purge(contentBefore: Date?, recipientsBefore: Date?, dryRun: Bool, now: Date) async throws -> PurgeReport

    /// Erases one person's address, name and message content everywhere, keeping digests; their messages not yet
    /// sent are cancelled. Refused while one of them is being sent.
    func forget(address: String, actor: String, reason: String, now: Date) async throws -> PurgeReport
}

extension AuditStore {
    public func verifyAudit() async throws -> AuditVerification {
        try await verifyAudit(checkpoints: [], publicKey: nil)
    }
}

/// What a purge or an erasure removed, message by message.
public struct PurgeReport: Sendable, Equatable {
    public var contentRemoved: [MessageID]
    public var recipientsRemoved: [MessageID]
    /// Messages of an erased person that had not been sent, cancelled first.
    public var cancelled: [MessageID]

    public init(contentRemoved: [MessageID] = [], recipientsRemoved: [MessageID] = [], cancelled: [MessageID] = []) {
        self.contentRemoved = contentRemoved
        self.recipientsRemoved = recipientsRemoved
        self.cancelled = cancelled
    }
}

/// Everything but the review workflow: what the worker, the operator and the auditor need of a store. The embedded
/// SQLite driver provides it now, and PostgreSQL will.
public typealias MessageStore = MessageQueue & OperatorStore & AuditStore
