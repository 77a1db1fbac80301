import Foundation
import HeraldCore
import HeraldStore

/// The stable JSON shapes of `herald log --json` and `herald show --json`. Field names are an interface:
/// add fields, never rename or remove them.
public struct MessageView: Codable, Sendable {
    public var id: String
    public var group_id: String
    public var state: String
    public var channel: String
    public var kind: String
    public var recipient: String
    public var not_before: String
    public var deadline: String?
    public var attempts: Int
    public var created_at: String
    /// The public URL of the post this message became, once delivered (or resolved by hand).
    public var post_url: String?
    /// When the content, or the recipient, was removed by the retention policy or at the person's request.
    public var content_purged_at: String?
    public var recipient_purged_at: String?

    public init(_ message: Message) {
        id = message.id.rawValue
        group_id = message.groupID
        state = message.state.rawValue
        channel = message.channel
        kind = message.kind
        recipient = message.recipient
        not_before = RFC3339.format(message.notBefore)
        deadline = message.deadline.map(RFC3339.format)
        attempts = message.attempts
        created_at = RFC3339.format(message.createdAt)
        post_url = message.postURL
        content_purged_at = message.contentPurgedAt.map(RFC3339.format)
        recipient_purged_at = message.recipientPurgedAt.map(RFC3339.format)
    }
}

public struct MessageDetailView: Codable, Sendable {
    public struct Attempt: Codable, Sendable {
        public var number: Int
        public var started_at: String
        public var duration_ms: Int
        public var outcome: String
        public var status: Int?
        public var detail: String
        public var worker: String
        public var post_id: String?
        public var post_url: String?
    }

    public struct Event: Codable, Sendable {
        public var seq: Int64
        public var at: String
        public var event: String
        public var detail: String
    }

    public var message: MessageView
    public var content: [String: String]
    public var attempts: [Attempt]
    public var events: [Event]

    public init(_ detail: MessageDetail) {
        message = MessageView(detail.message)
        content = detail.message.content
        attempts = detail.attempts.map {
            Attempt(
                number: $0.number, started_at: RFC3339.format($0.startedAt), duration_ms: Int(($0.duration * 1000).rounded()),
                outcome: $0.outcome, status: $0.status, detail: $0.detail, worker: $0.worker, post_id: $0.post?.id, post_url: $0.post?.url
            )
        }
        events = detail.events.map { Event(seq: $0.sequence, at: RFC3339.format($0.at), event: $0.event, detail: $0.text) }
    }

    /// Flattened for `show --json`: the message's fields at the top, then `content`, `attempts`, `events`.
    public func encodedJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var top = try JSONDecoder().decode([String: JSONValue].self, from: encoder.encode(message))
        top["content"] = .object(content.mapValues(JSONValue.string))
        top["attempts"] = try JSONDecoder().decode(JSONValue.self, from: encoder.encode(attempts))
        top["events"] = try JSONDecoder().decode(JSONValue.self, from: encoder.encode(events))
        return String(decoding: try encoder.encode(top), as: UTF8.self)
    }
}
