import Foundation

/// Time, injected so that retry, lease and schedule rules can be tested without waiting.
///
/// A clock answers two different questions. `now()` is the wall clock: what is stored, compared with stored times and
/// shown to people; it can step when the system's time is corrected. `uptime()` never steps: the worker reckons its
/// own deadlines (a lease it holds, a grace period, a back-off) on it, so a wall-clock step cannot make it believe a
/// lease is longer than it is. `sleep(untilUptime:)` waits on the same clock, so advancing a manual clock wakes
/// whoever sleeps on it.
public protocol HeraldClock: Sendable {
    /// The wall-clock time.
    func now() -> Date
    /// Seconds since an arbitrary origin, on a clock that only moves forward and never steps.
    func uptime() -> TimeInterval
    /// Returns once `uptime()` has reached `deadline`, or at once when the task is cancelled.
    func sleep(untilUptime deadline: TimeInterval) async
}

extension HeraldClock {
    /// Returns after `seconds` of uptime, or at once when the task is cancelled.
    public func sleep(for seconds: TimeInterval) async {
        await sleep(untilUptime: uptime() + seconds)
    }
}

/// The system's clocks: `Date()` for the wall, the monotonic clock for uptime and sleeping.
public struct SystemClock: HeraldClock {
    private static let origin = ContinuousClock.now

    public init() {}

    public func now() -> Date { Date() }

    public func uptime() -> TimeInterval {
        let elapsed = ContinuousClock.now - Self.origin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    public func sleep(untilUptime deadline: TimeInterval) async {
        let delay = min(deadline - uptime(), 86_400)
        guard delay > 0 else { return }
        try? await Task.sleep(for: .milliseconds(Int64((delay * 1000).rounded(.up))))
    }
}
