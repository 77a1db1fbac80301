import Foundation
import HeraldChannels
import HeraldConfig
import HeraldCore
import HeraldRules

/// A post's length in its network's own reckoning, against the channel's limit.
public struct PostMeasure: Sendable, Equatable, CustomStringConvertible {
    public var network: String
    public var length: Int
    public var limit: Int
    /// What is counted: "characters (each URL as 23)", "weighted characters", "graphemes", "bytes".
    public var unit: String

    public var fits: Bool { length <= limit }

    public var description: String {
        "\(network) counts \(length) \(unit); the limit is \(limit)"
    }
}

/// The content rules of each network (docs/channels.md §2–§6), checked at enqueue and by `herald campaign
/// preview`, so a post that a network would refuse on the day is refused while its author is still at hand.
public enum PostLimit {
    /// Bluesky's hard limit on the bytes of a post, besides its 300 graphemes.
    public static let blueskyMaximumBytes = 3_000

    public static func measures(of text: String, type: ChannelType, settings: PostSettings) -> [PostMeasure] {
        let limit = settings.maxCharacters
        let name = type.name
        switch type {
        case .mastodon:
            let unit = "characters (each URL as \(settings.charactersPerURL))"
            return [PostMeasure(network: name, length: PostLength.mastodon(text, charactersPerURL: settings.charactersPerURL), limit: limit, unit: unit)]
        case .x:
            return [PostMeasure(network: name, length: PostLength.xWeighted(text), limit: limit, unit: "weighted characters (each URL as 23, emoji and CJK as 2)")]
        case .bluesky:
            return [
                PostMeasure(network: name, length: PostLength.graphemes(text), limit: limit, unit: "graphemes"),
                PostMeasure(network: name, length: PostLength.utf8Bytes(text), limit: blueskyMaximumBytes, unit: "UTF-8 bytes"),
            ]
        case .teams:
            return [PostMeasure(network: name, length: TeamsAdapter.body(text: text).utf8.count, limit: limit, unit: "bytes of card")]
        case .slack, .facebook, .linkedin:
            return [PostMeasure(network: name, length: PostLength.graphemes(text), limit: limit, unit: "characters")]
        case .webhook, .smtp:
            return []
        }
    }

    /// Throws, naming the network, the length and the limit, if the post is empty or too long for `channel`.
    public static func check(_ text: String, channel: ChannelConfiguration, template: String) throws {
        guard let settings = channel.post else { return }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw HeraldError(
                .invalidInput,
                "The post rendered from template '\(template)' for channel '\(channel.name)' is empty. \(channel.type.name) needs some text: give the data it needs or change the template."
            )
        }
        if let over = measures(of: text, type: channel.type, settings: settings).first(where: { !$0.fits }) {
            throw HeraldError(
                .invalidInput,
                "The post rendered from template '\(template)' is too long for channel '\(channel.name)': \(over). Shorten it, or give the network its own post.\(channel.type.rawValue).mustache."
            )
        }
    }
}
