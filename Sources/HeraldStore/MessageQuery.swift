import Foundation
import HeraldCore

/// Filters for `herald log`; nil means "any".
public struct MessageQuery: Sendable, Equatable {
    public var state: MessageState?
    public var channel: String?
    public var kind: String?
    public var since: Date?
    /// Only messages older than this one (ids sort by creation): the cursor of the page before.
    public var before: MessageID?
    public var limit: Int

    public init(
        state: MessageState? = nil, channel: String? = nil, kind: String? = nil, since: Date? = nil, before: MessageID? = nil, limit: Int = 100
    ) {
        self.state = state
        self.channel = channel
        self.kind = kind
        self.since = since
        self.before = before
        self.limit = limit
    }
}

/// A message with its whole history, for `herald show`.
public struct MessageDetail: Sendable {
    public var message: Message
    public var attempts: [AttemptRecord]
    public var events: [AuditEvent]

    public init(message: Message, attempts: [AttemptRecord], events: [AuditEvent]) {
        self.message = message
        self.attempts = attempts
        self.events = events
    }
}

/// Counts by state, for the worker's summary and the benchmark.
public typealias StateCounts = [MessageState: Int]
