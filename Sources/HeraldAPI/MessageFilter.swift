import Foundation
import HeraldCore
import HeraldServices
import HeraldStore

/// The filters of `GET /v1/messages` and of a bulk retry, read from name–value pairs (query parameters, or a JSON
/// body's string fields), each refused by name with what it accepts. One reading, so a list and a bulk retry select
/// the same messages for the same words.
enum MessageFilter {
    static let names: Set<String> = [
        "state", "channel", "kind", "review", "group", "recipient", "subject", "since", "until", "due_from", "due_before",
    ]

    /// `place(name)` says where a bad value came from in a refusal: a JSON pointer for a body, nil for a query.
    static func query(from values: [String: String], place: (String) -> String? = { _ in nil }) throws -> MessageQuery {
        var query = MessageQuery(limit: 100)
        func refuse(_ name: String, _ detail: String) -> Problem {
            Problem.invalid("\(name): \(detail)", pointer: place(name))
        }
        func text(_ name: String, maximum: Int = 200) throws -> String? {
            guard let value = values[name] else { return nil }
            guard !value.isEmpty, value.count <= maximum, !value.contains(where: { $0.isNewline || $0 == "\0" }) else {
                throw refuse(name, "give 1 to \(maximum) characters on one line.")
            }
            return value
        }
        func time(_ name: String) throws -> Date? {
            guard let value = try text(name, maximum: 40) else { return nil }
            guard let date = RFC3339.parse(value) else {
                throw refuse(name, "'\(InputRules.printable(value))' is not an RFC 3339 time, e.g. 2026-12-01T09:00:00Z.")
            }
            return date
        }
        if let value = try text("state", maximum: 40) {
            guard let state = MessageState(rawValue: value) else {
                throw refuse("state", "'\(InputRules.printable(value))' is not a state: \(MessageState.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            query.state = state
        }
        query.channel = try text("channel")
        query.kind = try text("kind")
        query.review = try text("review")
        query.group = try text("group")
        query.recipient = try text("recipient", maximum: 320)
        query.subject = try text("subject")
        query.since = try time("since")
        query.until = try time("until")
        query.dueFrom = try time("due_from")
        query.dueBefore = try time("due_before")
        return query
    }
}
