import Foundation
import Synchronization

/// Wall-clock time, injected so retry, lease and schedule rules can be tested without waiting.
public protocol HeraldClock: Sendable {
    func now() -> Date
}

/// The system's clock.
public struct SystemClock: HeraldClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to; for tests and dry runs.
public final class ManualClock: HeraldClock {
    private let current: Mutex<Date>

    public init(_ start: Date) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}
