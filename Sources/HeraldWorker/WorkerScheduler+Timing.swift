import Foundation
import HeraldCore
import HeraldRules

/// When to wake, when a run is over, and what a step of the wall clock means for the leases held.
extension WorkerScheduler {
    /// The uptime at which something will need doing if no news comes first: a message falling due on a channel
    /// that could send it, a pause or a circuit's cooldown ending, the rate budget refilling, a deadline (to expire
    /// its message), a lease to renew, the end of the shutdown grace, the next try of a failing store. Nil when only
    /// news (a finished delivery, the store's answer, another process's commit) can give it something to do.
    mutating func wakeTime(now: Date, uptime: TimeInterval) -> TimeInterval? {
        var candidates: [TimeInterval] = []
        func at(_ date: Date) -> TimeInterval { uptime + date.timeIntervalSince(now) }
        if let stop = stopRequested {
            if !inFlight.isEmpty { candidates.append(stop + settings.shutdownGrace) }
            if fault != nil { candidates.append(stop + settings.shutdownGrace + settings.stoppingFaultLimit) }
        }
        if let fault { candidates.append(fault.retryAt) }
        // Finished attempts held back for a batch (see `mayWaitForABatch`) are recorded at the end of the window.
        if fault == nil, let since = pendingSince { candidates.append(since + settings.recordWindow) }
        if stopRequested == nil {
            for name in order {
                if let soonest = lanes[name]!.soonestSend(now: now), soonest > now { candidates.append(at(soonest)) }
                if !settings.once, let deadline = lanes[name]!.nextDeadline, deadline > now { candidates.append(at(deadline)) }
            }
        }
        // While it holds anything, the worker looks at the clocks every few seconds: a wall-clock step shortens every
        // lease as the other workers see it, and only a look tells (see `noticeWallClockStep`). It also wakes when the
        // next lease is due for renewal.
        if readyCount > 0 || inFlight.values.contains(where: { !$0.leaseLost }) {
            candidates.append(uptime + min(rule.lease / 6, 5))
            candidates.append(renewalDue)
        }
        // What is due already is handled by the turn under way or the next one, whose answer rings the doorbell.
        return candidates.filter { $0 > uptime }.min()
    }

    /// Whether the run is over. A stopping worker is done once nothing is in flight and everything is recorded (or
    /// the store has failed for too long after the grace: what is left unrecorded is counted). A once-run is done
    /// when it holds nothing and no channel could send anything within its wait limit.
    mutating func isDone(now: Date, uptime: TimeInterval) -> (done: Bool, unrecorded: Int) {
        let settled = turnUnderWay == nil && pending.isEmpty && releases.isEmpty && inFlight.isEmpty
        if let stop = stopRequested {
            if settled { return (true, 0) }
            if fault != nil, inFlight.isEmpty, turnUnderWay == nil, uptime >= stop + settings.shutdownGrace + settings.stoppingFaultLimit {
                return (true, pending.count)
            }
            return (false, 0)
        }
        guard settings.once, settled, !surveyStale, fault == nil, readyCount == 0 else { return (false, 0) }
        let horizon = now.addingTimeInterval(settings.onceWaitLimit)
        for name in order {
            if let soonest = lanes[name]!.soonestSend(now: now), soonest < horizon { return (false, 0) }
        }
        return (true, 0)
    }

    /// Compares how far the wall clock moved with how far uptime did since the last decision. A forward step makes
    /// every lease look shorter to the other workers (they go by the wall clock): the leases held are renewed at once,
    /// and nothing starts until they are (a message starts only within both reckonings of its lease).
    mutating func noticeWallClockStep(now: Date, uptime: TimeInterval) {
        defer { lastReading = (now, uptime) }
        guard let last = lastReading else { return }
        let step = now.timeIntervalSince(last.wall) - (uptime - last.uptime)
        guard abs(step) > 2 else { return }
        notices.append(.wallClockStepped(by: step))
        if step > 0 { renewAll = true }
    }
}
