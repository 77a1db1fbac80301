import Foundation
import HeraldRules
import Testing

/// Times are worked out by hand: 2026-01-01T00:00:00Z is 1_767_225_600, so 10:00:00Z is 1_767_261_600.
/// The server's clock (the `Date` header) runs one minute ahead of ours.
@Suite struct RateLimitHeadersTests {
    static let serverTen = "Thu, 01 Jan 2026 10:00:00 GMT"
    /// Local 09:59:00 while the server says 10:00:00.
    let now = Date(timeIntervalSince1970: 1_767_261_540)
    /// 10:04:00 local is 10:05:00 on the server's clock.
    let fourMinutesOn = Date(timeIntervalSince1970: 1_767_261_840)

    func read(_ style: RateLimitStyle, _ headers: [String: String]) -> RateLimitReading {
        RateLimitHeaders.read(
            style: style, header: { name in headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value }, now: now
        )
    }

    @Test(arguments: [
        (RateLimitStyle.xRateLimit, ["x-rate-limit-remaining": "0", "x-rate-limit-reset": "1767261900"]),
        (.rateLimit, ["ratelimit-remaining": "0", "ratelimit-reset": "1767261900"]),
        (.mastodon, ["X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2026-01-01T10:05:00.000000Z"]),
        (.mastodon, ["X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2026-01-01T10:05:00Z"]),
        (.mastodon, ["X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2026-01-01T11:05:00+01:00"]),
        (.mastodon, ["X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2026-01-01T09:35:00-0030"]),
    ])
    func spentBudgetPausesUntilTheResetOnTheLocalClock(style: RateLimitStyle, headers: [String: String]) {
        let reading = read(style, headers.merging(["Date": Self.serverTen]) { old, _ in old })
        #expect(reading == RateLimitReading(remaining: 0, resumeAt: fourMinutesOn, exhausted: true))
    }

    @Test func mastodonFractionsAreKept() {
        let reading = read(.mastodon, ["Date": Self.serverTen, "X-RateLimit-Reset": "2026-01-01T10:05:00.500Z"])
        #expect(reading.resumeAt == fourMinutesOn.addingTimeInterval(0.5))
    }

    @Test func withoutADateHeaderTheResetIsReckonedAgainstNow() {
        let reading = read(.xRateLimit, ["x-rate-limit-remaining": "0", "x-rate-limit-reset": "1767261900"])
        #expect(reading.resumeAt == Date(timeIntervalSince1970: 1_767_261_900))
    }

    @Test func remainingBudgetIsNotExhausted() {
        let reading = read(.rateLimit, ["Date": Self.serverTen, "ratelimit-remaining": "2999", "ratelimit-reset": "1767261900"])
        #expect(reading == RateLimitReading(remaining: 2999, resumeAt: fourMinutesOn, exhausted: false))
    }

    @Test func resetInThePastResumesNowAndFarResetsAreCapped() {
        let past = read(.xRateLimit, ["Date": Self.serverTen, "x-rate-limit-remaining": "0", "x-rate-limit-reset": "1767261000"])
        #expect(past.resumeAt == now)
        let far = read(.xRateLimit, ["Date": Self.serverTen, "x-rate-limit-remaining": "0", "x-rate-limit-reset": "1777261600"])
        #expect(far.resumeAt == now.addingTimeInterval(RetryAfter.maximum))
    }

    @Test func retryAfterSecondsWinsOverTheReset() {
        let reading = read(
            .xRateLimit, ["Date": Self.serverTen, "x-rate-limit-remaining": "0", "x-rate-limit-reset": "1767261900", "Retry-After": "30"]
        )
        #expect(reading == RateLimitReading(remaining: 0, resumeAt: now.addingTimeInterval(30), exhausted: true))
    }

    @Test func retryAfterHTTPDateIsReckonedAgainstTheResponseDate() {
        let reading = read(.retryAfter, ["Date": Self.serverTen, "Retry-After": "Thu, 01 Jan 2026 10:02:00 GMT"])
        #expect(reading == RateLimitReading(remaining: nil, resumeAt: now.addingTimeInterval(120), exhausted: false))
    }

