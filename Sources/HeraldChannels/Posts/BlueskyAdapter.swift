import Foundation
import HeraldCore
import HeraldRules
import HeraldTransport

/// Bluesky posts over XRPC (docs/channels.md §4): a session from `createSession`, renewed with `refreshSession`
/// when a post meets `ExpiredToken` (which arrives as HTTP 400), and `createRecord` with link facets at UTF-8 byte
/// offsets, since Bluesky neither shortens nor links URLs itself. There is no idempotency key, so an unanswered post
/// makes the message `unconfirmed`.
public struct BlueskyAdapter: SessionChannelAdapter {
    public struct Settings: Sendable {
        /// The account's PDS or `https://bsky.social`.
        public var baseURL: String
        public var identifier: String
        /// An app password, never the account's own.
        public var password: String
        public var language: String?
        public var timeout: TimeInterval
        public var connectTimeout: TimeInterval

        public init(
            baseURL: String, identifier: String, password: String, language: String? = nil, timeout: TimeInterval = 30,
            connectTimeout: TimeInterval = 10
        ) {
            self.baseURL = baseURL
            self.identifier = identifier
            self.password = password
            self.language = language
            self.timeout = timeout
            self.connectTimeout = connectTimeout
        }
    }

    private let settings: Settings
    private let reader = PostOutcomeReader(network: "Bluesky", rateLimit: .rateLimit)
    /// Logging in or renewing creates nothing public, so an unanswered one is simply tried again.
    private let sessionReader = PostOutcomeReader(network: "Bluesky", rateLimit: .rateLimit, publishes: false)
    private var http: PostRequestSettings { PostRequestSettings(timeout: settings.timeout, connectTimeout: settings.connectTimeout) }

    /// Errors that mean the token, not the post, is at fault.
    static let tokenErrors: Set<String> = ["ExpiredToken", "InvalidToken", "AuthenticationRequired"]

    public init(settings: Settings) {
        self.settings = settings
    }

    public var login: String { settings.identifier }
    public var sessionSecret: String { settings.password }

    /// Every attempt creates the post at the same record key, which the PDS will not create twice.
    public var repeatRecognition: RepeatRecognition { .always }

    private func xrpc(_ method: String) -> String {
        PostRequestSettings.join(settings.baseURL, "/xrpc/\(method)")
    }

    public func loginRequest(now: Date) throws -> TransferRequest {
        var body = JSONObjectText()
        body.add("identifier", string: settings.identifier)
        body.add("password", string: settings.password)
        return http.post(xrpc("com.atproto.server.createSession"), headers: [], json: body.text)
    }

    public func renewalRequest(for session: ChannelSession, now: Date) -> TransferRequest? {
        guard let refresh = session.refreshToken else { return nil }
        return .http(
            HTTPRequest(
                method: "POST", url: xrpc("com.atproto.server.refreshSession"),
                headers: [HTTPHeader("Authorization", "Bearer \(refresh)"), HTTPHeader("User-Agent", "Herald/1")],
                timeout: settings.timeout, connectTimeout: settings.connectTimeout
            )
        )
    }

    public func session(from result: Result<TransferResponse, TransportError>, now: Date) -> Result<ChannelSession, SessionRefusal> {
        let response: HTTPResponse
        switch result.httpResponse(sessionReader) {
        case .success(let answer): response = answer
        case .failure(let instead): return .failure(SessionRefusal(instead.outcome))
        }
        let object = PostOutcomeReader.object(response.body)
        if (200..<300).contains(response.status) {
            guard let access = object?["accessJwt"] as? String, let did = object?["did"] as? String else {
                return .failure(SessionRefusal(.retry(reason: "Bluesky's session answer had no accessJwt and did", after: nil, pauseChannel: false)))
            }
            return .success(ChannelSession(accessToken: access, refreshToken: object?["refreshJwt"] as? String, account: did, login: login))
        }
        let error = object?["error"] as? String ?? ""
        switch response.status {
        case 400, 401:
            let hint = error == "AuthFactorTokenRequired" ? "the account asks for an emailed code, which Herald cannot give; use an app password" : "check the identifier and the app password"
            return .failure(SessionRefusal(.permanent(reason: "Bluesky refused the login (\(PostOutcomeReader.summary(response))); \(hint)")))
        default:
            return .failure(SessionRefusal(sessionReader.byStatus(response, now: now)))
        }
    }

