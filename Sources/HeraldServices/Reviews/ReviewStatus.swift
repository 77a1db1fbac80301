import Foundation
import HeraldCore
import HeraldStore

/// Where a review stands: every step and recipient with state and proof, and whether it is ready to publish.
public struct ReviewStatus: Sendable {
    public struct Recipient: Sendable {
        public var id: MessageID
        public var recipient: String
        public var state: MessageState
        public var dueAt: Date
        public var deliveredAt: Date?
        /// The receiver's reply to the delivered attempt, e.g. `250 2.0.0 Ok: queued as 4F2A`.
        public var proof: String?
        public var approval: Approval?
    }

    public struct Step: Sendable {
        public var step: String
        public var recipients: [Recipient]
        /// Set when a step already sent no longer meets its lead time after a reschedule.
        public var shortfall: String?
    }

    public var review: ReviewRecord
    public var steps: [Step]
    /// Every pre-publication notice delivered and no hold.
    public var ready: Bool
    /// What stands between the review and `ready`, one sentence each.
    public var missing: [String]

    public func json(timeZone: TimeZone) -> JSONValue {
        var review: [String: JSONValue] = [
            "reference": .string(self.review.reference), "type": .string(self.review.type), "title": .string(self.review.title),
            "signed_off": .string(self.review.signedOff), "publish": .string(self.review.publish), "status": .string(self.review.status.rawValue),
            "learning_event": self.review.learningEvent.map(JSONValue.string) ?? .null,
        ]
        if let hold = self.review.hold {
            review["hold"] = .object([
                "reason": .string(hold.reason), "by": .string(hold.by), "at": .string(LocalTimeText.rfc3339(hold.at, in: timeZone)),
            ])
        }
        let steps: [JSONValue] = steps.map { step in
            var object: [String: JSONValue] = [
                "step": .string(step.step),
                "recipients": .array(step.recipients.map { recipient in
                    var entry: [String: JSONValue] = [
                        "id": .string(recipient.id.rawValue), "recipient": .string(recipient.recipient), "state": .string(recipient.state.rawValue),
                        "due_at": .string(LocalTimeText.rfc3339(recipient.dueAt, in: timeZone)),
                        "delivered_at": recipient.deliveredAt.map { .string(LocalTimeText.rfc3339($0, in: timeZone)) } ?? .null,
                        "proof": recipient.proof.map(JSONValue.string) ?? .null,
                    ]
                    if let approval = recipient.approval { entry["approved_by"] = approval.approvedBy.map(JSONValue.string) ?? .null }
                    return .object(entry)
                }),
            ]
            object["shortfall"] = step.shortfall.map(JSONValue.string) ?? .null
            return .object(object)
        }
        return .object([
            "review": .object(review), "steps": .array(steps), "ready": .bool(ready), "missing": .array(missing.map(JSONValue.string)),
        ])
    }
}
