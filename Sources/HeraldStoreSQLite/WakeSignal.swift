import Foundation
import Synchronization

/// Wakes a sleeping worker when the store may hold something new, without polling.
/// A signal that arrives while nobody waits is remembered, so a change between "look" and "sleep" is never missed.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextToken: UInt64 = 0
    }

    private let state = Mutex(State())

    func signal() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.waiters.isEmpty {
                state.pending = true
                return []
            }
            let waiting = Array(state.waiters.values)
            state.waiters.removeAll()
            return waiting
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns on the next signal (or a pending one), at `deadline`, or when the task is cancelled.
    func wait(until deadline: Date) async {
        let token = state.withLock { state -> UInt64? in
            if state.pending {
                state.pending = false
                return nil
            }
            state.nextToken += 1
            return state.nextToken
        }
        guard let token else { return }
        let delay = deadline.timeIntervalSinceNow
        guard delay > 0 else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                state.withLock { $0.waiters[token] = continuation }
                Task { [weak self] in
                    try? await Task.sleep(for: .milliseconds(Int64(delay * 1000) + 1))
                    self?.resume(token)
                }
            }
        } onCancel: {
            resume(token)
        }
    }

    private func resume(_ token: UInt64) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: token) }
        waiter?.resume()
    }
}
