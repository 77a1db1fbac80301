import Foundation
import HeraldChannels
import HeraldCore
import HeraldTransport
import Testing

/// Slack incoming webhooks (docs/channels.md §2a): the URL is the credential, success is exactly `200 ok`, and no
/// message id comes back, so there is never a post to record and no way to recognise a repeat.
@Suite struct SlackAdapterTests {
    typealias F = AdapterFixture
    let url = "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX"
    var adapter: SlackAdapter { SlackAdapter(settings: .init(url: url, timeout: 20, connectTimeout: 5)) }

    @Test func aSlackPostGoesToTheWebhookURLAsJSONWithoutAnAuthHeader() throws {
        let request = try F.http(adapter.request(for: F.message("Deploy finished"), now: F.now))
        #expect(request.method == "POST")
        #expect(request.url == url)
        #expect(F.values("Content-Type", in: request) == ["application/json; charset=utf-8"])
        #expect(F.values("Authorization", in: request).isEmpty)
        #expect(request.timeout == 20)
        #expect(request.connectTimeout == 5)
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"text":"Deploy finished"}"#)
    }

    /// `<…>` is a link or mention in mrkdwn, so text that happens to hold angle brackets must not turn into one.
    @Test func mrkdwnMarkupCharactersAreEscapedInTheText() throws {
        let request = try F.http(adapter.request(for: F.message("A & B <!channel> said \"hi\"\n> quoted"), now: F.now))
        let body = try F.json(request.body)
        #expect(body["text"] as? String == "A &amp; B &lt;!channel&gt; said \"hi\"\n&gt; quoted")
        #expect(body.count == 1)
    }

    @Test func aMessageWithoutAPostPartSendsItsPlainText() throws {
        let request = try F.http(adapter.request(for: F.message("plain text part", part: "text"), now: F.now))
        #expect(try F.json(request.body)["text"] as? String == "plain text part")
    }

    @Test func exactlyOkDeliversWithoutAPost() {
        let outcome = adapter.outcome(of: F.answer(200, body: "ok"), now: F.now)
        #expect(outcome == .delivered(proof: "HTTP 200 ok"))
        #expect(outcome.post == nil)
        #expect(outcome.pauseChannelUntil == nil)
    }

    /// A proxy or captive portal can answer 200 with a page of its own; that is not Slack saying `ok`.
    @Test func aTwoHundredWithAnotherBodyIsNotADelivery() throws {
        let reason = try #require(adapter.outcome(of: F.answer(200, body: "<html>Sign in to continue</html>"), now: F.now).permanentReason)
        #expect(reason.contains("HTTP 200"))
        #expect(reason.contains("Sign in to continue"))
    }

    @Test(arguments: [(400, "invalid_payload"), (400, "invalid_blocks"), (403, "action_prohibited"), (403, "invalid_token")])
    func payloadAndPolicyRefusalsArePermanentAndNameTheCode(status: Int, code: String) throws {
        let reason = try #require(adapter.outcome(of: F.answer(status, body: code), now: F.now).permanentReason)
        #expect(reason.contains("HTTP \(status)"))
        #expect(reason.contains(code))
    }

    @Test(arguments: [(404, "no_service"), (404, "channel_not_found"), (410, "channel_is_archived")])
    func aRevokedWebhookIsPermanentAndSaysToMakeANewOne(status: Int, code: String) throws {
        let reason = try #require(adapter.outcome(of: F.answer(status, body: code), now: F.now).permanentReason)
        #expect(reason.contains("HTTP \(status): \(code)"))
        #expect(reason.contains("create a new webhook"))
    }

    @Test func aRateLimitPausesTheChannelUntilRetryAfter() throws {
        let outcome = adapter.outcome(of: F.answer(429, [HTTPHeader("Retry-After", "30")], body: "rate_limited"), now: F.now)
        let retry = try #require(outcome.retried)
        #expect(retry.after == F.now.addingTimeInterval(30))
        #expect(retry.pauseChannel)
        #expect(retry.reason.contains("429"))
        #expect(outcome.pauseChannelUntil == F.now.addingTimeInterval(30))
    }

    /// Without a hint the channel still pauses, for the reader's default minute, rather than hammering Slack.
    @Test func aRateLimitWithoutRetryAfterPausesForTheDefaultMinute() throws {
        let retry = try #require(adapter.outcome(of: F.answer(429), now: F.now).retried)
        #expect(retry.after == F.now.addingTimeInterval(60))
        #expect(retry.pauseChannel)
    }

    @Test(arguments: [500, 502, 503, 504])
    func serverErrorsRetryWithoutPausingTheChannel(status: Int) throws {
        let outcome = adapter.outcome(of: F.answer(status, body: "rollup_error"), now: F.now)
        let retry = try #require(outcome.retried)
        #expect(retry.after == nil)
        #expect(!retry.pauseChannel)
        #expect(retry.reason.contains("HTTP \(status)"))
        #expect(outcome.pauseChannelUntil == nil)
    }

    /// Slack has no idempotency key: an unanswered post may already be in the channel, and a repeat would double it.
    @Test func anUnansweredPostIsAmbiguousAndNeverRecognisedAsARepeat() throws {
        let reason = try #require(adapter.outcome(of: F.timeout, now: F.now).ambiguousReason)
        #expect(reason.contains("timeout"))
        #expect(reason.contains("Slack"))
        #expect(adapter.repeatRecognition == .none)
    }

    @Test func aRefusedConnectionSimplyRetries() throws {
        let retry = try #require(adapter.outcome(of: F.refused, now: F.now).retried)
        #expect(!retry.pauseChannel)
    }

    /// A redirect is not followed (the webhook URL would be replayed to wherever it points) and its target not kept.
    @Test func aRedirectIsPermanentAndDoesNotRepeatTheLocation() throws {
        let outcome = adapter.outcome(of: F.answer(302, [HTTPHeader("Location", "https://evil.test/?u=secret")]), now: F.now)
        let reason = try #require(outcome.permanentReason)
        #expect(reason.contains("redirect"))
        #expect(!reason.contains("secret"))
        #expect(!reason.contains(url))
    }
}
