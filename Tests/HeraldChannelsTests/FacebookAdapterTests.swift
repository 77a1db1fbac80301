import Foundation
import HeraldChannels
import HeraldCore
import HeraldTransport
import Testing

/// Facebook Page posts (docs/channels.md §6b): Graph reports most errors, throttling included, as HTTP 400 with a
/// numeric `code`, so the code decides; usage headers carry percentages and minutes until access returns.
@Suite struct FacebookAdapterTests {
    typealias F = AdapterFixture
    var adapter: FacebookAdapter {
        FacebookAdapter(settings: .init(baseURL: "https://graph.facebook.com/v21.0/", pageID: "1234567890", token: "page-token"))
    }

    static func graphError(_ code: Int, message: String = "An error occurred", subcode: Int? = nil) -> String {
        let sub = subcode.map { ",\"error_subcode\":\($0)" } ?? ""
        return "{\"error\":{\"message\":\(JSONText.string(message)),\"type\":\"OAuthException\",\"code\":\(code)\(sub),\"fbtrace_id\":\"AbC\"}}"
    }

    @Test func aFacebookPostGoesToThePagesFeedWithTheBearerToken() throws {
        let request = try F.http(adapter.request(for: F.message("Review published: https://example.org/r"), now: F.now))
        #expect(request.method == "POST")
        #expect(request.url == "https://graph.facebook.com/v21.0/1234567890/feed")
        #expect(F.values("Authorization", in: request) == ["Bearer page-token"])
        #expect(F.values("Content-Type", in: request) == ["application/json; charset=utf-8"])
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"message":"Review published: https://example.org/r"}"#)
        // The token travels in the header only, never in the URL where proxies log it.
        #expect(!request.url.contains("page-token"))
    }

    @Test func aCreatedPostDeliversWithItsIdAndPageURL() {
        let outcome = adapter.outcome(of: F.answer(200, body: #"{"id":"1234567890_987654321"}"#), now: F.now)
        #expect(outcome.post == PublishedPost(id: "1234567890_987654321", url: "https://www.facebook.com/1234567890_987654321"))
        #expect(outcome.proof == "HTTP 200 post 1234567890_987654321")
        #expect(outcome.pauseChannelUntil == nil)
    }

    /// Business-Use-Case usage nests one entry per use-case type under the business id.
    @Test func aSuccessThatSpendsTheBusinessUseCaseBudgetPausesUntilAccessReturns() {
        let usage = #"{"1234567890":[{"type":"pages","call_count":100,"total_cputime":12,"total_time":9,"estimated_time_to_regain_access":5}]}"#
        let headers = [F.serverDate, HTTPHeader("X-Business-Use-Case-Usage", usage)]
        let outcome = adapter.outcome(of: F.answer(200, headers, body: #"{"id":"1_2"}"#), now: F.now)
        #expect(outcome.post?.id == "1_2")
        #expect(outcome.pauseChannelUntil == F.resumeAt)
    }

    @Test func aSuccessWithUsageToSpareDoesNotPause() {
        let headers = [HTTPHeader("X-App-Usage", #"{"call_count":42,"total_cputime":10,"total_time":12}"#)]
        #expect(adapter.outcome(of: F.answer(200, headers, body: #"{"id":"1_2"}"#), now: F.now).pauseChannelUntil == nil)
    }

    /// Throttling arrives as HTTP 400 with one of Graph's rate-limit codes: retry once access returns, channel paused.
    @Test(arguments: [4, 17, 32, 613, 80001])
    func aThrottlingCodeRetriesWhenAccessReturnsAndPausesTheChannel(code: Int) throws {
        let usage = #"{"call_count":100,"total_cputime":20,"total_time":30,"estimated_time_to_regain_access":5}"#
        let headers = [HTTPHeader("X-Page-Usage", usage)]
        let outcome = adapter.outcome(of: F.answer(400, headers, body: Self.graphError(code, message: "Application request limit reached")), now: F.now)
        let retry = try #require(outcome.retried)
        #expect(retry.after == F.resumeAt)
        #expect(retry.pauseChannel)
        #expect(retry.reason.contains("Facebook error \(code)"))
        #expect(retry.reason.contains("HTTP 400"))
        #expect(outcome.pauseChannelUntil == F.resumeAt)
    }

    @Test func aThrottlingCodeWithoutUsageHeadersPausesForTheDefaultMinute() throws {
        let retry = try #require(adapter.outcome(of: F.answer(400, body: Self.graphError(32)), now: F.now).retried)
        #expect(retry.after == F.now.addingTimeInterval(60))
        #expect(retry.pauseChannel)
    }

    @Test func a429WithoutAGraphErrorAlsoPausesTheChannel() throws {
        let retry = try #require(adapter.outcome(of: F.answer(429, [HTTPHeader("Retry-After", "300")]), now: F.now).retried)
        #expect(retry.after == F.resumeAt)
        #expect(retry.pauseChannel)
    }

    @Test func anInvalidOrExpiredTokenIsPermanentAndSaysToIssueANewOne() throws {
        let body = Self.graphError(190, message: "Error validating access token: Session has expired", subcode: 463)
        let reason = try #require(adapter.outcome(of: F.answer(400, body: body), now: F.now).permanentReason)
        #expect(reason.contains("Facebook error 190"))
        #expect(reason.contains("HTTP 400"))
        #expect(reason.contains("Session has expired"))
        #expect(reason.contains("new one"))
    }

    @Test(arguments: [(10, 403), (200, 403), (100, 400), (506, 400), (368, 400)])
    func permissionParameterDuplicateAndPolicyCodesArePermanent(code: Int, status: Int) throws {
        let reason = try #require(adapter.outcome(of: F.answer(status, body: Self.graphError(code)), now: F.now).permanentReason)
        #expect(reason.contains("Facebook error \(code) (HTTP \(status))"))
    }

    @Test(arguments: [(1, 500), (2, 503), (1, 400)])
    func unknownAndTemporaryCodesRetryWithoutPausing(code: Int, status: Int) throws {
        let retry = try #require(adapter.outcome(of: F.answer(status, body: Self.graphError(code)), now: F.now).retried)
        #expect(retry.after == nil)
        #expect(!retry.pauseChannel)
        #expect(retry.reason.contains("Facebook error \(code)"))
    }

    @Test(arguments: [500, 502, 503, 504])
    func serverErrorsWithoutAGraphErrorRetryWithoutPausing(status: Int) throws {
        let retry = try #require(adapter.outcome(of: F.answer(status, body: "<html>Bad Gateway</html>"), now: F.now).retried)
        #expect(retry.after == nil)
        #expect(!retry.pauseChannel)
    }

    @Test func anUnansweredPostIsAmbiguousAndNeverRecognisedAsARepeat() throws {
        let reason = try #require(adapter.outcome(of: F.timeout, now: F.now).ambiguousReason)
        #expect(reason.contains("Facebook"))
        #expect(adapter.repeatRecognition == .none)
    }

    /// Graph's error message is read out of the JSON, where escapes can carry any character: it must be cleaned like
    /// any other excerpt of the body.
    @Test(arguments: [
        "token expired\r\nX-Forged: yes", "bell\u{7} and escape \u{1B}[31m", String(repeating: "long ", count: 10_000),
        "first\u{2028}second",
    ])
    func aHostileGraphErrorMessageGivesAShortSingleLineReason(message: String) {
        for code in [190, 4, 1, 100] {
            F.expectSafe(adapter.outcome(of: F.answer(400, body: Self.graphError(code, message: message)), now: F.now))
        }
    }

    @Test func aHostilePostIdGivesAShortSingleLineProof() {
        let id = "1_2\r\nX-Forged: yes\u{0}" + String(repeating: "9", count: 5_000)
        F.expectSafe(adapter.outcome(of: F.answer(200, body: "{\"id\":\(JSONText.string(id))}"), now: F.now))
    }
}
