import Foundation
import HeraldCore
import HeraldRules
import HeraldStore

/// Turns an attempt's outcome into the message's next state: the retry rules, with no I/O.
public enum RetryDecision {
    /// - Parameters:
    ///   - attemptsInBudget: attempts made so far in the current retry budget, this one included.
    ///   - deadline: a retry that could only happen after it expires the message instead.
    ///   - unit: a random number in [0, 1) for the jitter.
    public static func transition(
        for outcome: DeliveryOutcome, attemptsInBudget: Int, policy: RetryPolicy, deadline: Date?, now: Date, unit: Double
    ) -> Transition {
        switch outcome {
        case .delivered:
            return .delivered
        case .permanent(let reason):
            return .dead(reason: reason)
        case .reauthenticate(let reason):
            return .dead(reason: "\(reason); a renewed session was refused as well, so check the channel's credentials")
        case .ambiguous(let reason):
            return .unconfirmed(reason: "\(reason); the request may have arrived and this receiver cannot deduplicate, so it was not re-sent")
        case .retry(let reason, let after, _):
            guard policy.allowsAnotherAttempt(after: attemptsInBudget) else {
                return .dead(reason: "gave up after \(attemptsInBudget) attempts; last: \(reason)")
            }
            let backoff = now.addingTimeInterval(policy.delay(afterAttempt: attemptsInBudget, unit: unit))
            let retryAt = max(after ?? backoff, now)
            if let deadline, retryAt >= deadline { return .expired }
            return .retry(at: retryAt)
        }
    }
}
