import Foundation
import HeraldCore
import HeraldPlanner
import Yams

/// Reads campaign files:
///
/// ```yaml
/// campaign: awareness-week-2026
/// timezone: Europe/London        # optional
/// posts:
///   - name: launch
///     networks: [mastodon, bluesky]
///     at: "2026-11-16 09:00"
///     text: "Safeguarding Awareness Week starts today: https://example.org/week"
///   - name: day-two
///     networks: [x]
///     at: "2026-11-17 12:30"
///     template: campaign_post
///     data: { topic: "online safety" }
/// ```
///
/// Every complaint names the file, the line and the key, as channels.yml's do.
public enum CampaignLoader {
    static let topKeys = ["campaign", "timezone", "posts"]
    static let postKeys = ["name", "networks", "at", "text", "template", "data"]

    public static func load(path: String) throws -> CampaignFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HeraldError(.notFound, "Cannot read the campaign file \(path). Check the path.")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw HeraldError(.invalidInput, "\(path) is not UTF-8 text.")
        }
        return try load(yaml: text, fileName: (path as NSString).lastPathComponent)
    }

    public static func load(yaml: String, fileName: String) throws -> CampaignFile {
        let root = try YAMLDocument.compose(yaml, file: fileName)
        guard let root, root.null == nil else {
            throw HeraldError(.configuration, "\(fileName):1: (top level): the file is empty. Give 'campaign:' and 'posts:'.")
        }
        let top = YAMLValue(node: root, path: "", file: fileName)
        var name: String?
        var timeZone: TimeZone?
        var postsValue: YAMLValue?
        for (key, value) in try top.mapping(allowed: topKeys) {
            switch key {
            case "campaign": name = try simpleName(value, what: "a campaign name")
            case "timezone":
                let identifier = try value.string()
                guard let zone = TimeZone(identifier: identifier) else {
                    throw value.error("'\(identifier.prefix(40))' is not a time zone. Use an IANA name such as Europe/London.")
                }
                timeZone = zone
            default: postsValue = value
            }
        }
        guard let name else { throw top.error("no 'campaign'. Name the campaign, e.g. campaign: awareness-week-2026.") }
        guard let postsValue else { throw top.error("no 'posts'. List the campaign's posts under 'posts:'.") }
        let items = try postsValue.list()
        if items.isEmpty { throw postsValue.error("the list is empty. A campaign needs at least one post.") }
        var posts: [CampaignPost] = []
        for item in items {
            let post = try self.post(item)
            if let earlier = posts.first(where: { $0.name == post.name }) {
                throw item.error("a second post named '\(post.name)' (the first is at \(earlier.location)). Post names must differ.")
            }
            posts.append(post)
        }
        return CampaignFile(name: name, timeZone: timeZone, posts: posts)
    }

    private static func post(_ value: YAMLValue) throws -> CampaignPost {
        var name: String?
        var channels: [String] = []
        var at: (LocalDate, Int, Int)?
        var text: String?
        var template: String?
        var data: [String: JSONValue] = [:]
        var dataValue: YAMLValue?
        let entries = try value.mapping(allowed: postKeys)
        for (key, entry) in entries {
            switch key {
            case "name": name = try simpleName(entry, what: "a post name")
            case "networks":
                let list = try entry.list()
                if list.isEmpty { throw entry.error("the list is empty. Name at least one channel from channels.yml.") }
                channels = try list.map { try simpleName($0, what: "a channel name") }
                if Set(channels).count != channels.count { throw entry.error("a channel is listed twice.") }
            case "at": at = try localTime(entry)
            case "text":
                let body = try entry.string()
                if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw entry.error("the text is empty.") }
                text = body
            case "template": template = try simpleName(entry, what: "a template name")
            default:
                dataValue = entry
                guard case .object(let fields) = try json(entry) else { throw entry.error("expected a mapping of template variables.") }
                data = fields
            }
        }
        guard let name else { throw value.error("no 'name'. Give each post a short name, e.g. name: launch.") }
        guard !channels.isEmpty else { throw value.error("no 'networks'. List the channels this post goes to, e.g. networks: [mastodon, bluesky].") }
        guard let at else { throw value.error("no 'at'. Say when to post, as local date and time, e.g. at: \"2026-11-16 09:00\".") }
        switch (text, template) {
        case (nil, nil): throw value.error("no 'text' or 'template'. Give the post's text, or a template and its data.")
        case (.some, .some): throw value.error("both 'text' and 'template'. Give one of them.")
        default: break
        }
        if text != nil, let dataValue { throw dataValue.error("'data' goes with 'template'; a literal 'text' has no variables.") }
        return CampaignPost(
            name: name, channels: channels, date: at.0, hour: at.1, minute: at.2, text: text, template: template, data: data,
            location: "\(value.file):\(value.line): \(value.path)"
        )
    }

    /// `YYYY-MM-DD HH:MM` (or with `T`), on the campaign's clock.
    private static func localTime(_ value: YAMLValue) throws -> (LocalDate, Int, Int) {
        let text = try value.string()
        let invalid = value.error("'\(text.prefix(40))' is not a local date and time. Write YYYY-MM-DD HH:MM, e.g. \"2026-11-16 09:00\".")
        let characters = Array(text)
        guard characters.count == 16, characters[10] == " " || characters[10] == "T", characters[13] == ":" else { throw invalid }
        let clock = characters[11..<13] + characters[14..<16]
        guard let date = try? LocalDate(parsing: String(characters[0..<10]), what: "at"), clock.allSatisfy({ $0.isASCII && $0.isNumber }),
            let hour = Int(String(characters[11..<13])), let minute = Int(String(characters[14..<16])),
            (0...23).contains(hour), (0...59).contains(minute)
        else { throw invalid }
        return (date, hour, minute)
    }

    private static func simpleName(_ value: YAMLValue, what: String) throws -> String {
        let text = try value.string()
        guard text.count <= 64, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
            throw value.error("'\(text.prefix(40))' is not \(what). Use 1 to 64 letters, digits, '_' or '-'.")
        }
        return text
    }

    /// Template data as JSON values: plain scalars keep their YAML type (numbers, booleans, null), quoted ones are text.
    private static func json(_ value: YAMLValue) throws -> JSONValue {
        switch value.node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if value.node.null != nil { return .null }
                if let flag = value.node.bool { return .bool(flag) }
                if let number = value.node.int { return .number(Double(number)) }
                if let number = value.node.float {
                    guard number.isFinite else { throw value.error("'\(scalar.string.prefix(20))' is not a number JSON can hold. Quote it to keep it as text.") }
                    return .number(number)
                }
            }
            return .string(scalar.string)
        case .sequence:
            return .array(try value.list().map(json))
        case .mapping:
            var fields: [String: JSONValue] = [:]
            for (key, entry) in try value.namedMapping() { fields[key] = try json(entry) }
            return .object(fields)
        case .alias:
            throw value.error("YAML aliases are not supported here. Write the value out.")
        }
    }
}
