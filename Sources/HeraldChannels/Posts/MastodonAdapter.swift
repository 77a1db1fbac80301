import Foundation
import HeraldCore
import HeraldRules
import HeraldTransport

/// Mastodon statuses (docs/channels.md §3). The message id is the `Idempotency-Key`, so a request left unanswered
/// is sent again safely: within an hour the instance returns the status it already made instead of a second one.
public struct MastodonAdapter: ChannelAdapter {
    public struct Settings: Sendable {
        /// The instance, e.g. `https://mastodon.social`.
        public var baseURL: String
        public var token: String
        public var visibility: String?
        public var language: String?
        public var timeout: TimeInterval
        public var connectTimeout: TimeInterval

        public init(
            baseURL: String, token: String, visibility: String? = nil, language: String? = nil, timeout: TimeInterval = 30,
            connectTimeout: TimeInterval = 10
        ) {
            self.baseURL = baseURL
            self.token = token
            self.visibility = visibility
            self.language = language
            self.timeout = timeout
            self.connectTimeout = connectTimeout
        }
    }

    private let settings: Settings
    private let reader = PostOutcomeReader(network: "Mastodon", rateLimit: .mastodon)
    /// Mastodon returns the status already made for a repeated `Idempotency-Key` (the message id) for one hour.
    public var repeatRecognition: RepeatRecognition { .within(3600) }

    public init(settings: Settings) {
        self.settings = settings
    }

    public func request(for message: Message, now: Date) throws -> TransferRequest {
        var body = JSONObjectText()
        body.add("status", string: message.postText)
        if let visibility = settings.visibility { body.add("visibility", string: visibility) }
        if let language = settings.language { body.add("language", string: language) }
        return PostRequestSettings(timeout: settings.timeout, connectTimeout: settings.connectTimeout).post(
            PostRequestSettings.join(settings.baseURL, "/api/v1/statuses"),
            headers: [HTTPHeader("Authorization", "Bearer \(settings.token)"), HTTPHeader("Idempotency-Key", message.id.rawValue)],
            json: body.text
        )
    }

    public func outcome(of result: Result<TransferResponse, TransportError>, now: Date) -> DeliveryOutcome {
        let response: HTTPResponse
        switch result.httpResponse(reader) {
        case .success(let answer): response = answer
        case .failure(let instead): return instead.outcome
        }
        switch response.status {
        case 200..<300:
            guard let status = PostOutcomeReader.object(response.body),
                let id = PostOutcomeReader.receipt(status["id"] as? String ?? (status["id"] as? Int).map(String.init))
            else {
                return .delivered(proof: "Mastodon: \(PostOutcomeReader.summary(response)); the answer named no status", pauseChannelUntil: reader.budgetSpent(response, now: now))
            }
            let url = PostOutcomeReader.receipt(status["url"] as? String ?? status["uri"] as? String)
            return .delivered(proof: "HTTP \(response.status) status \(id)", post: PublishedPost(id: id, url: url), pauseChannelUntil: reader.budgetSpent(response, now: now))
        case 401:
            return .permanent(reason: "Mastodon refused the access token (\(PostOutcomeReader.summary(response))); issue a new token with write:statuses")
        default:
            return reader.byStatus(response, now: now)
        }
    }
}
