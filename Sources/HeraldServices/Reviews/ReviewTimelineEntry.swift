import Foundation
import HeraldCore
import HeraldPlanner

/// One step of a planned timeline as the CLI prints it (and the HTTP API will return it).
public struct ReviewTimelineEntry: Sendable {
    public var step: ReviewStep
    public var date: LocalDate
    public var sendAt: Date
    public var audience: String
    public var channel: String
    public var recipients: [String]
    /// `held` or `scheduled` when planned; `planned` on a dry run.
    public var state: String
    /// Why the date is earlier than the lead time alone gives, e.g. "moved from Saturday 28 March 2026 (weekend)".
    public var note: String?

    public func json(timeZone: TimeZone) -> JSONValue {
        var object: [String: JSONValue] = [
            "step": .string(step.rawValue), "date": .string(date.description),
            "send_at": .string(LocalTimeText.rfc3339(sendAt, in: timeZone)), "audience": .string(audience), "channel": .string(channel),
            "recipients": .array(recipients.map(JSONValue.string)), "state": .string(state),
        ]
        if let note { object["note"] = .string(note) }
        return .object(object)
    }
}

/// Times as the partnership reads them: local wall-clock time with the zone's abbreviation or offset.
public enum LocalTimeText {
    /// `2026-04-15T09:00:00+01:00`.
    public static func rfc3339(_ date: Date, in timeZone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// `Wed 15 Apr 2026 09:00 BST`.
    public static func human(_ date: Date, in timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEE d MMM yyyy HH:mm zzz"
        return formatter.string(from: date)
    }
}
