import Foundation
import GRDB
import HeraldCore
import HeraldStore

/// Translation between `messages` rows and `Message` values.
enum MessageRow {
    static let columns =
        "id, group_id, channel, kind, recipient, content, data, state, not_before, deadline, attempts, retry_base, created_at"

    static func encodeContent(_ content: [String: String]) -> String {
        JSONText.object(content)
    }

    static func message(from row: Row) throws -> Message {
        let contentText: String = row["content"]
        let content = try JSONDecoder().decode([String: String].self, from: Data(contentText.utf8))
        let stateText: String = row["state"]
        guard let state = MessageState(rawValue: stateText) else {
            throw HeraldError(.storage, "Message \(row["id"] as String) has an unknown state '\(stateText)'.")
        }
        let deadline: Int64? = row["deadline"]
        return Message(
            id: MessageID(rawValue: row["id"]), groupID: row["group_id"], channel: row["channel"], kind: row["kind"],
            recipient: row["recipient"], content: content, dataJSON: row["data"], state: state,
            notBefore: Date(millis: row["not_before"]), deadline: deadline.map { Date(millis: $0) },
            attempts: row["attempts"], createdAt: Date(millis: row["created_at"])
        )
    }
}
