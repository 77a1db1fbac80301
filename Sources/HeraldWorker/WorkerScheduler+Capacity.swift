import Foundation
import HeraldCore
import HeraldRules
import HeraldStore

/// Sharing the worker's capacity: which claimed messages start, what to claim of which channel, which leases to renew.
extension WorkerScheduler {
    /// Starts ready messages in free slots, one channel after another round robin, so a short global cap is shared;
    /// a message starts only while its lease covers its channel's whole timeout and the margin after it.
    mutating func launchReady(now: Date, uptime: TimeInterval) -> [HeldMessage] {
        var launched: [HeldMessage] = []
        guard !order.isEmpty else { return launched }
        var progress = true
        while progress && inFlight.count < settings.maxInFlight {
            progress = false
            for step in 0..<order.count where inFlight.count < settings.maxInFlight {
                let name = order[(launchCursor + step) % order.count]
                // Changed in place: a copy of the lane would copy its ready queue on every launch.
                guard let next = lanes[name]!.ready.first, lanes[name]!.inFlight < lanes[name]!.slots, lanes[name]!.blockedUntil(now: now) == nil,
                    rule.mayStart(timeout: lanes[name]!.channel.timeout, remaining: next.leaseRemaining(now: now, uptime: uptime))
                else { continue }
                lanes[name]!.ready.removeFirst()
                lanes[name]!.inFlight += 1
                inFlight[next.id] = InFlight(held: next, startedAt: now, startedUptime: uptime)
                launched.append(next)
                progress = true
            }
        }
        launchCursor = (launchCursor + 1) % order.count
        return launched
    }

    /// What to claim of each channel: the claim budget (a second full set of the global cap, less what is held)
    /// given one message at a time, round robin, to the channels that have something due and room for it. A channel
    /// with nothing due gets nothing, so the budget is never spent where it cannot be used, and the round starts one
    /// channel further on each time, so a budget too short for all of them reaches each in turn.
    mutating func distributeClaims(now: Date) -> [ClaimRequest] {
        var budget = 2 * settings.maxInFlight - inFlight.count - readyCount
        guard budget > 0, !order.isEmpty else { return [] }
        var wanted: [Int] = order.map { lanes[$0]!.wanted(now: now) }
        var granted = Array(repeating: 0, count: order.count)
        var position = claimCursor
        var lastGranted: Int?
        while budget > 0, wanted.contains(where: { $0 > 0 }) {
            let index = position % order.count
            if wanted[index] > 0 {
                wanted[index] -= 1
                granted[index] += 1
                budget -= 1
                lastGranted = index
            }
            position += 1
        }
        if let lastGranted { claimCursor = (lastGranted + 1) % order.count }
        return order.indices.compactMap { granted[$0] > 0 ? ClaimRequest(channel: order[$0], limit: granted[$0]) : nil }
    }

    /// Held messages (ready or in flight) whose leases should be renewed in the next turn; notes when the next of the
    /// others will need it.
    mutating func heldNeedingRenewal(now: Date, uptime: TimeInterval) -> [MessageID] {
        var ids: [MessageID] = []
        var next = TimeInterval.infinity
        func consider(_ held: HeldMessage) {
            let threshold = renewalThreshold(for: held.channel)
            let remaining = held.leaseRemaining(now: now, uptime: uptime)
            if renewAll || remaining < threshold {
                ids.append(held.id)
                next = min(next, uptime + settings.lease - threshold)
            } else {
                next = min(next, uptime + remaining - threshold)
            }
        }
        for name in order { lanes[name]!.ready.forEach(consider) }
        for flight in inFlight.values where !flight.leaseLost { consider(flight.held) }
        renewalDue = next
        return ids
    }

    /// What must be left of a lease of `channel` for it to go unrenewed.
    func renewalThreshold(for channel: String) -> TimeInterval {
        rule.renewalThreshold(timeout: lanes[channel]?.channel.timeout ?? 0)
    }

    /// Pauses a channel (a receiver's word, an open circuit, or a pause another worker stored). What it has claimed
    /// ahead goes back to the store, so no lease runs out while it waits and another worker may take it after.
    /// Returns whether the pause is new (longer than any the channel had).
    @discardableResult
    mutating func pauseLane(_ name: String, until: Date, reason: String, now: Date, announce: Bool) -> Bool {
        guard until > now, lanes[name]!.pause(until: until, reason: reason) else { return false }
        if announce { notices.append(.channelPaused(channel: name, until: until, reason: reason)) }
        releases += lanes[name]!.ready.map(\.id)
        lanes[name]!.ready.removeAll()
        return true
    }
}
