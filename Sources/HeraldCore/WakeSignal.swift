import Foundation
import Synchronization

/// A doorbell for one sleeper: whoever has news rings it, the sleeper wakes at the ring or at its deadline.
/// A ring that comes while nobody waits is remembered, so news between "look" and "sleep" is never missed,
/// and many rings while the sleeper is busy collapse into one wake-up. The deadline is kept on a `HeraldClock`'s
/// uptime, so a manual clock's advance ends the wait as the passing of real time would.
public final class WakeSignal: Sendable {
    private typealias Waiter = (token: UInt64, continuation: CheckedContinuation<Void, Never>, timer: Task<Void, Never>?)

    private struct State {
        var pending = false
        var waiter: Waiter?
        var nextToken: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    public func signal() {
        let waiter = state.withLock { state -> (CheckedContinuation<Void, Never>, Task<Void, Never>?)? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return (waiter.continuation, waiter.timer)
        }
        waiter?.1?.cancel()
        waiter?.0.resume()
    }

    /// Whether a ring is waiting to be noticed: the next `wait` returns at once.
    public var isPending: Bool { state.withLock { $0.pending } }

    /// Returns at the next ring (or at once for a remembered one), when `clock`'s uptime reaches `deadline` (never,
    /// when nil), or when the task is cancelled. Only one task may wait at a time.
    public func wait(untilUptime deadline: TimeInterval?, clock: any HeraldClock) async {
        let token = state.withLock { state -> UInt64? in
            if state.pending {
                state.pending = false
                return nil
            }
            state.nextToken += 1
            return state.nextToken
        }
        guard let token else { return }
        if let deadline, deadline <= clock.uptime() { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let timer = deadline.map { deadline in
                    Task { [weak self] in
                        await clock.sleep(untilUptime: deadline)
                        if !Task.isCancelled { self?.resume(token) }
                    }
                }
                let (resumeNow, displaced) = state.withLock { state -> (Bool, Waiter?) in
                    // A cancellation that came before this registration, or a ring that came meanwhile, ends the wait.
                    if Task.isCancelled { return (true, nil) }
                    if state.pending {
                        state.pending = false
                        return (true, nil)
                    }
                    let displaced = state.waiter
                    state.waiter = (token, continuation, timer)
                    return (false, displaced)
                }
                // Only one sleeper is supported; a stale one is woken rather than left hanging.
                displaced?.timer?.cancel()
                displaced?.continuation.resume()
                if resumeNow {
                    timer?.cancel()
                    continuation.resume()
                }
            }
        } onCancel: {
            resume(token)
        }
    }

    private func resume(_ token: UInt64) {
        let waiter = state.withLock { state -> (CheckedContinuation<Void, Never>, Task<Void, Never>?)? in
            guard let waiter = state.waiter, waiter.token == token else { return nil }
            state.waiter = nil
            return (waiter.continuation, waiter.timer)
        }
        waiter?.1?.cancel()
        waiter?.0.resume()
    }
}
