import Foundation
import HeraldChannels
import HeraldCore
import HeraldTransport
import Testing

/// Mastodon statuses (docs/channels.md §3): the message id is the `Idempotency-Key`, which the instance honours
/// for an hour, and rate limits come as `X-RateLimit-*` headers whose reset is an ISO 8601 timestamp.
@Suite struct MastodonAdapterTests {
    typealias F = AdapterFixture
    var adapter: MastodonAdapter {
        MastodonAdapter(settings: .init(baseURL: "https://mastodon.example/", token: "tok-123", visibility: "unlisted", language: "en"))
    }

    let status = #"{"id":"113447871234567890","url":"https://mastodon.example/@herald/113447871234567890","uri":"https://mastodon.example/users/herald/statuses/113447871234567890","created_at":"2023-11-14T22:13:20.000Z"}"#

    @Test func aMastodonPostIsABearerAuthorisedJSONStatus() throws {
        let request = try F.http(adapter.request(for: F.message("Grüße — https://example.org/a"), now: F.now))
        #expect(request.method == "POST")
        #expect(request.url == "https://mastodon.example/api/v1/statuses")
        #expect(F.values("Authorization", in: request) == ["Bearer tok-123"])
        #expect(F.values("Content-Type", in: request) == ["application/json; charset=utf-8"])
        let body = try F.json(request.body)
        #expect(body["status"] as? String == "Grüße — https://example.org/a")
        #expect(body["visibility"] as? String == "unlisted")
        #expect(body["language"] as? String == "en")
        #expect(body.count == 3)
    }

    @Test func aMastodonPostCarriesItsIdempotencyKey() throws {
        let first = try F.http(adapter.request(for: F.message(), now: F.now))
        let later = try F.http(adapter.request(for: F.message(), now: F.now.addingTimeInterval(600)))
        #expect(F.values("Idempotency-Key", in: first) == [F.messageID.rawValue])
        #expect(F.values("Idempotency-Key", in: later) == [F.messageID.rawValue])
        #expect(first.body == later.body)
    }

    /// Unset options are left to the account's own preferences, not sent as empty strings.
    @Test func visibilityAndLanguageAreOmittedWhenNotConfigured() throws {
        let plain = MastodonAdapter(settings: .init(baseURL: "https://mastodon.example", token: "t"))
        let request = try F.http(plain.request(for: F.message("hi"), now: F.now))
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"status":"hi"}"#)
    }

    @Test func aCreatedStatusDeliversWithItsIdAndPermalink() throws {
        let outcome = adapter.outcome(of: F.answer(200, body: status), now: F.now)
        #expect(outcome.post == PublishedPost(id: "113447871234567890", url: "https://mastodon.example/@herald/113447871234567890"))
        #expect(outcome.proof == "HTTP 200 status 113447871234567890")
        #expect(outcome.pauseChannelUntil == nil)
    }

    /// Some servers send numeric ids, and a status whose `url` is null still has its ActivityPub `uri`.
    @Test func aNumericIdAndANullURLStillNameThePost() {
        let body = #"{"id":42,"url":null,"uri":"https://mastodon.example/users/herald/statuses/42"}"#
        let outcome = adapter.outcome(of: F.answer(200, body: body), now: F.now)
        #expect(outcome.post == PublishedPost(id: "42", url: "https://mastodon.example/users/herald/statuses/42"))
    }

    @Test func aSuccessThatSpendsTheBudgetPausesTheChannelUntilTheISOReset() {
        let headers = [
            F.serverDate, HTTPHeader("X-RateLimit-Limit", "300"), HTTPHeader("X-RateLimit-Remaining", "0"),
            HTTPHeader("X-RateLimit-Reset", F.resetISO),
        ]
        let outcome = adapter.outcome(of: F.answer(200, headers, body: status), now: F.now)
        #expect(outcome.post?.id == "113447871234567890")
        #expect(outcome.pauseChannelUntil == F.resumeAt)
    }

    @Test func aSuccessWithBudgetLeftDoesNotPause() {
        let headers = [F.serverDate, HTTPHeader("X-RateLimit-Remaining", "1"), HTTPHeader("X-RateLimit-Reset", F.resetISO)]
        #expect(adapter.outcome(of: F.answer(200, headers, body: status), now: F.now).pauseChannelUntil == nil)
    }

    /// Mastodon's 429 has no `Retry-After`: the wait is until `X-RateLimit-Reset`, reckoned against the response's `Date`.
    @Test func aRateLimitRetriesAtTheResetAndPausesTheChannel() throws {
        let headers = [F.serverDate, HTTPHeader("X-RateLimit-Remaining", "0"), HTTPHeader("X-RateLimit-Reset", F.resetISO)]
        let outcome = adapter.outcome(of: F.answer(429, headers, body: #"{"error":"Too many requests"}"#), now: F.now)
        let retry = try #require(outcome.retried)
        #expect(retry.after == F.resumeAt)
        #expect(retry.pauseChannel)
        #expect(retry.reason.contains("429"))
        #expect(outcome.pauseChannelUntil == F.resumeAt)
    }

    @Test(arguments: [500, 502, 503, 504])
    func serverErrorsRetryWithoutPausingTheChannel(status: Int) throws {
        let retry = try #require(adapter.outcome(of: F.answer(status, body: #"{"error":"Remote data could not be fetched"}"#), now: F.now).retried)
        #expect(retry.after == nil)
        #expect(!retry.pauseChannel)
        #expect(retry.reason.contains("HTTP \(status)"))
    }

    @Test func aRefusedTokenIsPermanentAndNamesTheStatus() throws {
        let reason = try #require(adapter.outcome(of: F.answer(401, body: #"{"error":"The access token is invalid"}"#), now: F.now).permanentReason)
        #expect(reason.contains("HTTP 401"))
        #expect(reason.contains("The access token is invalid"))
        #expect(reason.contains("write:statuses"))
    }

    @Test(arguments: [
        (403, #"{"error":"This action is not allowed"}"#), (404, #"{"error":"Record not found"}"#),
        (422, #"{"error":"Validation failed: Text character limit of 500 exceeded"}"#),
    ])
    func refusalsOfTheStatusArePermanent(status: Int, body: String) throws {
        let reason = try #require(adapter.outcome(of: F.answer(status, body: body), now: F.now).permanentReason)
        #expect(reason.contains("Mastodon"))
        #expect(reason.contains("HTTP \(status)"))
    }

    /// The key makes an unanswered post safe to send again, but only while the instance still remembers it.
    @Test func anUnansweredPostIsAmbiguousAndRecognisedForAnHour() throws {
        let reason = try #require(adapter.outcome(of: F.timeout, now: F.now).ambiguousReason)
        #expect(reason.contains("timeout"))
        #expect(adapter.repeatRecognition == .within(3600))
    }

    /// The id goes into the stored proof: a status id with escaped line breaks must not forge a second line there.
    @Test func aHostileStatusIdGivesAShortSingleLineProof() {
        let id = "1\r\nX-Forged: yes\u{1B}[2J" + String(repeating: "9", count: 5_000)
        F.expectSafe(adapter.outcome(of: F.answer(200, body: "{\"id\":\(JSONText.string(id))}"), now: F.now))
    }
}
