import Foundation
import HeraldChannels
import HeraldCore
import HeraldTransport
import Testing

/// The Bluesky session calls (docs/channels.md §4.1–§4.2) and the look-up that tells whether an unanswered post
/// made it. Logging in is tightly rate-limited and publishes nothing, so its failures read differently from a post's.
@Suite struct BlueskySessionTests {
    typealias F = AdapterFixture
    typealias B = BlueskyAdapterTests
    var adapter: BlueskyAdapter { B.adapter() }

    @Test func loginPostsTheIdentifierAndAppPasswordToCreateSession() throws {
        let request = try F.http(adapter.loginRequest(now: F.now))
        #expect(request.method == "POST")
        #expect(request.url == "https://pds.example/xrpc/com.atproto.server.createSession")
        #expect(F.values("Content-Type", in: request) == ["application/json; charset=utf-8"])
        #expect(F.values("Authorization", in: request).isEmpty)
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"identifier":"herald.example","password":"app-pass"}"#)
        #expect(adapter.login == "herald.example")
    }

    @Test func renewalSendsTheRefreshTokenAndNoBody() throws {
        let request = try F.http(try #require(adapter.renewalRequest(for: B.session, now: F.now)))
        #expect(request.method == "POST")
        #expect(request.url == "https://pds.example/xrpc/com.atproto.server.refreshSession")
        #expect(F.values("Authorization", in: request) == ["Bearer refresh.jwt"])
        #expect(request.body.isEmpty)
    }

    @Test func aSessionWithoutARefreshTokenCannotBeRenewed() {
        var session = B.session
        session.refreshToken = nil
        #expect(adapter.renewalRequest(for: session, now: F.now) == nil)
    }

    @Test func aSessionAnswerGivesTheTokensAndTheDID() {
        let body = "{\"accessJwt\":\"new.access\",\"refreshJwt\":\"new.refresh\",\"did\":\"\(B.did)\",\"handle\":\"herald.example\",\"active\":true}"
        let session = adapter.session(from: F.answer(200, body: body), now: F.now)
        #expect(session == .success(ChannelSession(accessToken: "new.access", refreshToken: "new.refresh", account: B.did, login: "herald.example")))
    }

    @Test(arguments: [#"{"refreshJwt":"r","did":"did:plc:x"}"#, #"{"accessJwt":"a"}"#, "", "<html>"])
    func aSessionAnswerWithoutTokenOrDIDIsRetried(body: String) throws {
        guard case .failure(let refusal) = adapter.session(from: F.answer(200, body: body), now: F.now) else {
            Issue.record("expected a refusal")
            return
        }
        let retry = try #require(refusal.outcome.retried)
        #expect(!retry.pauseChannel)
    }

    @Test(arguments: [
        (401, "AuthenticationRequired", "app password"), (400, "AuthFactorTokenRequired", "emailed code"),
        (400, "AccountTakedown", "app password"),
    ])
    func aRefusedLoginIsPermanentAndSaysWhatToFix(status: Int, error: String, hint: String) throws {
        let body = "{\"error\":\"\(error)\",\"message\":\"Invalid identifier or password\"}"
        guard case .failure(let refusal) = adapter.session(from: F.answer(status, body: body), now: F.now) else {
            Issue.record("expected a refusal")
            return
        }
        let reason = try #require(refusal.outcome.permanentReason)
        #expect(reason.contains("HTTP \(status)"))
        #expect(reason.contains(error))
        #expect(reason.contains(hint))
    }

    /// Logins are limited to a few dozen per five minutes: a throttled one pauses the channel until the reset.
    @Test func aThrottledLoginPausesTheChannelUntilTheReset() {
        let headers = [F.serverDate, HTTPHeader("ratelimit-remaining", "0"), HTTPHeader("ratelimit-reset", F.resetEpoch)]
        let result = adapter.session(from: F.answer(429, headers, body: #"{"error":"RateLimitExceeded"}"#), now: F.now)
        #expect(result == .failure(SessionRefusal(.retry(reason: "Bluesky rate limit: HTTP 429: {\"error\":\"RateLimitExceeded\"}", after: F.resumeAt, pauseChannel: true))))
    }

    /// A login creates nothing public, so unlike a post an unanswered one is simply tried again.
    @Test(arguments: [F.timeout, F.refused, F.answer(502)])
    func anUnansweredOrFailedLoginIsRetriedNotAmbiguous(result: Result<TransferResponse, TransportError>) throws {
        guard case .failure(let refusal) = adapter.session(from: result, now: F.now) else {
            Issue.record("expected a refusal")
            return
        }
        let retry = try #require(refusal.outcome.retried)
        #expect(!retry.pauseChannel)
    }

    @Test(arguments: F.hostileBodies)
    func aHostileLoginRefusalGivesAShortSingleLineReason(body: [UInt8]) {
        for status in [400, 401, 429, 500] {
            guard case .failure(let refusal) = adapter.session(from: F.answer(status, bytes: body), now: F.now) else {
                Issue.record("expected a refusal for HTTP \(status)")
                continue
            }
            F.expectSafe(refusal.outcome)
        }
    }

    @Test func theLookUpReadsTheRecordAtTheMessagesKey() throws {
        let request = try F.http(try #require(adapter.lookupRequest(for: F.message(id: B.id), session: B.session, now: F.now)))
        #expect(request.method == "GET")
        #expect(
            request.url
                == "https://pds.example/xrpc/com.atproto.repo.getRecord?repo=did%3Aplc%3Au5cwb2mwiv2bfq53cjufe6yn&collection=app.bsky.feed.post&rkey=\(B.rkey)"
        )
        #expect(F.values("Authorization", in: request) == ["Bearer access.jwt"])
        #expect(request.body.isEmpty)
    }

    @Test func aMessageWithoutAUUIDv7HasNoLookUp() {
        let message = F.message(id: MessageID(rawValue: "not-a-uuid"))
        #expect(adapter.lookupRequest(for: message, session: B.session, now: F.now) == nil)
    }

    func found(text: String) -> Result<TransferResponse, TransportError> {
        let value = "{\"$type\":\"app.bsky.feed.post\",\"text\":\(JSONText.string(text)),\"createdAt\":\"2023-11-14T22:13:20.000Z\"}"
        return F.answer(200, body: "{\"uri\":\"at://\(B.did)/app.bsky.feed.post/\(B.rkey)\",\"cid\":\"bafy\",\"value\":\(value)}")
    }

    @Test func aFoundRecordWithTheMessagesTextIsTheDelivery() throws {
        let outcome = try #require(adapter.lookedUp(found(text: "Review published"), for: F.message("Review published", id: B.id), now: F.now))
        let uri = "at://\(B.did)/app.bsky.feed.post/\(B.rkey)"
        #expect(outcome.post == PublishedPost(id: uri, url: "https://bsky.app/profile/\(B.did)/post/\(B.rkey)"))
        #expect(outcome.proof?.contains("look-up") == true)
    }

    /// Another post at this key means this message's own post was never made, and can never be made at this key.
    @Test func aFoundRecordWithOtherTextIsPermanent() throws {
        let outcome = adapter.lookedUp(found(text: "Something else"), for: F.message("Review published", id: B.id), now: F.now)
        let reason = try #require(outcome?.permanentReason)
        #expect(reason.contains(B.rkey))
    }

    @Test(arguments: [
        F.answer(400, body: #"{"error":"RecordNotFound","message":"Could not locate record"}"#), F.answer(500), F.timeout,
        F.answer(200, body: "{}"),
    ])
    func aMissingRecordOrFailedLookUpLeavesTheAttemptsOwnOutcome(result: Result<TransferResponse, TransportError>) {
        #expect(adapter.lookedUp(result, for: F.message(id: B.id), now: F.now) == nil)
    }
}
