import Foundation
import HeraldCore

/// A message ready to be stored: rendered, validated, with its id already chosen.
public struct NewMessage: Sendable {
    public var id: MessageID
    public var channel: String
    public var kind: String
    public var recipient: String
    public var content: [String: String]
    public var dataJSON: String
    /// `.scheduled`, or `.held` when it needs an approval or a clearance first.
    public var state: MessageState
    public var notBefore: Date
    public var deadline: Date?

    public init(
        id: MessageID, channel: String, kind: String, recipient: String, content: [String: String], dataJSON: String,
        state: MessageState = .scheduled, notBefore: Date, deadline: Date? = nil
    ) {
        self.id = id
        self.channel = channel
        self.kind = kind
        self.recipient = recipient
        self.content = content
        self.dataJSON = dataJSON
        self.state = state
        self.notBefore = notBefore
        self.deadline = deadline
    }
}

/// The messages of one enqueue request (one per recipient), stored together under one group id.
public struct EnqueueGroup: Sendable {
    public var groupID: String
    /// Enqueueing the same key again returns the first group's ids and stores nothing.
    public var dedupeKey: String?
    public var messages: [NewMessage]
    /// Who asked for it when that is known for certain (an API token's name), for the `enqueued` events' note.
    public var requestedBy: String?

    public init(groupID: String, dedupeKey: String? = nil, messages: [NewMessage], requestedBy: String? = nil) {
        self.groupID = groupID
        self.dedupeKey = dedupeKey
        self.messages = messages
        self.requestedBy = requestedBy
    }
}

/// What an enqueue did for one group.
public struct EnqueueResult: Sendable, Equatable {
    public var groupID: String
    public var ids: [MessageID]
    /// True when the dedupe key was seen before and nothing new was stored.
    public var deduplicated: Bool

    public init(groupID: String, ids: [MessageID], deduplicated: Bool) {
        self.groupID = groupID
        self.ids = ids
        self.deduplicated = deduplicated
    }
}
