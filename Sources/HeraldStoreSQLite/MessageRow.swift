import Foundation
import GRDB
import HeraldCore
import HeraldStore

/// Translation between `messages` rows and `Message` values.
enum MessageRow {
    static let columns =
        "id, group_id, channel, kind, recipient, content, data, state, not_before, deadline, attempts, retry_base, created_at, post_url, unanswered_since, "
        + "content_purged_at, recipient_purged_at"

    static func encodeContent(_ content: [String: String]) -> String {
        JSONText.object(content)
    }

    /// Reads a row selected with `columns`, by position: looking columns up by name lowercases every name, and this
    /// runs for every claimed message.
    static func message(from row: Row) throws -> Message {
        let id: String = row[0]
        let content = try Self.content(row[5], of: id)
        let stateText: String = row[7]
        guard let state = MessageState(rawValue: stateText) else {
            throw HeraldError(.storage, "Message \(id) has an unknown state '\(stateText)'.")
        }
        let deadline: Int64? = row[9]
        let unansweredSince: Int64? = row[14]
        let contentPurgedAt: Int64? = row[15]
        let recipientPurgedAt: Int64? = row[16]
        return Message(
            id: MessageID(rawValue: id), groupID: row[1], channel: row[2], kind: row[3], recipient: row[4], content: content,
            dataJSON: row[6], state: state, notBefore: Date(millis: row[8]), deadline: deadline.map { Date(millis: $0) },
            attempts: row[10], createdAt: Date(millis: row[12]), postURL: row[13], unansweredSince: unansweredSince.map { Date(millis: $0) },
            contentPurgedAt: contentPurgedAt.map { Date(millis: $0) }, recipientPurgedAt: recipientPurgedAt.map { Date(millis: $0) }
        )
    }

    private static func content(_ text: String, of id: String) throws -> [String: String] {
        guard let content = JSONText.stringObject(text) else {
            throw HeraldError(.storage, "Message \(id) has stored content that is not a JSON object of strings.")
        }
        return content
    }

    /// The `retry_base` column of a row selected with `columns`.
    static func retryBase(from row: Row) -> Int {
        row[11]
    }

    /// The same, read off a raw statement positioned on a row (the claim's hot path). A claimed message is pending, so
    /// it has no post URL yet.
    static func message(from row: RawStatement) throws -> Message {
        let id = row.text(0)
        let content = try Self.content(row.text(5), of: id)
        let stateText = row.text(7)
        guard let state = MessageState(rawValue: stateText) else {
            throw HeraldError(.storage, "Message \(id) has an unknown state '\(stateText)'.")
        }
        return Message(
            id: MessageID(rawValue: id), groupID: row.text(1), channel: row.text(2), kind: row.text(3), recipient: row.text(4),
            content: content, dataJSON: row.text(6), state: state, notBefore: Date(millis: row.int64(8)),
            deadline: row.optionalInt64(9).map { Date(millis: $0) }, attempts: Int(row.int64(10)), createdAt: Date(millis: row.int64(12)),
            unansweredSince: row.optionalInt64(14).map { Date(millis: $0) }
        )
    }

    static func retryBase(from row: RawStatement) -> Int {
        Int(row.int64(11))
    }

}
