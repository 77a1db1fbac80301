/// Something a message must wait for, whatever its state says: an approver's word, or a review's hold to be cleared.
/// `MessageTransition` lets only the transition that opens a gate take a gated message to `scheduled`.
public struct MessageGate: Equatable, Sendable {
    public enum Kind: String, Sendable {
        /// A press release or campaign post not approved yet.
        case approval
        /// A step of a review that is on hold.
        case reviewHold
    }

    public var kind: Kind
    /// For a review hold: the review's reference and the reason it was held.
    public var review: String?
    public var reason: String?

    public static let awaitingApproval = MessageGate(kind: .approval)

    public static func reviewOnHold(_ reference: String, reason: String) -> MessageGate {
        MessageGate(kind: .reviewHold, review: reference, reason: reason)
    }

    public init(kind: Kind, review: String? = nil, reason: String? = nil) {
        self.kind = kind
        self.review = review
        self.reason = reason
    }

    /// What the gate is and how it opens, to follow "held: ".
    public func explanation(for id: MessageID) -> String {
        switch kind {
        case .approval:
            "it awaits an approval; release it with 'herald approve \(id) --as NAME'"
        case .reviewHold:
            "review \(review ?? "?") is on hold (\(reason ?? "no reason given")); lift it with 'herald review clear \(review ?? "REFERENCE")'"
        }
    }
}
