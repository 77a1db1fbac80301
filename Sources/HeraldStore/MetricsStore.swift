import Foundation
import HeraldCore

/// What `/metrics` reads: everything from the store, so the figures are the same whichever process (or how many
/// workers) delivered, and a scrape can be checked against the store itself. Attempts are read incrementally by
/// their position, so counters and histograms grow with each scrape without rereading the history.
public protocol MetricsStore: Sendable {
    /// How many messages each channel has in each state (absent: none).
    func messageCounts() async throws -> [ChannelStateCount]
    /// Up to `limit` attempts recorded after `cursor` (0 for the first), oldest first, and the cursor to pass next.
    func attempts(after cursor: Int64, limit: Int) async throws -> (samples: [AttemptSample], cursor: Int64)
    /// How many audit events the trail holds.
    func auditEventCount() async throws -> Int64
}

public struct ChannelStateCount: Sendable, Equatable {
    public var channel: String
    public var state: MessageState
    public var count: Int

    public init(channel: String, state: MessageState, count: Int) {
        self.channel = channel
        self.state = state
        self.count = count
    }
}

/// One recorded attempt, as the metrics count it.
public struct AttemptSample: Sendable, Equatable {
    public var channel: String
    /// `delivered`, `retry`, `permanent` or `ambiguous` (`DeliveryOutcome.label`).
    public var outcome: String
    /// How long the transfer took.
    public var duration: TimeInterval
    /// For a delivery: from when the message was due to when the attempt ended.
    public var latency: TimeInterval?

    public init(channel: String, outcome: String, duration: TimeInterval, latency: TimeInterval?) {
        self.channel = channel
        self.outcome = outcome
        self.duration = duration
        self.latency = latency
    }
}