    @Test(arguments: RateLimitStyle.allCases)
    func retryAfterIsReadForEveryStyle(style: RateLimitStyle) {
        #expect(read(style, ["Retry-After": "120"]).resumeAt == now.addingTimeInterval(120))
    }

    @Test(arguments: RateLimitStyle.allCases)
    func missingHeadersSayNothing(style: RateLimitStyle) {
        #expect(read(style, ["Date": Self.serverTen]) == RateLimitReading(remaining: nil, resumeAt: nil, exhausted: false))
        #expect(read(style, [:]) == RateLimitReading())
    }

    @Test(arguments: ["", "abc", "-1", "1.5", "0x10", " ", "1e3"])
    func garbageRemainingIsIgnored(value: String) {
        let reading = read(.xRateLimit, ["x-rate-limit-remaining": value])
        #expect(reading == RateLimitReading())
    }

    @Test(arguments: ["", "soon", "nan", "inf", "0x10", "-5", "1767261900s", "1.2.3", "Thu, 01 Jan 2026 10:05:00 GMT"])
    func garbageEpochResetIsIgnored(value: String) {
        #expect(read(.rateLimit, ["Date": Self.serverTen, "ratelimit-reset": value]).resumeAt == nil)
    }

    @Test(arguments: [
        "1767261900", "2026-01-01T10:05:00", "2026-01-01T10:05:00.Z", "2026-13-01T10:05:00Z", "2026-01-01T25:05:00Z",
        "2026-01-01T10:05:00Zjunk", "2026-01-01 10:05", "garbage",
    ])
    func garbageMastodonResetIsIgnored(value: String) {
        #expect(read(.mastodon, ["Date": Self.serverTen, "X-RateLimit-Reset": value]).resumeAt == nil)
    }

    @Test func facebookBusinessUseCaseEstimateIsInMinutes() {
        let usage = #"{"112233":[{"type":"pages","call_count":100,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":5}]}"#
        let reading = read(.facebookUsage, ["Date": Self.serverTen, "X-Business-Use-Case-Usage": usage])
        #expect(reading == RateLimitReading(remaining: nil, resumeAt: now.addingTimeInterval(300), exhausted: true))
    }

    @Test func facebookTakesTheLargestEstimate() {
        let usage = #"""
            {"1":[{"type":"pages","call_count":40,"estimated_time_to_regain_access":2},
                  {"type":"ads_management","call_count":99,"estimated_time_to_regain_access":7}],
             "2":[{"type":"pages","call_count":1,"estimated_time_to_regain_access":0}]}
            """#
        let reading = read(.facebookUsage, ["X-Business-Use-Case-Usage": usage, "X-App-Usage": #"{"call_count":5}"#])
        #expect(reading == RateLimitReading(remaining: nil, resumeAt: now.addingTimeInterval(420), exhausted: true))
    }

    @Test func facebookAppAndPageUsageAtOneHundredPercentIsExhausted() {
        let app = read(.facebookUsage, ["X-App-Usage": #"{"call_count":28,"total_time":25,"total_cputime":25}"#])
        #expect(app == RateLimitReading())
        let page = read(.facebookUsage, ["X-App-Usage": #"{"call_count":28}"#, "X-Page-Usage": #"{"call_count":12,"total_time":100}"#])
        #expect(page == RateLimitReading(remaining: nil, resumeAt: nil, exhausted: true))
    }

    @Test func facebookZeroEstimateIsNotExhausted() {
        let usage = #"{"9":[{"type":"pages","call_count":50,"total_cputime":3,"total_time":4,"estimated_time_to_regain_access":0}]}"#
        #expect(read(.facebookUsage, ["X-Business-Use-Case-Usage": usage]) == RateLimitReading(resumeAt: now, exhausted: false))
    }

    @Test(arguments: [
        "{not json", "[1,2]", "\"x\"", "", "null", #"{"call_count":"lots"}"#, #"{"1":[{"estimated_time_to_regain_access":-3}]}"#,
        #"{"1":"pages"}"#,
    ])
    func facebookGarbageIsIgnored(value: String) {
        for name in ["X-Business-Use-Case-Usage", "X-App-Usage", "X-Page-Usage"] {
            #expect(read(.facebookUsage, [name: value]) == RateLimitReading())
        }
    }
}
