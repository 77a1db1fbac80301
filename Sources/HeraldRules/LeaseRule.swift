import Foundation

/// How a lease guards against a message being sent by two workers: a worker starts a transfer only while its lease
/// still covers the whole transfer and the bookkeeping after it, and renews what it holds well before that stops
/// being true. Another worker takes a message only once its lease has run out, so the two never overlap.
///
/// The rule is pure arithmetic on the lease and a transfer's timeout; `herald check` applies `minimumLease` to every
/// channel, and the worker applies `mayStart` and `renewalThreshold` to every message it holds.
public struct LeaseRule: Sendable, Equatable {
    /// How long a claim or a renewal holds.
    public var lease: TimeInterval

    public init(lease: TimeInterval) {
        self.lease = lease
    }

    /// Room kept after a transfer's timeout for recording its result: a quarter of the lease, at most five seconds.
    public var margin: TimeInterval { min(5, lease / 4) }

    /// Whether a transfer that may take up to `timeout` may start with `remaining` seconds of lease left.
    public func mayStart(timeout: TimeInterval, remaining: TimeInterval) -> Bool {
        remaining >= timeout + margin
    }

    /// What must be left of a held message's lease for it to go unrenewed: once half of it is gone, or sooner if what
    /// is left would no longer let its transfer (of up to `timeout`) start, it is renewed.
    public func renewalThreshold(timeout: TimeInterval) -> TimeInterval {
        max(lease / 2, timeout + margin)
    }

    /// The shortest lease that is comfortably longer than a transfer's `timeout`: twice it, so a message claimed
    /// ahead can wait, be renewed and still start with its whole timeout and the margin covered.
    public static func minimumLease(forTimeout timeout: TimeInterval) -> TimeInterval {
        2 * timeout
    }
}
