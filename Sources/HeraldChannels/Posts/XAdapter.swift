import Foundation
import HeraldCore
import HeraldRules
import HeraldTransport

/// Posts on X through API v2 `POST /2/tweets`, signed with OAuth 1.0a user context (docs/channels.md §5). X has
/// no idempotency key, so a request left unanswered makes the message `unconfirmed` rather than risk a second post.
public struct XAdapter: ChannelAdapter {
    public struct Settings: Sendable {
        /// `https://api.x.com`.
        public var baseURL: String
        public var credentials: OAuth1Credentials
        public var timeout: TimeInterval
        public var connectTimeout: TimeInterval
        /// Draws each request's nonce; tests fix it to check a signature by hand.
        public var nonce: @Sendable () -> String

        public init(
            baseURL: String, credentials: OAuth1Credentials, timeout: TimeInterval = 30, connectTimeout: TimeInterval = 10,
            nonce: @escaping @Sendable () -> String = OAuth1Signer.makeNonce
        ) {
            self.baseURL = baseURL
            self.credentials = credentials
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.nonce = nonce
        }
    }

    private let settings: Settings
    private let signer: OAuth1Signer
    private let reader = PostOutcomeReader(network: "X", rateLimit: .xRateLimit)

    public init(settings: Settings) {
        self.settings = settings
        self.signer = OAuth1Signer(credentials: settings.credentials)
    }

    public func request(for message: Message, now: Date) throws -> TransferRequest {
        let url = PostRequestSettings.join(settings.baseURL, "/2/tweets")
        var body = JSONObjectText()
        body.add("text", string: message.postText)
        // A JSON body is not signed (RFC 5849 §3.4.1.3 covers form bodies only).
        let authorization = signer.authorization(
            method: "POST", url: url, nonce: settings.nonce(), timestamp: Int64(now.timeIntervalSince1970.rounded(.down))
        )
        return PostRequestSettings(timeout: settings.timeout, connectTimeout: settings.connectTimeout)
            .post(url, headers: [HTTPHeader("Authorization", authorization)], json: body.text)
    }

    public func outcome(of result: Result<TransferResponse, TransportError>, now: Date) -> DeliveryOutcome {
        let response: HTTPResponse
        switch result.httpResponse(reader) {
        case .success(let answer): response = answer
        case .failure(let instead): return instead.outcome
        }
        switch response.status {
        case 200..<300:
            guard let data = PostOutcomeReader.object(response.body)?["data"] as? [String: Any], let id = PostOutcomeReader.receipt(data["id"] as? String) else {
                return .delivered(proof: "X: \(PostOutcomeReader.summary(response)); the answer named no post", pauseChannelUntil: reader.budgetSpent(response, now: now))
            }
            return .delivered(proof: "HTTP \(response.status) post \(id)", post: PublishedPost(id: id, url: "https://x.com/i/web/status/\(id)"), pauseChannelUntil: reader.budgetSpent(response, now: now))
        case 401:
            return .permanent(reason: "X refused the signature or the credentials (\(PostOutcomeReader.summary(response))); check the channel's keys and tokens")
        case 403:
            return .permanent(reason: "X forbade the post (\(PostOutcomeReader.summary(response))); a duplicate of an earlier post is refused this way")
        default:
            return reader.byStatus(response, now: now)
        }
    }
}
