import Foundation
import HeraldCore
import HeraldRules
import HeraldTransport

/// Slack incoming webhooks (docs/channels.md §2a). The URL is the credential, so it never appears in a reason;
/// success is exactly `200 ok`, and Slack returns no message id, so there is no post to record.
public struct SlackAdapter: ChannelAdapter {
    public typealias Settings = ChatWebhookSettings

    private let settings: Settings
    private let reader = PostOutcomeReader(network: "Slack", rateLimit: .retryAfter)

    public init(settings: Settings) {
        self.settings = settings
    }

    public func request(for message: Message, now: Date) throws -> TransferRequest {
        PostRequestSettings(timeout: settings.timeout, connectTimeout: settings.connectTimeout)
            .post(settings.url, headers: [], json: Self.body(text: message.postText))
    }

    /// `{"text": …}` in Slack's mrkdwn, with `&`, `<` and `>` escaped: Slack reads `<…>` as a link or mention.
    public static func body(text: String) -> String {
        var body = JSONObjectText()
        body.add("text", string: escaped(text))
        return body.text
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    public func outcome(of result: Result<TransferResponse, TransportError>, now: Date) -> DeliveryOutcome {
        let response: HTTPResponse
        switch result.httpResponse(reader) {
        case .success(let answer): response = answer
        case .failure(let instead): return instead.outcome
        }
        let body = String(decoding: response.body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        switch response.status {
        case 200 where body == "ok":
            return .delivered(proof: "HTTP 200 ok")
        case 200..<300:
            return .permanent(reason: "Slack answered \(PostOutcomeReader.summary(response)) instead of 'ok'; the message may not have been posted")
        case 404, 410:
            return .permanent(reason: "Slack: \(PostOutcomeReader.summary(response)): the webhook was revoked or its channel archived; create a new webhook")
        default:
            return reader.byStatus(response, now: now)
        }
    }
}
