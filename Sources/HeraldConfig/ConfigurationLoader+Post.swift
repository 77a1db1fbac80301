import Foundation
import HeraldCore

/// The keys of chat and social channels (docs/channels.md §2–§6): credentials per network, and the content limits
/// that enqueue checks, which networks and instances change, so they are configuration with the networks' defaults.
extension ConfigurationLoader {
    static let postKeys = [
        "token", "identifier", "consumer_key", "consumer_secret", "token_secret", "page_id", "author", "api_version", "visibility",
        "language", "max_characters", "characters_per_url",
    ]

    /// What a post channel of each type needs and may have; `password` is Bluesky's app password.
    static func postKeys(of type: ChannelType) -> (required: [String], optional: [String]) {
        switch type {
        case .slack, .teams: ([], ["max_characters"])
        case .mastodon: (["token"], ["visibility", "language", "max_characters", "characters_per_url"])
        case .bluesky: (["identifier", "password"], ["language", "max_characters"])
        case .x: (["consumer_key", "consumer_secret", "token", "token_secret"], ["max_characters"])
        case .facebook: (["page_id", "token"], ["max_characters"])
        case .linkedin: (["token", "author", "api_version"], ["max_characters"])
        case .webhook, .smtp: ([], [])
        }
    }

    /// The API's public address, for networks that have one; Slack, Teams and Mastodon need the channel's own url.
    static func defaultURL(of type: ChannelType) -> String? {
        switch type {
        case .bluesky: "https://bsky.social"
        case .x: "https://api.x.com"
        case .facebook: "https://graph.facebook.com/v21.0"
        case .linkedin: "https://api.linkedin.com"
        default: nil
        }
    }

    /// The default limit of each network, in the unit `PostLimit` measures.
    static func defaultMaxCharacters(of type: ChannelType) -> Int {
        switch type {
        case .slack: 4_000
        case .teams: 28_000
        case .mastodon: 500
        case .bluesky: 300
        case .x: 280
        case .facebook: 63_206
        case .linkedin: 3_000
        case .webhook, .smtp: 0
        }
    }

    static func postSettings(
        type: ChannelType, _ entries: [(key: String, value: YAMLValue)], in channel: YAMLValue, secrets: SecretResolver
    ) throws -> PostSettings {
        let (required, optional) = postKeys(of: type)
        var settings = PostSettings(maxCharacters: defaultMaxCharacters(of: type))
        for (key, entry) in entries {
            guard required.contains(key) || optional.contains(key) else {
                let allowed = (required + optional).joined(separator: ", ")
                throw entry.error("'\(key)' does not apply to a channel of type \(type.rawValue). It takes: \(allowed.isEmpty ? "no credentials besides its url" : allowed).")
            }
            switch key {
            case "token": settings.token = try credential(entry, secrets: secrets)
            case "identifier": settings.identifier = try credential(entry, secrets: secrets)
            case "password": settings.password = try credential(entry, secrets: secrets)
            case "consumer_key": settings.consumerKey = try credential(entry, secrets: secrets)
            case "consumer_secret": settings.consumerSecret = try credential(entry, secrets: secrets)
            case "token_secret": settings.tokenSecret = try credential(entry, secrets: secrets)
            case "page_id": settings.pageID = try matching(entry, secrets: secrets, "a Facebook Page id: digits only", \.isNumber, limit: 32)
            case "author": settings.author = try linkedInAuthor(entry, secrets: secrets)
            case "api_version": settings.apiVersion = try linkedInVersion(entry)
            case "visibility":
                let text = try entry.string()
                guard ["public", "unlisted", "private", "direct"].contains(text) else {
                    throw entry.error("'\(text.prefix(20))' is not a Mastodon visibility. Use public, unlisted, private or direct.")
                }
                settings.visibility = text
            case "language":
                settings.language = try matching(entry, secrets: secrets, "an ISO 639-1 language code such as en or cy", { $0.isLowercase }, limit: 3)
            case "max_characters": settings.maxCharacters = try entry.positiveInteger(maximum: 1_000_000)
            default: settings.charactersPerURL = try entry.positiveInteger(maximum: 1_000)
            }
        }
        if let missing = required.first(where: { key in !entries.contains { $0.key == key } }) {
            throw channel.error("a channel of type \(type.rawValue) needs '\(missing)' (\(required.joined(separator: ", "))). Give secrets as ${NAME} or file:PATH.")
        }
        return settings
    }

    /// A token or password: it goes into a header, so it may not carry a line break or another control character.
    private static func credential(_ value: YAMLValue, secrets: SecretResolver) throws -> String {
        let text = try secrets.resolve(value).trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw value.error("the value is empty.") }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw value.error("the value contains a line break or another control character; it would break the request's headers.")
        }
        return text
    }

    private static func matching(
        _ value: YAMLValue, secrets: SecretResolver, _ what: String, _ allowed: (Character) -> Bool, limit: Int
    ) throws -> String {
        let text = try secrets.resolve(value)
        guard !text.isEmpty, text.count <= limit, text.allSatisfy({ $0.isASCII && allowed($0) }) else {
            throw value.error("\(shown(text, of: value)) is not \(what).")
        }
        return text
    }

    private static func linkedInAuthor(_ value: YAMLValue, secrets: SecretResolver) throws -> String {
        let text = try secrets.resolve(value)
        let prefixes = ["urn:li:organization:", "urn:li:person:"]
        guard let prefix = prefixes.first(where: text.hasPrefix), text.count > prefix.count, text.count <= 100,
            text.dropFirst(prefix.count).allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            throw value.error("\(shown(text, of: value)) is not a LinkedIn author. Write urn:li:organization:<id> for a page, or urn:li:person:<id>.")
        }
        return text
    }

    /// A resolved value as an error may quote it: written out in the file it is shown, but what came from the
    /// environment or a file is not, since a mistaken reference (`page_id: ${PAGE_TOKEN}`) would print a secret.
    private static func shown(_ text: String, of value: YAMLValue) -> String {
        let written = (try? value.string()) ?? ""
        return written.contains("${") || written.hasPrefix("file:") ? "the value \(written.prefix(60)) gives" : "'\(text.prefix(60))'"
    }

    private static func linkedInVersion(_ value: YAMLValue) throws -> String {
        let text = try value.string()
        guard text.count == 6, text.allSatisfy(\.isNumber), let month = Int(text.suffix(2)), (1...12).contains(month), text >= "202301"
        else {
            throw value.error("'\(text.prefix(20))' is not a LinkedIn-Version. Write the year and month of an active version, quoted, e.g. \"202611\".")
        }
        return text
    }
}
