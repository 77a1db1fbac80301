import Foundation
import HeraldCore
import HeraldRules
import HeraldStore
import HeraldWorker
import Testing

@Suite struct RetryDecisionTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let policy = RetryPolicy(base: 2, cap: 60, maxAttempts: 3)

    func decide(
        _ outcome: DeliveryOutcome, attempts: Int = 1, deadline: Date? = nil, repeats: RepeatRecognition = .none, unansweredSince: Date? = nil,
        unit: Double = 0.5
    ) -> Transition {
        RetryDecision.transition(
            for: outcome, attemptsInBudget: attempts, policy: policy, deadline: deadline, repeats: repeats, unansweredSince: unansweredSince,
            now: now, unit: unit
        )
    }

    @Test func deliveredIsDelivered() {
        #expect(decide(.delivered(proof: "HTTP 204")) == .delivered)
    }

    @Test func permanentIsDeadWithTheReason() {
        #expect(decide(.permanent(reason: "HTTP 400")) == .dead(reason: "HTTP 400"))
    }

    @Test func transientFailureBacksOffWithJitter() {
        #expect(decide(.retry(reason: "HTTP 503", after: nil, pauseChannel: false), attempts: 2, unit: 0.5) == .retry(at: now.addingTimeInterval(2)))
    }

    @Test func theReceiversHintWinsOverBackoff() {
        let hint = now.addingTimeInterval(42)
        #expect(decide(.retry(reason: "HTTP 429", after: hint, pauseChannel: true)) == .retry(at: hint))
    }

    @Test func lastAttemptFailingIsDead() {
        guard case .dead(let reason) = decide(.retry(reason: "HTTP 503", after: nil, pauseChannel: false), attempts: 3) else {
            Issue.record("expected dead")
            return
        }
        #expect(reason.contains("3 attempts"))
        #expect(reason.contains("HTTP 503"))
    }

    @Test func aRetryPastTheDeadlineExpiresInstead() {
        let outcome = DeliveryOutcome.retry(reason: "HTTP 503", after: now.addingTimeInterval(30), pauseChannel: false)
        #expect(decide(outcome, deadline: now.addingTimeInterval(10)) == .expired)
    }

    @Test func ambiguousIsUnconfirmed() {
        guard case .unconfirmed = decide(.ambiguous(reason: "timeout")) else {
            Issue.record("expected unconfirmed")
            return
        }
    }

    @Test func ambiguousIsRetriedWhereTheReceiverAlwaysRecognisesARepeat() {
        #expect(decide(.ambiguous(reason: "timeout"), repeats: .always, unansweredSince: now) == .retry(at: now.addingTimeInterval(1)))
    }

    @Test func ambiguousIsRetriedWhileTheReceiverStillRemembersTheKey() {
        let since = now.addingTimeInterval(-600)
        #expect(decide(.ambiguous(reason: "timeout"), repeats: .within(3600), unansweredSince: since) == .retry(at: now.addingTimeInterval(1)))
    }

    /// Mastodon forgets an Idempotency-Key after an hour: a retry after that could publish the post a second time.
    @Test func noRetryOnceTheReceiverHasForgottenAnUnansweredAttempt() {
        let since = now.addingTimeInterval(-3000)
        let throttled = DeliveryOutcome.retry(reason: "Mastodon rate limit (HTTP 429)", after: now.addingTimeInterval(900), pauseChannel: true)
        guard case .unconfirmed(let reason) = decide(throttled, repeats: .within(3600), unansweredSince: since) else {
            Issue.record("expected unconfirmed")
            return
        }
        #expect(reason.contains("HTTP 429"))
        #expect(reason.contains("60 minutes"))
        #expect(reason.contains(RFC3339.format(since)))
    }

    @Test func aLongWaitIsHarmlessWhenNoAttemptWentUnanswered() {
        let later = now.addingTimeInterval(3 * 3600)
        let throttled = DeliveryOutcome.retry(reason: "HTTP 429", after: later, pauseChannel: true)
        #expect(decide(throttled, repeats: .within(3600)) == .retry(at: later))
    }
}
