import Foundation

/// The audit trail's side of the store: every state change wrote an event chained to the one before.
public protocol AuditStore: Sendable {
    /// Recomputes the chain and compares its end with the recorded head; faults name the first broken event.
    func verifyAudit() async throws -> AuditVerification
}

/// Everything but the review workflow: what the worker, the operator and the auditor need of a store. The embedded
/// SQLite driver provides it now, and PostgreSQL will.
public typealias MessageStore = MessageQueue & OperatorStore & AuditStore
