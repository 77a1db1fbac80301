import Foundation
import HeraldCore
import Synchronization

/// A clock that moves only when a test tells it to, and wakes whoever sleeps on it when it does.
///
/// With it a test proves that something did *not* happen in a window (no request during a pause) by advancing time
/// instead of waiting for it. `stepWall(by:)` moves the wall clock alone, as a correction of the system's time does.
public final class ManualClock: HeraldClock {
    private struct Sleeper {
        var id: UInt64
        var deadline: TimeInterval
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var wall: Date
        var uptime: TimeInterval = 1000
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
        /// Sleepers that registered, in total: a test waits for this to grow to know a sleeper has gone to sleep.
        var sleepsBegun = 0
    }

    private let state: Mutex<State>

    public init(_ start: Date) {
        state = Mutex(State(wall: start))
    }

    public func now() -> Date { state.withLock { $0.wall } }

    public func uptime() -> TimeInterval { state.withLock { $0.uptime } }

    /// Moves both clocks forward by `seconds` and wakes every sleeper whose deadline has come.
    public func advance(by seconds: TimeInterval) {
        let due = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.wall = state.wall.addingTimeInterval(max(0, seconds))
            state.uptime += max(0, seconds)
            return Self.takeDue(&state)
        }
        for continuation in due { continuation.resume() }
    }

    /// Sets the wall clock to `date`; uptime moves forward by the same amount when that is forward, and stays when
    /// it is back (uptime never goes back).
    public func set(_ date: Date) {
        let due = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.uptime += max(0, date.timeIntervalSince(state.wall))
            state.wall = date
            return Self.takeDue(&state)
        }
        for continuation in due { continuation.resume() }
    }

    /// Steps the wall clock alone, as when the system's time is corrected: uptime and sleepers do not notice.
    public func stepWall(by seconds: TimeInterval) {
        state.withLock { $0.wall = $0.wall.addingTimeInterval(seconds) }
    }

    /// How many sleeps have begun since the clock was made.
    public var sleepsBegun: Int { state.withLock { $0.sleepsBegun } }

    /// The earliest deadline anyone sleeps until, if anyone sleeps.
    public var nextDeadline: TimeInterval? { state.withLock { $0.sleepers.map(\.deadline).min() } }

    public func sleep(untilUptime deadline: TimeInterval) async {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if Task.isCancelled || deadline <= state.uptime { return true }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    state.sleepsBegun += 1
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index).continuation
            }
            cancelled?.resume()
        }
    }

    private static func takeDue(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        let uptime = state.uptime
        let due = state.sleepers.filter { $0.deadline <= uptime }.map(\.continuation)
        state.sleepers.removeAll { $0.deadline <= uptime }
        return due
    }
}
