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
    public var circuit: CircuitPolicy
    /// The longest one transfer of this channel may take: a message starts only while its lease covers it, and a
    /// stopping worker waits this long for a transfer in flight by default.
    public var timeout: TimeInterval

    public init(
        name: String, adapter: any ChannelAdapter, maxInFlight: Int, rate: RateLimit?, retry: RetryPolicy, circuit: CircuitPolicy = CircuitPolicy(),
        timeout: TimeInterval = 30
    ) {
        self.name = name
        self.adapter = adapter
        self.maxInFlight = maxInFlight
        self.rate = rate
        self.retry = retry
        self.circuit = circuit
        self.timeout = timeout
    }
}
