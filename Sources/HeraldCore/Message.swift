import Foundation

/// One message to one recipient, as stored: the rendered content is exactly what will be (and was) sent.
public struct Message: Sendable, Equatable {
    public var id: MessageID
    public var groupID: String
    public var channel: String
    public var kind: String
    public var recipient: String
    /// Rendered template parts by name (`subject`, `text`, `html`, `post`).
    public var content: [String: String]
    /// The caller's data as a JSON object text, passed through to channels that carry it (webhooks).
    public var dataJSON: String
    public var state: MessageState
    public var notBefore: Date
    public var deadline: Date?
    public var attempts: Int
    public var createdAt: Date
    /// Where the public post this message became can be seen (set on delivery, or by an operator's `herald resolve`).
    public var postURL: String?
    /// When the first attempt began that may have reached the receiver without an answer, since an operator last
    /// re-sent the message: a receiver that remembers repeats only for a while is safe to retry only within it.
    public var unansweredSince: Date?
    /// When the content (with the receivers' replies) was removed, by the retention policy or at the recipient's
    /// request; the message keeps its id, state, times and digests.
    public var contentPurgedAt: Date?
    /// When the recipient was removed likewise.
    public var recipientPurgedAt: Date?

    public init(
        id: MessageID, groupID: String, channel: String, kind: String, recipient: String,
        content: [String: String], dataJSON: String, state: MessageState, notBefore: Date, deadline: Date?,
        attempts: Int, createdAt: Date, postURL: String? = nil, unansweredSince: Date? = nil, contentPurgedAt: Date? = nil,
        recipientPurgedAt: Date? = nil
    ) {
        self.id = id
        self.groupID = groupID
        self.channel = channel
        self.kind = kind
        self.recipient = recipient
        self.content = content
        self.dataJSON = dataJSON
        self.state = state
        self.notBefore = notBefore
        self.deadline = deadline
        self.attempts = attempts
        self.createdAt = createdAt
        self.postURL = postURL
        self.unansweredSince = unansweredSince
        self.contentPurgedAt = contentPurgedAt
        self.recipientPurgedAt = recipientPurgedAt
    }
}

extension Message {
    /// The text a chat or social channel posts: the `post` part, else the plain `text`.
    public var postText: String {
        Self.postText(of: content) ?? ""
    }

    /// The same for rendered parts not yet stored; nil when there is neither.
    public static func postText(of content: [String: String]) -> String? {
        content["post"] ?? content["text"]
    }
}
