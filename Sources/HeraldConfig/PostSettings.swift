import Foundation

/// Credentials and content limits of a chat or social channel. Which fields are set depends on the network; the loader
/// refuses a key that the channel's type does not use, so a value here is always meaningful.
public struct PostSettings: Sendable, Equatable {
    /// Bearer token: Mastodon access token, Facebook Page token, LinkedIn member token; X's OAuth 1.0a access token.
    public var token: String?
    /// Bluesky handle, DID or email, and its app password.
    public var identifier: String?
    public var password: String?
    /// X's OAuth 1.0a consumer key and secret and the access token's secret.
    public var consumerKey: String?
    public var consumerSecret: String?
    public var tokenSecret: String?
    /// The Facebook Page posted to.
    public var pageID: String?
    /// The LinkedIn organisation or member that authors the posts (`urn:li:organization:…`).
    public var author: String?
    /// LinkedIn's `LinkedIn-Version` (YYYYMM); versions are retired after about a year, so it is configuration.
    public var apiVersion: String?
    /// Mastodon visibility (`public`, `unlisted`, `private`, `direct`).
    public var visibility: String?
    /// The posts' language (ISO 639-1), sent where the network takes one.
    public var language: String?
    /// The longest post the network takes, in its own unit (see `PostLimit`); instances and networks change limits.
    public var maxCharacters: Int
    /// What one URL counts for on Mastodon.
    public var charactersPerURL: Int

    public init(
        token: String? = nil, identifier: String? = nil, password: String? = nil, consumerKey: String? = nil, consumerSecret: String? = nil,
        tokenSecret: String? = nil, pageID: String? = nil, author: String? = nil, apiVersion: String? = nil, visibility: String? = nil,
        language: String? = nil, maxCharacters: Int, charactersPerURL: Int = 23
    ) {
        self.token = token
        self.identifier = identifier
        self.password = password
        self.consumerKey = consumerKey
        self.consumerSecret = consumerSecret
        self.tokenSecret = tokenSecret
        self.pageID = pageID
        self.author = author
        self.apiVersion = apiVersion
        self.visibility = visibility
        self.language = language
        self.maxCharacters = maxCharacters
        self.charactersPerURL = charactersPerURL
    }
}
