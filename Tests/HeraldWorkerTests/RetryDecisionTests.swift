import Foundation
import HeraldCore
import HeraldRules
import HeraldStore
import HeraldWorker
import Testing

@Suite struct RetryDecisionTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let policy = RetryPolicy(base: 2, cap: 60, maxAttempts: 3)

    func decide(_ outcome: DeliveryOutcome, attempts: Int = 1, deadline: Date? = nil, unit: Double = 0.5) -> Transition {
        RetryDecision.transition(for: outcome, attemptsInBudget: attempts, policy: policy, deadline: deadline, now: now, unit: unit)
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
}
