import Foundation
import HeraldCore
import Synchronization

/// Whether a worker's loop is asleep with nothing under way, for tests that drive it with a manual clock: they
/// advance the clock or answer a request, then wait until the worker has done all that follows and sleeps again,
/// before they look. Nothing in the worker's decisions reads it.
public final class WorkerActivity: Sendable {
    private struct State {
        var sleeping = false
        /// The uptime the loop sleeps until, if it has a deadline.
        var deadline: TimeInterval?
        /// A store turn is under way: its answer will wake the loop.
        var turnUnderWay = false
        /// Deliveries handed to the transport and not yet back.
        var inFlight = 0
        var done = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    let doorbell: WakeSignal

    init(doorbell: WakeSignal) {
        self.doorbell = doorbell
    }

    func sleeping(until deadline: TimeInterval?, turnUnderWay: Bool, inFlight: Int) {
        let waiters = state.withLock { state in
            state.sleeping = true
            state.deadline = deadline
            state.turnUnderWay = turnUnderWay
            state.inFlight = inFlight
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func awake() {
        state.withLock { $0.sleeping = false }
    }

    func finished() {
        let waiters = state.withLock { state in
            state.done = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the worker sleeps with nothing under way that will wake it — no store turn, no ring waiting, no
    /// deadline already reached on `clock` — or has finished its run. With `nothingInFlight`, it also waits for every
    /// delivery to come back: for a real transport, whose answers the test does not control.
    public func idle(on clock: any HeraldClock, nothingInFlight: Bool = false) async {
        while true {
            let quiet = state.withLock { isQuiet($0, clock: clock, nothingInFlight: nothingInFlight) }
            if quiet { return }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Checked again under the lock, so a report that came since the look above is not missed.
                let resumeNow = state.withLock { state -> Bool in
                    if isQuiet(state, clock: clock, nothingInFlight: nothingInFlight) { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    private func isQuiet(_ state: State, clock: any HeraldClock, nothingInFlight: Bool) -> Bool {
        if state.done { return true }
        guard state.sleeping, !state.turnUnderWay, !doorbell.isPending, !nothingInFlight || state.inFlight == 0 else { return false }
        return state.deadline.map { $0 > clock.uptime() } ?? true
    }
}
