import Foundation
import HeraldCore
import HeraldRules
import Testing

@Suite struct CircuitBreakerTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let policy = CircuitPolicy(failures: 3, cooldown: 30, maxCooldown: 100)

    func failing(_ count: Int, from start: Date) -> (CircuitBreaker, [Date?]) {
        var circuit = CircuitBreaker(policy: policy)
        let opened = (0..<count).map { circuit.record(.failed, now: start.addingTimeInterval(Double($0))) }
        return (circuit, opened)
    }

    @Test func opensOnlyAfterTheConfiguredRunOfFailures() {
        let (circuit, opened) = failing(3, from: t0)
        #expect(opened == [nil, nil, t0.addingTimeInterval(2 + 30)])
        #expect(circuit.state == .open(until: t0.addingTimeInterval(32), cooldown: 30))
    }

    @Test func anAnswerInBetweenStartsTheCountAgain() {
        var circuit = CircuitBreaker(policy: policy)
        _ = circuit.record(.failed, now: t0)
        _ = circuit.record(.failed, now: t0)
        _ = circuit.record(.answered, now: t0)
        #expect(circuit.record(.failed, now: t0) == nil)
        #expect(circuit.record(.failed, now: t0) == nil)
        #expect(circuit.state == .closed(failuresInARow: 2))
    }

    @Test func rateLimitsSayNothingAboutHealth() {
        var circuit = CircuitBreaker(policy: policy)
        for _ in 0..<10 { #expect(circuit.record(.neutral, now: t0) == nil) }
        #expect(circuit.state == .closed(failuresInARow: 0))
    }

    @Test func staysShutThroughTheCooldownThenProbesOnce() {
        var (circuit, _) = failing(3, from: t0)
        #expect(circuit.shutUntil(now: t0.addingTimeInterval(31)) == t0.addingTimeInterval(32))
        #expect(!circuit.isProbing)
        #expect(circuit.shutUntil(now: t0.addingTimeInterval(32)) == nil)
        #expect(circuit.isProbing)
    }

    @Test func aFailedProbeDoublesTheCooldownUpToTheMaximum() {
        var (circuit, _) = failing(3, from: t0)
        var now = t0.addingTimeInterval(32)
        var cooldowns: [TimeInterval] = []
        for _ in 0..<4 {
            #expect(circuit.shutUntil(now: now) == nil)
            let until = circuit.record(.failed, now: now)!
            cooldowns.append(until.timeIntervalSince(now))
            now = until
        }
        #expect(cooldowns == [60, 100, 100, 100])
    }

    @Test func anAnsweredProbeClosesTheCircuitAndTheNextOpeningStartsAfresh() {
        var (circuit, _) = failing(3, from: t0)
        _ = circuit.shutUntil(now: t0.addingTimeInterval(40))
        _ = circuit.record(.failed, now: t0.addingTimeInterval(40))
        _ = circuit.shutUntil(now: t0.addingTimeInterval(200))
        _ = circuit.record(.answered, now: t0.addingTimeInterval(200))
        #expect(circuit.state == .closed(failuresInARow: 0))
        let later = t0.addingTimeInterval(300)
        let opened = (0..<3).map { _ in circuit.record(.failed, now: later) }
        #expect(opened == [nil, nil, later.addingTimeInterval(30)])
    }

    /// Replies to requests sent before the circuit opened arrive while it is open; they must not extend it.
    @Test func failuresWhileOpenAreThoseAlreadyInFlight() {
        var (circuit, _) = failing(3, from: t0)
        #expect(circuit.record(.failed, now: t0.addingTimeInterval(5)) == nil)
        #expect(circuit.state == .open(until: t0.addingTimeInterval(32), cooldown: 30))
    }

    @Test(arguments: [
        (DeliveryOutcome.delivered(proof: "HTTP 204"), true, CircuitBreaker.Signal.answered),
        (.permanent(reason: "HTTP 400"), true, .answered),
        (.permanent(reason: "could not build the request"), false, .neutral),
        (.reauthenticate(reason: "HTTP 401"), true, .answered),
        (.retry(reason: "HTTP 503", after: nil, pauseChannel: false), true, .failed),
        (.retry(reason: "connect: refused", after: nil, pauseChannel: false), false, .failed),
        (.retry(reason: "HTTP 429", after: nil, pauseChannel: true), true, .neutral),
        (.ambiguous(reason: "timeout"), false, .failed),
    ])
    func outcomesReadAsHealth(outcome: DeliveryOutcome, answered: Bool, signal: CircuitBreaker.Signal) {
        #expect(CircuitBreaker.signal(of: outcome, answered: answered) == signal)
    }
}
