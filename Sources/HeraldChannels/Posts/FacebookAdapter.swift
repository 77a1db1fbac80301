import Foundation
import HeraldCore
import HeraldRules
import HeraldTransport

/// Facebook Page posts through the Graph API (docs/channels.md §6b). Graph reports most errors, throttling
/// included, as HTTP 400 with a numeric `code`, so the code decides, not the status.
public struct FacebookAdapter: ChannelAdapter {
    public struct Settings: Sendable {
        /// `https://graph.facebook.com/v21.0`: the version is part of the base.
        public var baseURL: String
        public var pageID: String
        public var token: String
        public var timeout: TimeInterval
        public var connectTimeout: TimeInterval

        public init(baseURL: String, pageID: String, token: String, timeout: TimeInterval = 30, connectTimeout: TimeInterval = 10) {
            self.baseURL = baseURL
            self.pageID = pageID
            self.token = token
            self.timeout = timeout
            self.connectTimeout = connectTimeout
        }
    }

    private let settings: Settings
    private let reader = PostOutcomeReader(network: "Facebook", rateLimit: .facebookUsage)

    /// Graph's throttling codes: application, user, Page and Business-Use-Case limits.
    static let throttlingCodes: Set<Int> = [4, 17, 32, 613, 80001]

    public init(settings: Settings) {
        self.settings = settings
    }

    public func request(for message: Message, now: Date) throws -> TransferRequest {
        var body = JSONObjectText()
        body.add("message", string: message.postText)
        return PostRequestSettings(timeout: settings.timeout, connectTimeout: settings.connectTimeout).post(
            PostRequestSettings.join(settings.baseURL, "/\(settings.pageID)/feed"),
            headers: [HTTPHeader("Authorization", "Bearer \(settings.token)")], json: body.text
        )
    }

    public func outcome(of result: Result<TransferResponse, TransportError>, now: Date) -> DeliveryOutcome {
        let response: HTTPResponse
        switch result.httpResponse(reader) {
        case .success(let answer): response = answer
        case .failure(let instead): return instead.outcome
        }
        if (200..<300).contains(response.status) {
            guard let id = PostOutcomeReader.receipt(PostOutcomeReader.object(response.body)?["id"] as? String) else {
                return .delivered(proof: "Facebook: \(PostOutcomeReader.summary(response)); the answer named no post", pauseChannelUntil: reader.budgetSpent(response, now: now))
            }
            return .delivered(proof: "HTTP \(response.status) post \(id)", post: PublishedPost(id: id, url: "https://www.facebook.com/\(id)"), pauseChannelUntil: reader.budgetSpent(response, now: now))
        }
        guard let error = PostOutcomeReader.object(response.body)?["error"] as? [String: Any], let code = error["code"] as? Int else {
            return reader.byStatus(response, now: now)
        }
        let message = HTTPOutcomeClassifier.excerpt(Array(((error["message"] as? String) ?? "").utf8))
        let reason = "Facebook error \(code) (HTTP \(response.status)): \(message)"
        switch code {
        case _ where Self.throttlingCodes.contains(code):
            return reader.throttled(response, now: now, reason: reason)
        case 1, 2:
            return .retry(reason: reason, after: nil, pauseChannel: false)
        case 190:
            return .permanent(reason: "\(reason); the Page token is invalid or expired, so issue a new one")
        case 368:
            return .permanent(reason: "\(reason); the Page is blocked from posting for now, so do not retry until it is lifted")
        default:
            return .permanent(reason: reason)
        }
    }
}
