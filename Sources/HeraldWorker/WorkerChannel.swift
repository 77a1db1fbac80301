import Foundation
import HeraldChannels
import HeraldRules
import HeraldStore

/// A channel as the worker drives it: its adapter and its delivery limits.
public struct WorkerChannel: Sendable {
    public var name: String
    public var adapter: any ChannelAdapter
    public var maxInFlight: Int
    public var rate: RateLimit?
    public var retry: RetryPolicy
    public var circuit: CircuitPolicy

    public init(
        name: String, adapter: any ChannelAdapter, maxInFlight: Int, rate: RateLimit?, retry: RetryPolicy, circuit: CircuitPolicy = CircuitPolicy()
    ) {
        self.name = name
        self.adapter = adapter
        self.maxInFlight = maxInFlight
        self.rate = rate
        self.retry = retry
        self.circuit = circuit
    }
}

/// What the worker knows about a channel while it runs: what is in flight, what is claimed and waiting, whether it
/// is paused, its rate budget.
struct ChannelRunState {
    let channel: WorkerChannel
    var inFlight = 0
    /// Messages claimed one turn ahead, so a finished delivery is replaced at once instead of after a store round trip.
    var ready: [ClaimedMessage] = []
    var pausedUntil: Date?
    /// A pause this worker was told of and has not yet written to the store for the other workers.
    var pauseToShare: (until: Date, reason: String)?
    var bucket: TokenBucket?
    var circuit: CircuitBreaker

    init(channel: WorkerChannel, now: Date) {
        self.channel = channel
        self.bucket = channel.rate.map { TokenBucket(limit: $0, now: now) }
        self.circuit = CircuitBreaker(policy: channel.circuit)
    }

    /// Transfers allowed in flight: one while the circuit probes a receiver that was failing.
    private var slots: Int { circuit.isProbing ? 1 : channel.maxInFlight }

    func isPaused(at now: Date) -> Bool {
        pausedUntil.map { $0 > now } ?? false
    }

    /// Pauses the channel until `until`, unless it already is for longer; a new pause is to be shared.
    mutating func pause(until: Date, reason: String) {
        guard until > pausedUntil ?? .distantPast else { return }
        pausedUntil = until
        pauseToShare = (until, reason)
    }

    /// How many more messages may be claimed now (up to a second full set of slots, held ready), and if none,
    /// when that may change.
    mutating func capacity(now: Date) -> (count: Int, retryAt: Date?) {
        if let pausedUntil, pausedUntil > now { return (0, pausedUntil) }
        pausedUntil = nil
        if let shut = circuit.shutUntil(now: now) { return (0, shut) }
        // While probing, the one probe is all that is claimed; otherwise a second full set of slots is held ready.
        let free = (circuit.isProbing ? 1 : 2 * channel.maxInFlight) - inFlight - ready.count
        guard free > 0 else { return (0, nil) }
        guard var bucket else { return (free, nil) }
        let tokens = bucket.available(now: now)
        let next = tokens == 0 ? bucket.nextTokenTime(now: now) : nil
        self.bucket = bucket
        return (min(free, tokens), next)
    }

    /// Takes claimed messages into the ready queue, spending their rate tokens.
    mutating func hold(_ claimed: ClaimedMessage) {
        ready.append(claimed)
        bucket?.consume(1)
    }

    /// The next ready message to send, if the channel has a free slot and is not paused.
    mutating func nextToSend(now: Date) -> ClaimedMessage? {
        guard inFlight < slots, !ready.isEmpty, !isPaused(at: now) else { return nil }
        inFlight += 1
        return ready.removeFirst()
    }
}
