import Foundation

/// What waits for one channel and what it is sending, as the store sees it now: the queue part of a channel's state
/// (`GET /v1/channels`); pauses and open circuits come from `channelPauses`.
public struct ChannelLoad: Sendable, Equatable {
    /// Messages `scheduled` or `retrying`, due or not.
    public var queued: Int
    /// Of those, the ones due now.
    public var due: Int
    /// The earliest due time among the due ones.
    public var oldestDue: Date?
    /// Messages a worker holds a lease on (`sending`).
    public var inFlight: Int

    public init(queued: Int = 0, due: Int = 0, oldestDue: Date? = nil, inFlight: Int = 0) {
        self.queued = queued
        self.due = due
        self.oldestDue = oldestDue
        self.inFlight = inFlight
    }
}