    public func request(for message: Message, session: ChannelSession, now: Date) throws -> TransferRequest {
        guard let key = BlueskyRecordKey.forMessage(message.id) else {
            throw HeraldError(.invalidInput, "Message \(message.id) has no UUIDv7 id, so its Bluesky record key cannot be derived.")
        }
        let text = message.postText
        var record = JSONObjectText()
        record.add("$type", string: "app.bsky.feed.post")
        record.add("text", string: text)
        record.add("createdAt", string: RFC3339.format(now))
        if let language = settings.language { record.add("langs", raw: "[\(JSONText.string(language))]") }
        let links = BlueskyFacets.links(in: text).map { ($0.byteStart, Self.facetText($0)) }
        let tags = BlueskyFacets.tags(in: text).map { ($0.byteStart, Self.facetText($0)) }
        let facets = (links + tags).sorted { $0.0 < $1.0 }.map(\.1)
        if !facets.isEmpty { record.add("facets", raw: "[\(facets.joined(separator: ","))]") }
        var body = JSONObjectText()
        body.add("repo", string: session.account)
        body.add("collection", string: "app.bsky.feed.post")
        body.add("rkey", string: key)
        body.add("record", raw: record.text)
        return http.post(
            xrpc("com.atproto.repo.createRecord"), headers: [HTTPHeader("Authorization", "Bearer \(session.accessToken)")], json: body.text
        )
    }

    public func lookupRequest(for message: Message, session: ChannelSession, now: Date) -> TransferRequest? {
        guard let key = BlueskyRecordKey.forMessage(message.id) else { return nil }
        let query = [("repo", session.account), ("collection", "app.bsky.feed.post"), ("rkey", key)]
            .map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: Self.queryValue) ?? $1)" }.joined(separator: "&")
        return .http(
            HTTPRequest(
                method: "GET", url: xrpc("com.atproto.repo.getRecord") + "?" + query,
                headers: [HTTPHeader("Authorization", "Bearer \(session.accessToken)"), HTTPHeader("User-Agent", "Herald/1")],
                timeout: settings.timeout, connectTimeout: settings.connectTimeout
            )
        )
    }

    public func lookedUp(_ result: Result<TransferResponse, TransportError>, for message: Message, now: Date) -> DeliveryOutcome? {
        guard case .success(.http(let response)) = result, response.status == 200, let object = PostOutcomeReader.object(response.body),
            let uri = PostOutcomeReader.receipt(object["uri"] as? String)
        else { return nil }
        let text = (object["value"] as? [String: Any])?["text"] as? String
        guard text == message.postText else {
            return .permanent(
                reason: "the record at this message's key (\(uri)) holds another post's text, so this one was not published; "
                    + "enqueue it again (it gets a new key)"
            )
        }
        return .delivered(proof: "found by look-up after an unanswered attempt: record \(uri)", post: PublishedPost(id: uri, url: Self.webURL(of: uri)))
    }

    private static let queryValue = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    static func facetText(_ facet: BlueskyLinkFacet) -> String {
        var feature = JSONObjectText()
        feature.add("$type", string: "app.bsky.richtext.facet#link")
        feature.add("uri", string: facet.uri)
        return facetText(byteStart: facet.byteStart, byteEnd: facet.byteEnd, feature: feature)
    }

    static func facetText(_ facet: BlueskyTagFacet) -> String {
        var feature = JSONObjectText()
        feature.add("$type", string: "app.bsky.richtext.facet#tag")
        feature.add("tag", string: facet.tag)
        return facetText(byteStart: facet.byteStart, byteEnd: facet.byteEnd, feature: feature)
    }

    private static func facetText(byteStart: Int, byteEnd: Int, feature: JSONObjectText) -> String {
        var index = JSONObjectText()
        index.add("byteStart", raw: String(byteStart))
        index.add("byteEnd", raw: String(byteEnd))
        var object = JSONObjectText()
        object.add("index", raw: index.text)
        object.add("features", raw: "[\(feature.text)]")
        return object.text
    }

    public func outcome(of result: Result<TransferResponse, TransportError>, now: Date) -> DeliveryOutcome {
        let response: HTTPResponse
        switch result.httpResponse(reader) {
        case .success(let answer): response = answer
        case .failure(let instead): return instead.outcome
        }
        if (200..<300).contains(response.status) {
            guard let uri = PostOutcomeReader.receipt(PostOutcomeReader.object(response.body)?["uri"] as? String) else {
                return .delivered(proof: "Bluesky: \(PostOutcomeReader.summary(response)); the answer named no record", pauseChannelUntil: reader.budgetSpent(response, now: now))
            }
            return .delivered(proof: "HTTP \(response.status) record \(uri)", post: PublishedPost(id: uri, url: Self.webURL(of: uri)), pauseChannelUntil: reader.budgetSpent(response, now: now))
        }
        let error = PostOutcomeReader.object(response.body)?["error"] as? String ?? ""
        if (response.status == 400 || response.status == 401) && Self.tokenErrors.contains(error) {
            return .reauthenticate(reason: "Bluesky refused the session: \(PostOutcomeReader.summary(response))")
        }
        return reader.byStatus(response, now: now)
    }

    /// `at://<did>/app.bsky.feed.post/<rkey>` → `https://bsky.app/profile/<did>/post/<rkey>` (TV-5).
    public static func webURL(of uri: String) -> String? {
        guard uri.hasPrefix("at://") else { return nil }
        let parts = uri.dropFirst("at://".count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1] == "app.bsky.feed.post", !parts[0].isEmpty, !parts[2].isEmpty else { return nil }
        return "https://bsky.app/profile/\(parts[0])/post/\(parts[2])"
    }
}
