import Foundation

/// Exponential backoff with full jitter: attempt n waits a random time in [0, min(cap, base·2ⁿ⁻¹)],
/// so a crowd of failed messages spreads out instead of returning together.
public struct RetryPolicy: Sendable, Equatable {
    public var base: TimeInterval
    public var cap: TimeInterval
    /// Attempts in all, the first included; after the last failure the message is dead.
    public var maxAttempts: Int

    public init(base: TimeInterval = 2, cap: TimeInterval = 900, maxAttempts: Int = 8) {
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
    }

    /// The longest wait after attempt `attempt` (1-based).
    public func ceiling(afterAttempt attempt: Int) -> TimeInterval {
        let exponent = Double(max(0, min(attempt - 1, 60)))
        return min(cap, base * pow(2, exponent))
    }

    /// A full-jitter delay after attempt `attempt`; `unit` is a random number in [0, 1).
    public func delay(afterAttempt attempt: Int, unit: Double) -> TimeInterval {
        ceiling(afterAttempt: attempt) * min(max(unit, 0), 1)
    }

    /// Whether another attempt is allowed after `attempt` attempts.
    public func allowsAnotherAttempt(after attempt: Int) -> Bool {
        attempt < maxAttempts
    }
}
