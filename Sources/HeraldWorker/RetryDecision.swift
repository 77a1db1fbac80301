import Foundation
import HeraldCore
import HeraldRules
import HeraldStore

/// Turns an attempt's outcome into the message's next state: the retry rules, with no I/O.
public enum RetryDecision {
    /// - Parameters:
    ///   - attemptsInBudget: attempts made so far in the current retry budget, this one included.
    ///   - deadline: a retry that could only happen after it expires the message instead.
    ///   - repeats: what the receiver does with a repeat of an unanswered request.
    ///   - unansweredSince: when the first attempt that may have reached the receiver unanswered began, this one
    ///     included; a receiver that remembers repeats for a while is not sent one after that while has passed.
    ///   - unit: a random number in [0, 1) for the jitter.
    public static func transition(
        for outcome: DeliveryOutcome, attemptsInBudget: Int, policy: RetryPolicy, deadline: Date?,
        repeats: RepeatRecognition = .none, unansweredSince: Date? = nil, now: Date, unit: Double
    ) -> Transition {
        switch outcome {
        case .delivered:
            return .delivered
        case .permanent(let reason):
            return .dead(reason: reason)
        case .reauthenticate(let reason):
            return .dead(reason: "\(reason); a renewed session was refused as well, so check the channel's credentials")
        case .ambiguous(let reason):
            guard repeats != .none else {
                return .unconfirmed(reason: "\(reason); the request may have arrived and this receiver cannot deduplicate, so it was not re-sent")
            }
            return retry(reason: reason, after: nil, attemptsInBudget: attemptsInBudget, policy: policy, deadline: deadline,
                         repeats: repeats, unansweredSince: unansweredSince, now: now, unit: unit)
        case .retry(let reason, let after, _):
            return retry(reason: reason, after: after, attemptsInBudget: attemptsInBudget, policy: policy, deadline: deadline,
                         repeats: repeats, unansweredSince: unansweredSince, now: now, unit: unit)
        }
    }

    private static func retry(
        reason: String, after: Date?, attemptsInBudget: Int, policy: RetryPolicy, deadline: Date?,
        repeats: RepeatRecognition, unansweredSince: Date?, now: Date, unit: Double
    ) -> Transition {
        guard policy.allowsAnotherAttempt(after: attemptsInBudget) else {
            return .dead(reason: "gave up after \(attemptsInBudget) attempts; last: \(reason)")
        }
        let backoff = now.addingTimeInterval(policy.delay(afterAttempt: attemptsInBudget, unit: unit))
        let retryAt = max(after ?? backoff, now)
        if let deadline, retryAt >= deadline { return .expired }
        if case .within(let memory) = repeats, let unansweredSince, retryAt >= unansweredSince.addingTimeInterval(memory) {
            return .unconfirmed(
                reason: "\(reason); the attempt at \(RFC3339.format(unansweredSince)) went unanswered and may have arrived, and the "
                    + "receiver recognises a repeat for only \(Int(memory / 60)) minutes, so it was not re-sent at \(RFC3339.format(retryAt))"
            )
        }
        return .retry(at: retryAt)
    }
}
