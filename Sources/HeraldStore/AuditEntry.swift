import Foundation
import HeraldCore

/// What the audit trail says of each change: the event name and its wording, written here once so that every
/// driver records the same words for the same change (the events of state changes come from `MessageTransition`).
/// Drivers pick an entry and chain it; they compose no text of their own.
public struct AuditEntry: Sendable, Equatable {
    public let event: String
    public let detail: String

    init(_ event: String, _ detail: String) {
        self.event = event
        self.detail = detail
    }

    // MARK: Messages entering the store

    public static func enqueued(state: MessageState, channel: String, kind: String) -> AuditEntry {
        AuditEntry("enqueued", "\(state.rawValue) channel=\(channel) kind=\(kind)")
    }

    public static func awaitingApproval(loadedBy actor: String) -> AuditEntry {
        AuditEntry("awaiting_approval", "loaded by \(actor)")
    }

    // MARK: The worker

    /// `afterLapse`: the message was taken from another worker whose lease had run out.
    public static func claimed(attempt: Int, worker: String, afterLapse: Bool) -> AuditEntry {
        AuditEntry(MessageTransition.claim.event, "\(afterLapse ? "lease of another worker ran out; " : "")attempt \(attempt) by \(worker)")
    }

    public static func released(worker: String) -> AuditEntry {
        AuditEntry(MessageTransition.release.event, "worker \(worker) gave it back unsent: its request had not started")
    }

    public static let expiredUnsent = AuditEntry(MessageTransition.expire.event, "deadline passed before delivery")

    /// The consequence of an attempt, worded from its record.
    public static func attempted(_ transition: Transition, attempt: AttemptRecord) -> (step: MessageTransition, retryAt: Date?, entry: AuditEntry) {
        let status = attempt.status.map { " status \($0)" } ?? ""
        let (step, retryAt, detail): (MessageTransition, Date?, String) =
            switch transition {
            case .delivered: (.deliver, nil, "attempt \(attempt.number)\(status)" + (attempt.post.map { " post \($0.url ?? $0.id)" } ?? ""))
            case .retry(let at): (.retryLater, at, "attempt \(attempt.number)\(status); next at \(RFC3339.format(at))")
            case .dead(let reason): (.deadLetter, nil, "attempt \(attempt.number)\(status): \(reason.prefix(200))")
            case .unconfirmed(let reason): (.leaveUnconfirmed, nil, "attempt \(attempt.number): \(reason.prefix(200))")
            case .expired: (.expireAfterAttempt, nil, "attempt \(attempt.number)\(status); deadline passed")
            }
        return (step, retryAt, AuditEntry(step.event, detail))
    }

    public static func channelPaused(_ channel: String, _ pause: ChannelPause) -> AuditEntry {
        AuditEntry("channel_paused", "channel \(channel) until \(RFC3339.format(pause.until)): \(pause.reason)")
    }

    public static func sessionSaved(_ channel: String) -> AuditEntry {
        AuditEntry("session_saved", "channel \(channel)")
    }

    // MARK: Operators

    public static func cancelled(by actor: String) -> AuditEntry {
        AuditEntry(MessageTransition.cancel.event, "by \(actor)")
    }

    /// A retry that left the message behind `gate` says which gate, and how it opens.
    public static func retried(by actor: String, heldBy gate: MessageGate?, id: MessageID) -> AuditEntry {
        AuditEntry(MessageTransition.retry.event, gate.map { "by \(actor); held: \($0.explanation(for: id))" } ?? "rescheduled by \(actor)")
    }

    public static func resolved(by actor: String, url: String) -> AuditEntry {
        AuditEntry(MessageTransition.resolve.event, "delivered, post found by \(actor) at \(url)")
    }

    public static func approved(by actor: String) -> AuditEntry {
        AuditEntry(MessageTransition.approve.event, "by \(actor)")
    }

    // MARK: Reviews

    public static func reviewPlanned(_ review: ReviewRecord, by actor: String) -> AuditEntry {
        AuditEntry("review_planned", "review \(review.reference) \(review.type) publish \(review.publish) by \(actor)")
    }

    public static func reviewHeld(_ reference: String, by actor: String, reason: String) -> AuditEntry {
        AuditEntry("review_held", "review \(reference) by \(actor): \(reason)")
    }

    /// A message of a review, moved by the review-wide `transition` (hold, clear, cancel).
    public static func reviewStep(_ transition: MessageTransition, review reference: String, by actor: String) -> AuditEntry {
        let what =
            switch transition {
            case .holdReview: "on hold"
            case .clearHold: "hold cleared"
            default: "cancelled"
            }
        return AuditEntry(transition.event, "review \(reference) \(what) by \(actor)")
    }

    public static func rescheduled(to date: Date, by actor: String) -> AuditEntry {
        AuditEntry("rescheduled", "to \(RFC3339.format(date)) by \(actor)")
    }

    public static func reviewRescheduled(_ reference: String, from old: String, to new: String, moved: Int, by actor: String) -> AuditEntry {
        AuditEntry("review_rescheduled", "review \(reference) publish \(old) → \(new), \(moved) messages moved by \(actor)")
    }

    public static func reviewCleared(_ reference: String, by actor: String) -> AuditEntry {
        AuditEntry("review_cleared", "review \(reference) by \(actor)")
    }

    public static func reviewPublished(_ reference: String, by actor: String) -> AuditEntry {
        AuditEntry("review_published", "review \(reference) by \(actor)")
    }

    public static func reviewCancelled(_ reference: String, by actor: String) -> AuditEntry {
        AuditEntry("review_cancelled", "review \(reference) by \(actor)")
    }
}
