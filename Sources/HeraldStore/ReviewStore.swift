import Foundation
import HeraldCore

/// The review gates on top of the queue: a plan and its messages stored together, holds, publication. A separate
/// protocol so a driver can offer the queue first and the review workflow when it is ready. Every change writes its
/// audit events in the same transaction; review-wide events carry no message id.
public protocol ReviewStore: MessageQueue, OperatorStore, AuditStore, ApprovalStore {
    /// Stores the review and every step's messages in one transaction; refuses a reference already planned.
    func createReview(_ review: ReviewRecord, steps: [ReviewStepGroup], actor: String, now: Date) async throws -> [EnqueueResult]
    func review(_ reference: String) async throws -> ReviewRecord?
    /// Every message of the review, in step order of creation, with attempts and approval.
    func reviewMessages(_ reference: String) async throws -> [ReviewMessage]
    /// Adds messages to an existing review (a press release after publication).
    func addReviewMessages(_ reference: String, steps: [ReviewStepGroup], actor: String, now: Date) async throws -> [EnqueueResult]
    /// Moves pending messages (`held`, `scheduled`, `retrying`) to new times with their content rendered anew for
    /// the new dates, and records the dates; what was sent, or is being sent, stays. Returns the messages moved.
    func rescheduleReview(
        _ reference: String, publish: String, learningEvent: String?, moves: [ReviewMove], actor: String, now: Date
    ) async throws -> [MessageID]
    /// Holds every pending message of the review until `clearReview`. Returns the messages held.
    func holdReview(_ reference: String, reason: String, actor: String, now: Date) async throws -> [MessageID]
    /// Lifts the hold: held messages go back to `scheduled`, except those still waiting for an approval.
    func clearReview(_ reference: String, actor: String, now: Date) async throws -> [MessageID]
    func publishReview(_ reference: String, actor: String, now: Date) async throws
    /// Cancels every message of the review that has not been sent, and the review. Returns the messages cancelled.
    func cancelReview(_ reference: String, actor: String, now: Date) async throws -> [MessageID]
}

/// Campaign posts and press releases: stored `held` behind an approval gate that only an approver opens.
public protocol ApprovalStore: Sendable {
    /// Approves the messages of `groupID` that wait for an approval; they leave unless their review is on hold.
    func approve(groupID: String, actor: String, now: Date) async throws -> [MessageID]
    /// The group a message belongs to, for approving by message id.
    func groupID(of id: MessageID) async throws -> String?
    /// Stores groups whose messages wait `held` for an approver (campaign posts), all or none; a group whose dedupe
    /// key was seen before stores nothing and returns the first group's ids.
    func enqueueAwaitingApproval(_ groups: [EnqueueGroup], actor: String, now: Date) async throws -> [EnqueueResult]
    /// What waits for an approver, by group, oldest group first, up to `limit` messages.
    func awaitingApproval(limit: Int) async throws -> [PendingApproval]
}

/// A group of held messages that leave together once approved: a press release, or a post on every network.
public struct PendingApproval: Sendable {
    public var groupID: String
    public var messages: [Message]
    /// Who loaded or planned it, who therefore may not approve it (nil for groups stored before this was recorded).
    public var requestedBy: String?
    /// The review it belongs to, for a press release.
    public var review: String?

    public init(groupID: String, messages: [Message], requestedBy: String?, review: String?) {
        self.groupID = groupID
        self.messages = messages
        self.requestedBy = requestedBy
        self.review = review
    }
}

extension HeraldError {
    /// The same words whether the service or a driver notices first.
    public static func reviewAlreadyPlanned(_ reference: String) -> HeraldError {
        HeraldError(
            .conflict,
            "Review \(reference) is already planned. See it with 'herald review status \(reference)'; move it with 'review reschedule' or cancel it with 'review cancel'."
        )
    }

    /// Four eyes: whoever loaded a post or asked for a press release needs someone else to approve it.
    public static func sameApprover(_ id: MessageID, requestedBy: String) -> HeraldError {
        HeraldError(
            .fourEyes,
            "Message \(id) was loaded by \(requestedBy), who may not also approve it: a second person must (four eyes)."
        )
    }

    public static func reviewNotFound(_ reference: String) -> HeraldError {
        HeraldError(.notFound, "There is no review \(reference). Plan it with 'herald review plan', or check the reference.")
    }
}
