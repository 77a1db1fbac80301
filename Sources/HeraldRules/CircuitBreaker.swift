import Foundation
import HeraldCore

/// When a channel's receiver counts as down, and for how long to leave it alone (`circuit:` in channels.yml).
public struct CircuitPolicy: Sendable, Equatable {
    /// Transient failures in a row that open the circuit.
    public var failures: Int
    /// How long the first opening lasts; each failed probe doubles it, up to `maxCooldown`.
    public var cooldown: TimeInterval
    public var maxCooldown: TimeInterval

    public init(failures: Int = 5, cooldown: TimeInterval = 30, maxCooldown: TimeInterval = 600) {
        self.failures = failures
        self.cooldown = cooldown
        self.maxCooldown = maxCooldown
    }
}

/// A channel's circuit: after a run of transient failures the channel sends nothing for a cooldown, then one probe;
/// the probe's answer closes the circuit or opens it again for twice as long. While a receiver is down, queued
/// messages wait instead of spending their attempts on it (and dying of an outage), and the receiver is not hammered.
public struct CircuitBreaker: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case closed(failuresInARow: Int)
        /// Nothing is sent before `until`; then one probe.
        case open(until: Date, cooldown: TimeInterval)
        /// One request is out to test the receiver; `cooldown` is how long the last opening lasted.
        case probing(cooldown: TimeInterval)
    }

    /// What one attempt says about the receiver's health.
    public enum Signal: Sendable, Equatable {
        /// It answered: a delivery, or a refusal of this message (the receiver is up, the message is at fault).
        case answered
        /// No answer, or an answer that says the receiver is failing (5xx, timeout, connection refused).
        case failed
        /// Says nothing about health: a rate limit (the channel pauses for it anyway), or no request was made.
        case neutral
    }

    public let policy: CircuitPolicy
    public private(set) var state: State = .closed(failuresInARow: 0)

    public init(policy: CircuitPolicy) {
        self.policy = policy
    }

    /// Reads an attempt's outcome; `answered` is whether a response (an HTTP status or SMTP reply) came back.
    public static func signal(of outcome: DeliveryOutcome, answered: Bool) -> Signal {
        switch outcome {
        case .delivered: .answered
        case .permanent, .reauthenticate: answered ? .answered : .neutral
        case .retry(_, _, let pauseChannel): pauseChannel ? .neutral : .failed
        case .ambiguous: .failed
        }
    }

    /// Whether only one request may be in flight: the circuit is testing the receiver.
    public var isProbing: Bool {
        if case .probing = state { return true }
        return false
    }

    /// Moves an open circuit whose cooldown has passed to probing. Returns the time it stays shut until, if it does.
    public mutating func shutUntil(now: Date) -> Date? {
        guard case .open(let until, let cooldown) = state else { return nil }
        if now < until { return until }
        state = .probing(cooldown: cooldown)
        return nil
    }

    /// Records an attempt. Returns the end of the cooldown when this attempt opened (or reopened) the circuit.
    public mutating func record(_ signal: Signal, now: Date) -> Date? {
        switch (signal, state) {
        case (.neutral, _):
            return nil
        case (.answered, _):
            state = .closed(failuresInARow: 0)
            return nil
        case (.failed, .closed(let count)):
            guard count + 1 >= policy.failures else {
                state = .closed(failuresInARow: count + 1)
                return nil
            }
            return open(for: policy.cooldown, now: now)
        case (.failed, .probing(let cooldown)):
            return open(for: min(policy.maxCooldown, cooldown * 2), now: now)
        case (.failed, .open):
            // An attempt that was already in flight when the circuit opened: the receiver's state is known.
            return nil
        }
    }

    private mutating func open(for cooldown: TimeInterval, now: Date) -> Date {
        let until = now.addingTimeInterval(cooldown)
        state = .open(until: until, cooldown: cooldown)
        return until
    }
}
