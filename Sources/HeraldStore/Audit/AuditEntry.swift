import Foundation
import HeraldCore

/// What the audit trail says of each change: the event name and its wording, written here once so that every
/// driver records the same words for the same change (the events of state changes come from `MessageTransition`).
/// Drivers pick an entry and chain it; they compose no text of their own.
///
/// `detail` is linked into the chain as it is, so it names only ids, states, counts, times and statuses; whatever a
/// person wrote or a receiver answered (actors' names, reasons, reply excerpts) goes in `note`, which the chain binds
/// by digest and retention or erasure may remove.
public struct AuditEntry: Sendable, Equatable {
    public let event: String
    public let detail: String
    public let note: String

    init(_ event: String, _ detail: String, note: String = "") {
        self.event = event
        self.detail = detail
        self.note = note
    }

    // MARK: Messages entering the store

    public static func enqueued(state: MessageState, channel: String, kind: String, by actor: String? = nil) -> AuditEntry {
        AuditEntry("enqueued", "\(state.rawValue) channel=\(channel) kind=\(kind)", note: actor.map { "by \($0)" } ?? "")
    }

    public static func awaitingApproval(loadedBy actor: String) -> AuditEntry {
        AuditEntry("awaiting_approval", "loaded", note: "by \(actor)")
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
            case .dead: (.deadLetter, nil, "attempt \(attempt.number)\(status):")
            case .unconfirmed: (.leaveUnconfirmed, nil, "attempt \(attempt.number):")
            case .expired: (.expireAfterAttempt, nil, "attempt \(attempt.number)\(status); deadline passed")
            }
        let note: String =
            switch transition {
            case .dead(let reason), .unconfirmed(let reason): String(reason.prefix(200))
            default: ""
            }
        return (step, retryAt, AuditEntry(step.event, detail, note: note))
    }

    public static func channelPaused(_ channel: String, _ pause: ChannelPause) -> AuditEntry {
        AuditEntry("channel_paused", "channel \(channel) until \(RFC3339.format(pause.until)):", note: pause.reason)
    }

    public static func sessionSaved(_ channel: String) -> AuditEntry {
        AuditEntry("session_saved", "channel \(channel)")
    }

    // MARK: Operators

    public static func cancelled(by actor: String) -> AuditEntry {
        AuditEntry(MessageTransition.cancel.event, "", note: "by \(actor)")
    }

    /// A retry that left the message behind `gate` says which gate, and how it opens.
    public static func retried(by actor: String, heldBy gate: MessageGate?, id: MessageID) -> AuditEntry {
        AuditEntry(MessageTransition.retry.event, gate.map { "held: \($0.explanation(for: id));" } ?? "rescheduled", note: "by \(actor)")
    }

    public static func resolved(by actor: String, url: String) -> AuditEntry {
        AuditEntry(MessageTransition.resolve.event, "delivered, post found at \(url)", note: "by \(actor)")
    }

    public static func approved(by actor: String) -> AuditEntry {
        AuditEntry(MessageTransition.approve.event, "", note: "by \(actor)")
    }

    // MARK: Reviews

    public static func reviewPlanned(_ review: ReviewRecord, by actor: String) -> AuditEntry {
        AuditEntry("review_planned", "review \(review.reference) \(review.type) publish \(review.publish)", note: "by \(actor)")
    }

    public static func reviewHeld(_ reference: String, by actor: String, reason: String) -> AuditEntry {
        AuditEntry("review_held", "review \(reference)", note: "by \(actor): \(reason)")
    }

    /// A message of a review, moved by the review-wide `transition` (hold, clear, cancel).
    public static func reviewStep(_ transition: MessageTransition, review reference: String, by actor: String) -> AuditEntry {
        let what =
            switch transition {
            case .holdReview: "on hold"
            case .clearHold: "hold cleared"
            default: "cancelled"
            }
        return AuditEntry(transition.event, "review \(reference) \(what)", note: "by \(actor)")
    }

    public static func rescheduled(to date: Date, by actor: String) -> AuditEntry {
        AuditEntry("rescheduled", "to \(RFC3339.format(date))", note: "by \(actor)")
    }

    public static func reviewRescheduled(_ reference: String, from old: String, to new: String, moved: Int, by actor: String) -> AuditEntry {
        AuditEntry("review_rescheduled", "review \(reference) publish \(old) → \(new), \(moved) messages moved", note: "by \(actor)")
    }

    public static func reviewCleared(_ reference: String, by actor: String) -> AuditEntry {
        AuditEntry("review_cleared", "review \(reference)", note: "by \(actor)")
    }

    public static func reviewPublished(_ reference: String, by actor: String) -> AuditEntry {
        AuditEntry("review_published", "review \(reference)", note: "by \(actor)")
    }

    public static func reviewCancelled(_ reference: String, by actor: String) -> AuditEntry {
        AuditEntry("review_cancelled", "review \(reference)", note: "by \(actor)")
    }

    /// The first keyed event of a trail begun before the chain was keyed: it links, under the key, everything before.
    public static let chainKeyed = AuditEntry("chain_keyed", "the events before this one were written before the chain was keyed")

    /// A message stored before the chain was keyed: its digests, set as the trail is keyed.
    public static let digestsRecorded = AuditEntry("digests_recorded", "content and recipient digests recorded as the trail was keyed")

    // MARK: Personal data

    /// An attempt whose lease had passed to another worker when it finished: kept, and linked, but it moves nothing.
    public static func attemptRecorded(_ attempt: AttemptRecord) -> AuditEntry {
        AuditEntry("attempt_recorded", "attempt \(attempt.number) \(attempt.outcome)\(attempt.status.map { " status \($0)" } ?? ""), after its lease passed to another worker")
    }

    /// Content (and the receivers' replies) or the recipient removed because the retention period passed.
    public static func purged(content: Bool, recipient: Bool) -> AuditEntry {
        let what = [content ? "content" : nil, recipient ? "recipient" : nil].compactMap { $0 }.joined(separator: " and ")
        return AuditEntry("purged", "\(what) removed: retention period passed")
    }

    /// A person's data erased at their request: who decided and why are notes, erasable in turn.
    public static func forgotten(by actor: String, reason: String) -> AuditEntry {
        AuditEntry("forgotten", "recipient and content erased on request", note: "by \(actor): \(reason)")
    }

    // MARK: API tokens

    public static func tokenCreated(_ name: String, roles: [APIRole], by actor: String) -> AuditEntry {
        AuditEntry("token_created", "token \(name) roles \(roles.map(\.rawValue).joined(separator: ","))", note: "by \(actor)")
    }

    public static func tokenRevoked(_ name: String, by actor: String) -> AuditEntry {
        AuditEntry("token_revoked", "token \(name)", note: "by \(actor)")
    }
}
