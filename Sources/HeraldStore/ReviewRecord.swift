import Foundation
import HeraldCore

/// A planned case review as stored: what the timeline was computed from, and the gates around publication.
/// Dates are `YYYY-MM-DD` calendar days, as the planner reckons them; the store does not interpret them.
public struct ReviewRecord: Sendable, Equatable {
    /// `planned` until `herald review publish`, then `published`; `cancelled` ends it.
    public enum Status: String, Sendable {
        case planned, published, cancelled
    }

    public var reference: String
    public var type: String
    public var title: String
    public var signedOff: String
    public var publish: String
    public var learningEvent: String?
    public var status: Status
    /// Set while a criminal investigation holds everything publication-related.
    public var hold: ReviewHold?
    public var publishedAt: Date?
    public var createdAt: Date

    public init(
        reference: String, type: String, title: String, signedOff: String, publish: String, learningEvent: String? = nil,
        status: Status = .planned, hold: ReviewHold? = nil, publishedAt: Date? = nil, createdAt: Date
    ) {
        self.reference = reference
        self.type = type
        self.title = title
        self.signedOff = signedOff
        self.publish = publish
        self.learningEvent = learningEvent
        self.status = status
        self.hold = hold
        self.publishedAt = publishedAt
        self.createdAt = createdAt
    }
}

/// Who put a review on hold, when and why; kept with the review and in the audit trail.
public struct ReviewHold: Sendable, Equatable {
    public var reason: String
    public var by: String
    public var at: Date

    public init(reason: String, by: String, at: Date) {
        self.reason = reason
        self.by = by
        self.at = at
    }
}

/// One message of a review's plan, with the attempts that prove (or fail to prove) its delivery.
public struct ReviewMessage: Sendable {
    /// The step's name, which is also its template kind (`practitioner_notice`, `press_release`, ...).
    public var step: String
    public var message: Message
    public var attempts: [AttemptRecord]
    /// For a message that needs an approver's word: who gave it, or nil while it waits.
    public var approval: Approval?

    public init(step: String, message: Message, attempts: [AttemptRecord], approval: Approval? = nil) {
        self.step = step
        self.message = message
        self.attempts = attempts
        self.approval = approval
    }

    /// The delivered attempt, whose server reply is the proof.
    public var deliveredAttempt: AttemptRecord? { attempts.last { $0.outcome == "delivered" } }
}

/// The approval a press release or campaign post needs before it can leave.
public struct Approval: Sendable, Equatable {
    public var approvedBy: String?
    public var approvedAt: Date?

    public init(approvedBy: String? = nil, approvedAt: Date? = nil) {
        self.approvedBy = approvedBy
        self.approvedAt = approvedAt
    }
}

/// A step's messages for a plan: one group (one message per recipient) per step.
public struct ReviewStepGroup: Sendable {
    public var step: String
    public var group: EnqueueGroup
    /// The messages wait, `held`, for `herald approve` (press releases).
    public var needsApproval: Bool

    public init(step: String, group: EnqueueGroup, needsApproval: Bool = false) {
        self.step = step
        self.group = group
        self.needsApproval = needsApproval
    }
}

/// A pending message's new send time and content after its review's dates moved.
public struct ReviewMove: Sendable {
    public var id: MessageID
    public var notBefore: Date
    public var content: [String: String]

    public init(id: MessageID, notBefore: Date, content: [String: String]) {
        self.id = id
        self.notBefore = notBefore
        self.content = content
    }
}
