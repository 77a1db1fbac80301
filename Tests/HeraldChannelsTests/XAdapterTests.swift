import Foundation
import HeraldChannels
import HeraldCore
import HeraldTransport
import Testing

/// Posts on X (docs/channels.md §5): `POST /2/tweets` signed with OAuth 1.0a, the JSON body left out of the
/// signature, `x-rate-limit-*` headers in epoch seconds, and no idempotency key. `OAuth1SignerTests` covers the
/// signer; these check that the adapter feeds it the right URL, nonce and time.
@Suite struct XAdapterTests {
    typealias F = AdapterFixture
    /// TV-2/TV-3 credentials and nonce.
    static let credentials = OAuth1Credentials(
        consumerKey: "xvz1evFS4wEEPTGEFPHBog", consumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
        token: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", tokenSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"
    )
    static let nonce = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
    /// TV-3's header for `POST https://api.x.com/2/tweets` at timestamp 1318622958.
    static let tv3Authorization =
        #"OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", oauth_signature="lr%2BtV%2FDKclEvXKVjG6tgaSSLV0k%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1318622958", oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", oauth_version="1.0""#

    static func adapter(baseURL: String = "https://api.x.com", nonce: @escaping @Sendable () -> String = { XAdapterTests.nonce }) -> XAdapter {
        XAdapter(settings: .init(baseURL: baseURL, credentials: credentials, nonce: nonce))
    }

    var adapter: XAdapter { Self.adapter() }
    let tv3Time = Date(timeIntervalSince1970: 1_318_622_958.75)

