import Foundation
import HeraldCore
import HeraldRules
import HeraldTransport

/// LinkedIn organisation posts through the Posts API (docs/channels.md §6a). The new post's URN comes back only
/// in the `x-restli-id` header; an inactive `LinkedIn-Version` is a configuration error (426), not a transient one.
public struct LinkedInAdapter: ChannelAdapter {
    public struct Settings: Sendable {
        /// `https://api.linkedin.com`.
        public var baseURL: String
        public var token: String
        /// `urn:li:organization:<id>`.
        public var author: String
        /// `LinkedIn-Version`, YYYYMM.
        public var version: String
        /// How long a 429 pauses the channel: LinkedIn sends no reset, and its quotas are daily.
        public var throttlePause: TimeInterval
        public var timeout: TimeInterval
        public var connectTimeout: TimeInterval

        public init(
            baseURL: String, token: String, author: String, version: String, throttlePause: TimeInterval = 900, timeout: TimeInterval = 30,
            connectTimeout: TimeInterval = 10
        ) {
            self.baseURL = baseURL
            self.token = token
            self.author = author
            self.version = version
            self.throttlePause = throttlePause
            self.timeout = timeout
            self.connectTimeout = connectTimeout
        }
    }

    private let settings: Settings
    private let reader: PostOutcomeReader

    public init(settings: Settings) {
        self.settings = settings
        self.reader = PostOutcomeReader(network: "LinkedIn", rateLimit: .retryAfter, defaultPause: settings.throttlePause)
    }

    public func request(for message: Message, now: Date) throws -> TransferRequest {
        var distribution = JSONObjectText()
        distribution.add("feedDistribution", string: "MAIN_FEED")
        distribution.add("targetEntities", raw: "[]")
        distribution.add("thirdPartyDistributionChannels", raw: "[]")
        var body = JSONObjectText()
        body.add("author", string: settings.author)
        body.add("commentary", string: Self.commentary(message.postText))
        body.add("visibility", string: "PUBLIC")
        body.add("distribution", raw: distribution.text)
        body.add("lifecycleState", string: "PUBLISHED")
        body.add("isReshareDisabledByAuthor", raw: "false")
        return PostRequestSettings(timeout: settings.timeout, connectTimeout: settings.connectTimeout).post(
            PostRequestSettings.join(settings.baseURL, "/rest/posts"),
            headers: [
                HTTPHeader("Authorization", "Bearer \(settings.token)"), HTTPHeader("LinkedIn-Version", settings.version),
                HTTPHeader("X-Restli-Protocol-Version", "2.0.0"),
            ],
            json: body.text
        )
    }

    private static let reserved: Set<Character> = ["\\", "|", "{", "}", "@", "[", "]", "(", ")", "<", ">", "#", "*", "_", "~"]

    /// Plain text in LinkedIn's "little" format. Its reserved characters are backslash-escaped — unescaped, LinkedIn
    /// cuts the post at the first one, or an `@` becomes a broken mention — except inside links, which must stay as
    /// written to be linked, and in a hashtag (`#` after a space or at the start, then letters, digits, `_`), which
    /// stays a hashtag.
    public static func commentary(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        var rest = text.startIndex
        for link in PostLinks.find(in: text) {
            escape(text[rest..<link.range.lowerBound], into: &result)
            result += text[link.range]
            rest = link.range.upperBound
        }
        escape(text[rest...], into: &result)
        return result
    }

    private static func escape(_ part: Substring, into result: inout String) {
        var inHashtag = false
        var index = part.startIndex
        while index < part.endIndex {
            let character = part[index]
            let next = part.index(after: index)
            let isWord = character.isLetter || character.isNumber || character == "_"
            if character == "#", result.last.map({ $0.isWhitespace }) ?? true, next < part.endIndex, part[next].isLetter {
                inHashtag = true
                result.append(character)
            } else if inHashtag && isWord {
                result.append(character)
            } else {
                inHashtag = false
                if reserved.contains(character) { result.append("\\") }
                result.append(character)
            }
            index = next
        }
    }

    public func outcome(of result: Result<TransferResponse, TransportError>, now: Date) -> DeliveryOutcome {
        let response: HTTPResponse
        switch result.httpResponse(reader) {
        case .success(let answer): response = answer
        case .failure(let instead): return instead.outcome
        }
        switch response.status {
        case 200..<300:
            guard let urn = PostOutcomeReader.receipt(response.header("x-restli-id")) else {
                return .delivered(proof: "LinkedIn: \(PostOutcomeReader.summary(response)); the answer named no post")
            }
            return .delivered(
                proof: "HTTP \(response.status) post \(urn)", post: PublishedPost(id: urn, url: "https://www.linkedin.com/feed/update/\(urn)/")
            )
        case 401:
            return .permanent(reason: "LinkedIn refused the token (\(PostOutcomeReader.summary(response))); member tokens last about 60 days, so issue a new one")
        case 426:
            return .permanent(
                reason: "LinkedIn no longer serves version \(settings.version) (\(PostOutcomeReader.summary(response))); set the channel's api_version to an active one"
            )
        default:
            return reader.byStatus(response, now: now)
        }
    }
}
