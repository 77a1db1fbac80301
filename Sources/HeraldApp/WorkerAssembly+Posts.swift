import Foundation
import HeraldChannels
import HeraldConfig
import HeraldCore

extension WorkerAssembly {
    /// The adapter of a chat or social channel, from its settings (which the loader has checked are complete).
    static func postAdapter(for channel: ChannelConfiguration) throws -> any ChannelAdapter {
        guard let post = channel.post else {
            throw HeraldError(.configuration, "Channel '\(channel.name)' is a \(channel.type.rawValue) channel without its settings.")
        }
        func required(_ value: String?, _ key: String) throws -> String {
            guard let value else { throw HeraldError(.configuration, "Channel '\(channel.name)' has no '\(key)'.") }
            return value
        }
        let (timeout, connect) = (channel.timeout, channel.connectTimeout)
        switch channel.type {
        case .slack:
            return SlackAdapter(settings: .init(url: channel.url, timeout: timeout, connectTimeout: connect))
        case .teams:
            return TeamsAdapter(settings: .init(url: channel.url, timeout: timeout, connectTimeout: connect))
        case .mastodon:
            return MastodonAdapter(
                settings: .init(
                    baseURL: channel.url, token: try required(post.token, "token"), visibility: post.visibility, language: post.language,
                    timeout: timeout, connectTimeout: connect
                )
            )
        case .bluesky:
            return BlueskyAdapter(
                settings: .init(
                    baseURL: channel.url, identifier: try required(post.identifier, "identifier"), password: try required(post.password, "password"),
                    language: post.language, timeout: timeout, connectTimeout: connect
                )
            )
        case .x:
            let credentials = OAuth1Credentials(
                consumerKey: try required(post.consumerKey, "consumer_key"), consumerSecret: try required(post.consumerSecret, "consumer_secret"),
                token: try required(post.token, "token"), tokenSecret: try required(post.tokenSecret, "token_secret")
            )
            return XAdapter(settings: .init(baseURL: channel.url, credentials: credentials, timeout: timeout, connectTimeout: connect))
        case .facebook:
            return FacebookAdapter(
                settings: .init(
                    baseURL: channel.url, pageID: try required(post.pageID, "page_id"), token: try required(post.token, "token"),
                    timeout: timeout, connectTimeout: connect
                )
            )
        case .linkedin:
            return LinkedInAdapter(
                settings: .init(
                    baseURL: channel.url, token: try required(post.token, "token"), author: try required(post.author, "author"),
                    version: try required(post.apiVersion, "api_version"), timeout: timeout, connectTimeout: connect
                )
            )
        case .webhook, .smtp:
            throw HeraldError(.configuration, "Channel '\(channel.name)' is not a chat or social channel.")
        }
    }
}
