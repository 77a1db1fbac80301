import Foundation
import HeraldChannels
import HeraldCore
import HeraldTransport
import Testing

/// Microsoft Teams (docs/channels.md §2b–§2c): Workflows answers 202, a legacy connector 200 with body `1`, and a
/// connector reports its own downstream failures as 200 with an error text that must not pass for a delivery.
@Suite struct TeamsAdapterTests {
    typealias F = AdapterFixture
    /// A Workflows trigger: the `sig` query parameter is the credential and must be sent byte for byte.
    let url = "https://prod-01.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=s3cr%2Bt"
    var adapter: TeamsAdapter { TeamsAdapter(settings: .init(url: url)) }

    @Test func aTeamsPostGoesToTheTriggerURLUnchanged() throws {
        let request = try F.http(adapter.request(for: F.message(), now: F.now))
        #expect(request.method == "POST")
        #expect(request.url == url)
        #expect(F.values("Content-Type", in: request) == ["application/json; charset=utf-8"])
        #expect(F.values("Authorization", in: request).isEmpty)
    }

    /// The standard "post to a channel" flow loops over `attachments`; without them the flow run fails while the HTTP
    /// call still succeeds, so the envelope is checked field by field.
    @Test func theBodyIsAnAdaptiveCardEnvelopeHoldingTheText() throws {
        let text = "Review \"Adult C\" published\nsee https://example.org/r?a=1&b=2"
        let body = try F.json(F.http(adapter.request(for: F.message(text), now: F.now)).body)
        #expect(body["type"] as? String == "message")
        let attachments = try #require(body["attachments"] as? [[String: Any]])
        #expect(attachments.count == 1)
        let attachment = try #require(attachments.first)
        #expect(attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        #expect(attachment["contentUrl"] is NSNull)
        let card = try #require(attachment["content"] as? [String: Any])
        #expect(card["$schema"] as? String == "http://adaptivecards.io/schemas/adaptive-card.json")
        #expect(card["type"] as? String == "AdaptiveCard")
        #expect(card["version"] as? String == "1.4")
        let blocks = try #require(card["body"] as? [[String: Any]])
        #expect(blocks.count == 1)
        #expect(blocks.first?["type"] as? String == "TextBlock")
        #expect(blocks.first?["text"] as? String == text)
        #expect(blocks.first?["wrap"] as? Bool == true)
    }

    @Test func aWorkflowsAcceptanceDelivers() {
        let outcome = adapter.outcome(of: F.answer(202), now: F.now)
        #expect(outcome.proof?.contains("202") == true)
        #expect(outcome.post == nil)
        #expect(outcome.pauseChannelUntil == nil)
    }

    @Test func aConnectorsOneDelivers() {
        #expect(adapter.outcome(of: F.answer(200, body: "1"), now: F.now) == .delivered(proof: "HTTP 200 1"))
    }

    @Test func aConnectorThrottledDownstreamRetriesAndPausesTheChannel() throws {
        let body = "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0,server=msgapi"
        let outcome = adapter.outcome(of: F.answer(200, body: body), now: F.now)
        let retry = try #require(outcome.retried)
        #expect(retry.pauseChannel)
        #expect(retry.after == F.now.addingTimeInterval(60))
        #expect(retry.reason.contains("HTTP error 429"))
        #expect(outcome.pauseChannelUntil == F.now.addingTimeInterval(60))
    }

    @Test func aConnectorRefusedDownstreamIsPermanent() throws {
        let body = "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 400 with ContextId tcid=0"
        let reason = try #require(adapter.outcome(of: F.answer(200, body: body), now: F.now).permanentReason)
        #expect(reason.contains("not posted"))
        #expect(reason.contains("HTTP error 400"))
    }

    /// A 200 that is neither `1` nor a recognisable error says nothing about the post, so it is tried again.
    @Test func aConnectorsUnknownTwoHundredRetriesWithoutPausing() throws {
        let retry = try #require(adapter.outcome(of: F.answer(200, body: "Something went wrong"), now: F.now).retried)
        #expect(!retry.pauseChannel)
        #expect(retry.after == nil)
    }

    @Test(arguments: [(400, "Summary or Text is required."), (401, ""), (403, ""), (404, "workflow not found"), (413, "")])
    func refusalsOfTheWebhookArePermanent(status: Int, body: String) throws {
        let reason = try #require(adapter.outcome(of: F.answer(status, body: body), now: F.now).permanentReason)
        #expect(reason.contains("Teams"))
        #expect(reason.contains("HTTP \(status)"))
    }

    @Test func aThrottledWorkflowPausesTheChannelUntilRetryAfter() throws {
        let outcome = adapter.outcome(of: F.answer(429, [HTTPHeader("Retry-After", "120")]), now: F.now)
        let retry = try #require(outcome.retried)
        #expect(retry.after == F.now.addingTimeInterval(120))
        #expect(retry.pauseChannel)
        #expect(outcome.pauseChannelUntil == F.now.addingTimeInterval(120))
    }

    @Test func anUnansweredPostIsAmbiguousAndNeverRecognisedAsARepeat() throws {
        let reason = try #require(adapter.outcome(of: F.timeout, now: F.now).ambiguousReason)
        #expect(reason.contains("Teams"))
        #expect(adapter.repeatRecognition == .none)
    }

    /// The connector failure path embeds the body too, so a forged "HTTP error" line must not survive into the reason.
    @Test func aHostileConnectorFailureGivesAShortSingleLineReason() {
        let body = "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 400\r\nX-Forged: 1\u{0}"
            + String(repeating: "z", count: 100_000)
        F.expectSafe(adapter.outcome(of: F.answer(200, body: body), now: F.now))
    }
}
