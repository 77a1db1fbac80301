import Foundation
import HeraldCore

/// Filters for `herald log` and `GET /v1/messages`; nil means "any". Every filter given must hold.
public struct MessageQuery: Sendable, Equatable {
    public var state: MessageState?
    public var channel: String?
    public var kind: String?
    /// Created at or after.
    public var since: Date?
    /// Created before.
    public var until: Date?
    /// Due (its `not_before`) at or after, and before.
    public var dueFrom: Date?
    public var dueBefore: Date?
    /// A review's messages, by its reference.
    public var review: String?
    /// One enqueue's messages (every recipient of a notice, every network of a post).
    public var group: String?
    /// Messages to one address, compared without case, with or without a display name around it.
    public var recipient: String?
    /// Text the subject contains, compared without case.
    public var subject: String?
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
