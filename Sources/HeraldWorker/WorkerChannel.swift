import Foundation
import HeraldChannels
import HeraldRules

/// A channel as the worker drives it: its adapter and its delivery limits.
public struct WorkerChannel: Sendable {
    public var name: String
    public var adapter: any ChannelAdapter
    public var maxInFlight: Int
    public var rate: RateLimit?
    public var retry: RetryPolicy

    public init(name: String, adapter: any ChannelAdapter, maxInFlight: Int, rate: RateLimit?, retry: RetryPolicy) {
        self.name = name
        self.adapter = adapter
        self.maxInFlight = maxInFlight
        self.rate = rate
        self.retry = retry
    }
}

/// What the worker knows about a channel while it runs: what is in flight, whether it is paused, its rate budget.
struct ChannelRunState {
    let channel: WorkerChannel
    var inFlight = 0
    var pausedUntil: Date?
    var bucket: TokenBucket?

    init(channel: WorkerChannel, now: Date) {
        self.channel = channel
        self.bucket = channel.rate.map { TokenBucket(limit: $0, now: now) }
    }

    /// How many more messages may be claimed now, and if none, when that may change.
    mutating func capacity(now: Date) -> (count: Int, retryAt: Date?) {
        if let pausedUntil, pausedUntil > now { return (0, pausedUntil) }
        pausedUntil = nil
        let free = channel.maxInFlight - inFlight
        guard free > 0 else { return (0, nil) }
        guard var bucket else { return (free, nil) }
        let tokens = bucket.available(now: now)
        let next = tokens == 0 ? bucket.nextTokenTime(now: now) : nil
        self.bucket = bucket
        return (min(free, tokens), next)
    }

    mutating func started(_ count: Int) {
        inFlight += count
        bucket?.consume(count)
    }
}