    /// The signature depends only on method, URL, nonce and whole seconds, so TV-3's header must come out exactly,
    /// whatever the text and with the fraction of a second dropped.
    @Test(arguments: ["https://api.x.com", "https://api.x.com/"])
    func anXPostIsSignedExactlyAsTV3(baseURL: String) throws {
        let request = try F.http(Self.adapter(baseURL: baseURL).request(for: F.message("Hello Ladies + Gentlemen, a signed OAuth request!"), now: tv3Time))
        #expect(request.method == "POST")
        #expect(request.url == "https://api.x.com/2/tweets")
        #expect(F.values("Authorization", in: request) == [Self.tv3Authorization])
        #expect(F.values("Content-Type", in: request) == ["application/json; charset=utf-8"])
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"text":"Hello Ladies + Gentlemen, a signed OAuth request!"}"#)
    }

    @Test func theBodyCarriesOnlyTheTextEscapedAsJSON() throws {
        let text = "Grüße \"quoted\"\nnext line 👋"
        let body = try F.json(F.http(adapter.request(for: F.message(text), now: F.now)).body)
        #expect(body["text"] as? String == text)
        #expect(body.count == 1)
    }

    /// A nonce is drawn for every request: the same one twice within X's window would be refused as a replay.
    @Test func everyRequestDrawsAFreshNonceAndTheCurrentTimestamp() throws {
        let adapter = Self.adapter(nonce: OAuth1Signer.makeNonce)
        let first = try #require(F.values("Authorization", in: F.http(adapter.request(for: F.message(), now: F.now))).first)
        let second = try #require(F.values("Authorization", in: F.http(adapter.request(for: F.message(), now: F.now))).first)
        #expect(first != second)
        #expect(first.contains(#"oauth_timestamp="1700000000""#))
        #expect(first.hasPrefix("OAuth "))
        // The secrets sign; they are never sent.
        #expect(!first.contains(Self.credentials.consumerSecret) && !first.contains(Self.credentials.tokenSecret))
    }

    @Test func aCreatedPostDeliversWithItsIdAndWebURL() {
        let body = #"{"data":{"id":"1445880548472328192","text":"Review published","edit_history_tweet_ids":["1445880548472328192"]}}"#
        let outcome = adapter.outcome(of: F.answer(201, body: body), now: F.now)
        #expect(outcome.post == PublishedPost(id: "1445880548472328192", url: "https://x.com/i/web/status/1445880548472328192"))
        #expect(outcome.proof == "HTTP 201 post 1445880548472328192")
        #expect(outcome.pauseChannelUntil == nil)
    }

    @Test func aSuccessThatSpendsTheBudgetPausesTheChannelUntilTheEpochReset() {
        let headers = [
            F.serverDate, HTTPHeader("x-rate-limit-limit", "100"), HTTPHeader("x-rate-limit-remaining", "0"),
            HTTPHeader("x-rate-limit-reset", F.resetEpoch),
        ]
        let outcome = adapter.outcome(of: F.answer(201, headers, body: #"{"data":{"id":"1","text":"t"}}"#), now: F.now)
        #expect(outcome.post?.id == "1")
        #expect(outcome.pauseChannelUntil == F.resumeAt)
    }

    @Test func aSuccessWithBudgetLeftDoesNotPause() {
        let headers = [F.serverDate, HTTPHeader("x-rate-limit-remaining", "99"), HTTPHeader("x-rate-limit-reset", F.resetEpoch)]
        #expect(adapter.outcome(of: F.answer(201, headers, body: #"{"data":{"id":"1"}}"#), now: F.now).pauseChannelUntil == nil)
    }

    @Test func aRateLimitRetriesAtTheResetAndPausesTheChannel() throws {
        let headers = [F.serverDate, HTTPHeader("x-rate-limit-remaining", "0"), HTTPHeader("x-rate-limit-reset", F.resetEpoch)]
        let body = #"{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}"#
        let outcome = adapter.outcome(of: F.answer(429, headers, body: body), now: F.now)
        let retry = try #require(outcome.retried)
        #expect(retry.after == F.resumeAt)
        #expect(retry.pauseChannel)
        #expect(retry.reason.contains("429"))
        #expect(outcome.pauseChannelUntil == F.resumeAt)
    }

    @Test func aRefusedSignatureIsPermanentAndNamesTheStatus() throws {
        let body = #"{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}"#
        let reason = try #require(adapter.outcome(of: F.answer(401, body: body), now: F.now).permanentReason)
        #expect(reason.contains("HTTP 401"))
        #expect(reason.contains("Unauthorized"))
    }

    /// X's only guard against a repeated post is this 403; it is final, since the text cannot be sent again as it is.
    @Test func duplicateContentIsPermanent() throws {
        let body = #"{"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","title":"Forbidden","status":403}"#
        let reason = try #require(adapter.outcome(of: F.answer(403, body: body), now: F.now).permanentReason)
        #expect(reason.contains("HTTP 403"))
        #expect(reason.contains("duplicate content"))
    }

    @Test func anInvalidRequestIsPermanent() throws {
        let body = #"{"errors":[{"message":"Your Tweet text is too long."}],"title":"Invalid Request","status":400}"#
        let reason = try #require(adapter.outcome(of: F.answer(400, body: body), now: F.now).permanentReason)
        #expect(reason.contains("X"))
        #expect(reason.contains("HTTP 400"))
    }

    /// X has no idempotency key: an unanswered post may be public already, so it must not be sent again blindly.
    @Test func anUnansweredPostIsAmbiguousAndNeverRecognisedAsARepeat() throws {
        let reason = try #require(adapter.outcome(of: F.timeout, now: F.now).ambiguousReason)
        #expect(reason.contains("X may have published"))
        #expect(adapter.repeatRecognition == .none)
    }

    /// The post id goes into the stored proof and the web URL: escaped line breaks must not reach either.
    @Test func aHostilePostIdGivesAShortSingleLineProof() {
        let id = "1\r\nX-Forged: yes\u{0}" + String(repeating: "9", count: 5_000)
        F.expectSafe(adapter.outcome(of: F.answer(201, body: "{\"data\":{\"id\":\(JSONText.string(id))}}"), now: F.now))
    }
}
