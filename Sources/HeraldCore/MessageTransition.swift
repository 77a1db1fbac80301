/// Every way a message's state may change: the one table of the lifecycle (`docs/lifecycle.md`).
///
/// Drivers apply it and do not restate it: the states a transition may start from, where it leads and the audit event
/// it writes all come from here. Gates are part of it: only `approve` and `clearHold` open one, so a message that
/// awaits an approval or belongs to a review on hold reaches `scheduled` through them and through nothing else.
public enum MessageTransition: String, Sendable, CaseIterable {
    /// A worker takes a due message for one attempt, or one whose lease another worker let run out.
    case claim
    /// A worker gives back a message whose request never started.
    case release
    /// An attempt's answer, recorded by the worker: the message is delivered, waits for another attempt, is given up,
    /// is left for an operator because its fate is unknown, or ran out of time.
    case deliver, retryLater, deadLetter, leaveUnconfirmed, expireAfterAttempt
    /// A message not sent before its deadline (one being sent only once its lease ran out).
    case expire
    /// An operator stops a message that has not been sent.
    case cancel
    /// An operator sends a dead, unconfirmed, expired or cancelled message again, with a fresh retry budget.
    case retry
    /// An operator records that an unconfirmed post exists after all (found by hand).
    case resolve
    /// An approver releases a press release or campaign post.
    case approve
    /// A review is put on hold (a police investigation, say): its unsent messages wait.
    case holdReview
    /// A review's hold is lifted.
    case clearHold
    /// A whole review is called off.
    case cancelReview

    /// The states the transition may start from; any other state refuses it.
    public var from: [MessageState] {
        switch self {
        case .claim: [.scheduled, .retrying, .sending]
        case .expire: [.held, .scheduled, .retrying, .sending]
        case .release, .deliver, .retryLater, .deadLetter, .leaveUnconfirmed, .expireAfterAttempt: [.sending]
        case .cancel, .cancelReview: [.held, .scheduled, .retrying, .unconfirmed]
        case .retry: [.dead, .unconfirmed, .expired, .cancelled]
        case .resolve: [.unconfirmed]
        case .approve, .clearHold: [.held]
        case .holdReview: [.scheduled, .retrying]
        }
    }

    /// Where the transition leads when no gate is closed. `release` goes back to where the claim found the message.
    public var to: MessageState {
        switch self {
        case .claim: .sending
        case .release, .retry, .approve, .clearHold: .scheduled
        case .deliver, .resolve: .delivered
        case .retryLater: .retrying
        case .deadLetter: .dead
        case .leaveUnconfirmed: .unconfirmed
        case .expire, .expireAfterAttempt: .expired
        case .cancel, .cancelReview: .cancelled
        case .holdReview: .held
        }
    }

    /// The gate this transition opens, if any.
    public var opens: MessageGate.Kind? {
        switch self {
        case .approve: .approval
        case .clearHold: .reviewHold
        default: nil
        }
    }

    /// Where the transition leaves a message with these gates closed: a way to `scheduled` stops at `held` while any
    /// gate other than the one this transition opens is still closed.
    public func destination(closedGates gates: [MessageGate]) -> MessageState {
        guard to == .scheduled, gates.contains(where: { $0.kind != opens }) else { return to }
        return .held
    }

    /// Whether a message in `state` may take this transition.
    public func allows(_ state: MessageState) -> Bool {
        from.contains(state)
    }

    /// The event written to the audit trail.
    public var event: String {
        switch self {
        case .claim: "claimed"
        case .release: "released"
        case .deliver: "delivered"
        case .retryLater: "retry_scheduled"
        case .deadLetter: "dead"
        case .leaveUnconfirmed: "unconfirmed"
        case .expire, .expireAfterAttempt: "expired"
        case .cancel: "cancelled"
        case .retry: "retried"
        case .resolve: "resolved"
        case .approve: "approved"
        case .holdReview: "held"
        case .clearHold: "cleared"
        case .cancelReview: "cancelled"
        }
    }

    /// Why a message in `state` cannot take this transition, for the operator who asked.
    public func refusal(of state: MessageState) -> String {
        "it is \(state.rawValue); \(rawValue) applies only to \(from.map(\.rawValue).joined(separator: ", ")) messages"
    }
}
