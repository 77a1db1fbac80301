import Foundation
import HeraldCore
import HeraldRules
import HeraldStore

/// What the scheduler knows of one channel: what it holds of it (in flight, claimed ahead), whether it may send
/// (pause, circuit, rate budget), and what waits for it in the store (the backlog the last turn reported).
struct ChannelLane: Sendable {
    let channel: WorkerChannel
    var inFlight = 0
    /// Messages claimed ahead, so a freed slot starts its next message at once instead of after a store round trip.
    var ready: [HeldMessage] = []
    var pausedUntil: Date?
    var pauseReason: String?
    var bucket: TokenBucket?
    var circuit: CircuitBreaker
    /// The store's backlog as of the last turn: due now (at least), the next due time and the next deadline.
    var due = 0
    var nextDue: Date?
    var nextDeadline: Date?

    init(channel: WorkerChannel, now: Date) {
        self.channel = channel
        self.bucket = channel.rate.map { TokenBucket(limit: $0, now: now) }
        self.circuit = CircuitBreaker(policy: channel.circuit)
    }

    var name: String { channel.name }

    /// Transfers allowed in flight: one while the circuit probes a receiver that was failing.
    var slots: Int { circuit.isProbing ? 1 : channel.maxInFlight }

    func isPaused(at now: Date) -> Bool {
        pausedUntil.map { $0 > now } ?? false
    }

    /// Pauses the channel until `until`, unless it already is for longer. Returns whether the pause is new.
    @discardableResult
    mutating func pause(until: Date, reason: String) -> Bool {
        guard until > pausedUntil ?? .distantPast else { return false }
        pausedUntil = until
        pauseReason = reason
        return true
    }

    /// When the channel may send again, if a pause or an open circuit holds it now; moves a circuit whose cooldown
    /// has passed on to probing.
    mutating func blockedUntil(now: Date) -> Date? {
        if let pausedUntil, pausedUntil > now { return pausedUntil }
        pausedUntil = nil
        pauseReason = nil
        return circuit.shutUntil(now: now)
    }

    /// How many more messages it may hold now (a second full set of slots is kept ready; one while probing), within
    /// its rate budget; and when the budget refills if it is spent.
    mutating func room(now: Date) -> (count: Int, budgetAt: Date?) {
        if blockedUntil(now: now) != nil { return (0, nil) }
        let free = (circuit.isProbing ? 1 : 2 * channel.maxInFlight) - inFlight - ready.count
        guard free > 0 else { return (0, nil) }
        guard var bucket else { return (free, nil) }
        let tokens = bucket.available(now: now)
        let next = tokens == 0 ? bucket.nextTokenTime(now: now) : nil
        self.bucket = bucket
        return (min(free, tokens), next)
    }

    /// How many it would take now: its room, as far as the store has something due. A due time that has passed since
    /// the last report counts as one due message, to be confirmed by the claim.
    mutating func wanted(now: Date) -> Int {
        let known = due > 0 ? due : (nextDue.map { $0 <= now } ?? false) ? 1 : 0
        return min(room(now: now).count, known)
    }

    /// Takes claimed messages into the ready queue, spending their rate tokens.
    mutating func hold(_ message: HeldMessage) {
        ready.append(message)
        bucket?.consume(1)
    }

    /// The soonest this channel could send something it has waiting (due in the store, or ready), or nil when
    /// nothing waits for it.
    mutating func soonestSend(now: Date) -> Date? {
        let waiting: Date? = !ready.isEmpty || due > 0 ? now : nextDue
        guard let waiting else { return nil }
        var soonest = max(waiting, now)
        if let blocked = blockedUntil(now: now) { soonest = max(soonest, blocked) }
        if due > 0 || !ready.isEmpty, var bucket, bucket.available(now: now) == 0 {
            soonest = max(soonest, bucket.nextTokenTime(now: now))
            self.bucket = bucket
        }
        return soonest
    }
}
