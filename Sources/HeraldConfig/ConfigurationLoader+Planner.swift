import Foundation
import HeraldCore

/// The `planner:`, `audiences:` and `approvers:` sections: what review timelines need beyond the channels.
extension ConfigurationLoader {
    static func plannerSettings(_ value: YAMLValue) throws -> PlannerSettings {
        var settings = PlannerSettings()
        let keys = ["timezone", "send_time", "bank_holidays", "partnership", "spokesperson", "contact"]
        for (key, entry) in try value.mapping(allowed: keys) {
            switch key {
            case "timezone":
                let name = try entry.string()
                guard name.contains("/") || name == "UTC", let zone = TimeZone(identifier: name) else {
                    throw entry.error("'\(name.prefix(40))' is not a time zone. Use an IANA name such as Europe/London.")
                }
                settings.timeZone = zone
            case "send_time":
                (settings.sendHour, settings.sendMinute) = try localTime(entry)
            case "bank_holidays":
                settings.bankHolidaysPath = try entry.string()
            case "partnership": settings.partnership = try oneLine(entry)
            case "spokesperson": settings.spokesperson = try oneLine(entry)
            default: settings.contact = try oneLine(entry)
            }
        }
        return settings
    }

    /// `HH:MM`, 24-hour.
    static func localTime(_ value: YAMLValue) throws -> (Int, Int) {
        let text = try value.string()
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }), let hour = Int(parts[0]),
            let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else {
            throw value.error("'\(text.prefix(40))' is not a time of day. Write it as HH:MM in 24-hour time, e.g. 09:00.")
        }
        return (hour, minute)
    }

    static func oneLine(_ value: YAMLValue) throws -> String {
        let text = try value.string()
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) || text.count > 200 {
            throw value.error("give one line of at most 200 characters.")
        }
        return text
    }

    static func audiences(_ value: YAMLValue, channels: [String: ChannelConfiguration]) throws -> [String: Audience] {
        var audiences: [String: Audience] = [:]
        for (name, entry) in try value.namedMapping() {
            var channelName: String?
            var items: [YAMLValue] = []
            var recipientsValue: YAMLValue?
            for (key, field) in try entry.mapping(allowed: ["channel", "recipients"]) {
                if key == "channel" {
                    channelName = try field.string()
                } else {
                    recipientsValue = field
                    items = try field.list()
                }
            }
            guard let channelName else { throw entry.error("no 'channel'. Name the channel this audience is reached over.") }
            guard let channel = channels[channelName] else {
                throw entry.error(
                    "channel '\(channelName.prefix(60))' is not defined under 'channels'. Defined: \(channels.keys.sorted().joined(separator: ", "))."
                )
            }
            var recipients: [String] = []
            switch channel.type {
            case .smtp:
                for item in items {
                    let text = try item.string()
                    do {
                        recipients.append(try EmailAddress.parse(text).description)
                    } catch let error as HeraldError {
                        throw item.error(error.message)
                    }
                }
            default:
                if let recipientsValue, !items.isEmpty {
                    throw recipientsValue.error(
                        "channel '\(channelName)' is a \(channel.type.rawValue) channel: it delivers to its configured place. Remove 'recipients'."
                    )
                }
            }
            audiences[name] = Audience(name: name, channel: channelName, recipients: recipients)
        }
        return audiences
    }

    static func approvers(_ value: YAMLValue) throws -> [String] {
        let names = try value.list().map(oneLine)
        if names.isEmpty { throw value.error("the list is empty. Name at least one approver, e.g. [\"Business Manager\"].") }
        return names
    }
}
