import Foundation
import HeraldCore
import HeraldRules
import HeraldTransport

/// Microsoft Teams through a Workflows webhook, with the Adaptive Card envelope its standard flow expects
/// (docs/channels.md §2b–§2c). Workflows answers 202; a legacy connector answers 200 with body `1`, and reports
/// its own downstream failures as 200 with an error text, which must not pass for delivery. The trigger URL is sent
/// byte for byte: its `sig` query parameter is the credential.
public struct TeamsAdapter: ChannelAdapter {
    public typealias Settings = ChatWebhookSettings

    private let settings: Settings
    private let reader = PostOutcomeReader(network: "Teams", rateLimit: .retryAfter)

    public init(settings: Settings) {
        self.settings = settings
    }

    public func request(for message: Message, now: Date) throws -> TransferRequest {
        PostRequestSettings(timeout: settings.timeout, connectTimeout: settings.connectTimeout)
            .post(settings.url, headers: [], json: Self.body(text: message.postText))
    }

    /// A `message` with one Adaptive Card holding the text as a wrapping TextBlock.
    public static func body(text: String) -> String {
        var block = JSONObjectText()
        block.add("type", string: "TextBlock")
        block.add("text", string: text)
        block.add("wrap", raw: "true")
        var card = JSONObjectText()
        card.add("$schema", string: "http://adaptivecards.io/schemas/adaptive-card.json")
        card.add("type", string: "AdaptiveCard")
        card.add("version", string: "1.4")
        card.add("body", raw: "[\(block.text)]")
        var attachment = JSONObjectText()
        attachment.add("contentType", string: "application/vnd.microsoft.card.adaptive")
        attachment.add("contentUrl", raw: "null")
        attachment.add("content", raw: card.text)
        var envelope = JSONObjectText()
        envelope.add("type", string: "message")
        envelope.add("attachments", raw: "[\(attachment.text)]")
        return envelope.text
    }

    public func outcome(of result: Result<TransferResponse, TransportError>, now: Date) -> DeliveryOutcome {
        let response: HTTPResponse
        switch result.httpResponse(reader) {
        case .success(let answer): response = answer
        case .failure(let instead): return instead.outcome
        }
        let body = String(decoding: response.body.prefix(400), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        switch response.status {
        case 202:
            return .delivered(proof: "HTTP 202 accepted by the workflow")
        case 200 where body == "1":
            return .delivered(proof: "HTTP 200 1")
        case 200..<300:
            return connectorFailure(body, response: response, now: now)
        default:
            return reader.byStatus(response, now: now)
        }
    }

    /// A connector's `200` carrying `… returned HTTP error 429 …`: classified by the embedded code.
    private func connectorFailure(_ body: String, response: HTTPResponse, now: Date) -> DeliveryOutcome {
        let reason = "Teams answered \(PostOutcomeReader.summary(response)), not '1': the message was not posted"
        guard let marker = body.range(of: "HTTP error ") else { return .retry(reason: reason, after: nil, pauseChannel: false) }
        let code = Int(body[marker.upperBound...].prefix(3)) ?? 0
        switch code {
        case 429: return .retry(reason: reason, after: now.addingTimeInterval(reader.defaultPause), pauseChannel: true)
        case 400..<500: return .permanent(reason: reason)
        default: return .retry(reason: reason, after: nil, pauseChannel: false)
        }
    }
}
