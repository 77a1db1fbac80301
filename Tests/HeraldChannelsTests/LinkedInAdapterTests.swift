import Foundation
import HeraldChannels
import HeraldCore
import HeraldTransport
import Testing

/// LinkedIn organisation posts (docs/channels.md §6a): two required protocol headers, the new post's URN only in
/// the `x-restli-id` header, an inactive version as 426, and a 429 with no reset header at all.
/// `LinkedInCommentaryTests` covers the escaping of the commentary text.
@Suite struct LinkedInAdapterTests {
    typealias F = AdapterFixture
    static func adapter(throttlePause: TimeInterval = 900) -> LinkedInAdapter {
        LinkedInAdapter(
            settings: .init(
                baseURL: "https://api.linkedin.com/", token: "member-token", author: "urn:li:organization:5515715", version: "202506",
                throttlePause: throttlePause
            )
        )
    }

    var adapter: LinkedInAdapter { Self.adapter() }

    @Test func aLinkedInPostCarriesTheVersionAndRestliHeaders() throws {
        let request = try F.http(adapter.request(for: F.message(), now: F.now))
        #expect(request.method == "POST")
        #expect(request.url == "https://api.linkedin.com/rest/posts")
        #expect(F.values("Authorization", in: request) == ["Bearer member-token"])
        #expect(F.values("LinkedIn-Version", in: request) == ["202506"])
        #expect(F.values("X-Restli-Protocol-Version", in: request) == ["2.0.0"])
        #expect(F.values("Content-Type", in: request) == ["application/json; charset=utf-8"])
    }

    @Test func theBodyIsAPublishedPublicOrganisationPost() throws {
        let body = try F.json(F.http(adapter.request(for: F.message("Review (Adult C) published #Safeguarding"), now: F.now)).body)
        #expect(body["author"] as? String == "urn:li:organization:5515715")
        #expect(body["commentary"] as? String == #"Review \(Adult C\) published #Safeguarding"#)
        #expect(body["visibility"] as? String == "PUBLIC")
        #expect(body["lifecycleState"] as? String == "PUBLISHED")
        #expect(body["isReshareDisabledByAuthor"] as? Bool == false)
        let distribution = try #require(body["distribution"] as? [String: Any])
        #expect(distribution["feedDistribution"] as? String == "MAIN_FEED")
        #expect((distribution["targetEntities"] as? [Any])?.isEmpty == true)
        #expect((distribution["thirdPartyDistributionChannels"] as? [Any])?.isEmpty == true)
        #expect(body.count == 6)
    }

    @Test func aCreatedPostDeliversWithTheURNFromTheRestliHeader() {
        let outcome = adapter.outcome(of: F.answer(201, [HTTPHeader("x-restli-id", "urn:li:share:7212345678901234567")]), now: F.now)
        #expect(outcome.post == PublishedPost(id: "urn:li:share:7212345678901234567", url: "https://www.linkedin.com/feed/update/urn:li:share:7212345678901234567/"))
        #expect(outcome.proof == "HTTP 201 post urn:li:share:7212345678901234567")
        #expect(outcome.pauseChannelUntil == nil)
    }

    /// Header names are case-insensitive on the wire; a proxy may well send `X-RestLi-Id`.
    @Test func theRestliHeaderIsFoundWhateverItsCase() {
        let outcome = adapter.outcome(of: F.answer(201, [HTTPHeader("X-RestLi-Id", "urn:li:ugcPost:42")]), now: F.now)
        #expect(outcome.post?.url == "https://www.linkedin.com/feed/update/urn:li:ugcPost:42/")
    }

    /// The post exists but cannot be linked to; it is still a delivery, not a failure to retry into a duplicate.
    @Test func aCreatedPostWithoutAURNStillDelivers() throws {
        let outcome = adapter.outcome(of: F.answer(201), now: F.now)
        #expect(outcome.post == nil)
        #expect(try #require(outcome.proof).contains("named no post"))
    }

    @Test func anExpiredTokenIsPermanentAndNamesTheStatus() throws {
        let body = #"{"status":401,"serviceErrorCode":65601,"code":"EXPIRED_ACCESS_TOKEN","message":"The token used in the request has expired"}"#
        let reason = try #require(adapter.outcome(of: F.answer(401, body: body), now: F.now).permanentReason)
        #expect(reason.contains("HTTP 401"))
        #expect(reason.contains("EXPIRED_ACCESS_TOKEN"))
    }

    @Test func anInactiveVersionIsPermanentAndNamesTheVersion() throws {
        let body = #"{"status":426,"code":"NONEXISTENT_VERSION","message":"Requested version 20240101 is not active"}"#
        let reason = try #require(adapter.outcome(of: F.answer(426, body: body), now: F.now).permanentReason)
        #expect(reason.contains("HTTP 426"))
        #expect(reason.contains("202506"))
        #expect(reason.contains("api_version"))
    }

    @Test(arguments: [(400, "DUPLICATE_POST"), (403, "ACCESS_DENIED"), (422, "UNPROCESSABLE_ENTITY")])
    func refusalsOfThePostArePermanent(status: Int, code: String) throws {
        let body = "{\"status\":\(status),\"code\":\"\(code)\",\"message\":\"refused\"}"
        let reason = try #require(adapter.outcome(of: F.answer(status, body: body), now: F.now).permanentReason)
        #expect(reason.contains("LinkedIn"))
        #expect(reason.contains("HTTP \(status)"))
        #expect(reason.contains(code))
    }

    /// LinkedIn's quotas are daily and its 429 names no reset, so the channel pauses for the configured time.
    @Test(arguments: [900.0, 3600.0])
    func aThrottledPostPausesTheChannelForTheConfiguredTime(pause: TimeInterval) throws {
        let outcome = Self.adapter(throttlePause: pause).outcome(of: F.answer(429, body: #"{"status":429,"message":"Resource level throttle limit reached"}"#), now: F.now)
        let retry = try #require(outcome.retried)
        #expect(retry.after == F.now.addingTimeInterval(pause))
        #expect(retry.pauseChannel)
        #expect(retry.reason.contains("429"))
        #expect(outcome.pauseChannelUntil == F.now.addingTimeInterval(pause))
    }

    @Test func aRetryAfterOnA429IsHonoured() throws {
        let retry = try #require(adapter.outcome(of: F.answer(429, [HTTPHeader("Retry-After", "300")]), now: F.now).retried)
        #expect(retry.after == F.resumeAt)
        #expect(retry.pauseChannel)
    }

    @Test func anUnansweredPostIsAmbiguousAndNeverRecognisedAsARepeat() throws {
        let reason = try #require(adapter.outcome(of: F.timeout, now: F.now).ambiguousReason)
        #expect(reason.contains("LinkedIn"))
        #expect(adapter.repeatRecognition == .none)
    }
}
