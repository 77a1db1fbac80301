import Foundation
import HeraldRules
import Testing

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(base: 2, cap: 60, maxAttempts: 5)

    @Test(arguments: [(1, 2.0), (2, 4.0), (3, 8.0), (5, 32.0), (6, 60.0), (40, 60.0)])
    func ceilingDoublesUpToTheCap(attempt: Int, ceiling: Double) {
        #expect(policy.ceiling(afterAttempt: attempt) == ceiling)
    }

    @Test func fullJitterSpansZeroToTheCeiling() {
        #expect(policy.delay(afterAttempt: 3, unit: 0) == 0)
        #expect(policy.delay(afterAttempt: 3, unit: 0.5) == 4)
        #expect(policy.delay(afterAttempt: 3, unit: 0.999) < 8)
    }

    @Test func attemptsRunOutAtTheMaximum() {
        #expect(policy.allowsAnotherAttempt(after: 4))
        #expect(!policy.allowsAnotherAttempt(after: 5))
    }
}

@Suite struct RetryAfterTests {
    let now = Date(timeIntervalSince1970: 1_445_412_480)

    @Test func seconds() {
        #expect(RetryAfter.resumeTime(header: "120", responseDate: nil, now: now) == now.addingTimeInterval(120))
    }

    @Test func httpDateAgainstTheResponseDate() {
        let resume = RetryAfter.resumeTime(
            header: "Wed, 21 Oct 2015 07:28:00 GMT", responseDate: "Wed, 21 Oct 2015 07:27:00 GMT", now: now
        )
        #expect(resume == now.addingTimeInterval(60))
    }

    @Test func pastDatesClampToNowAndHugeValuesToADay() {
        #expect(RetryAfter.resumeTime(header: "Wed, 21 Oct 2015 07:00:00 GMT", responseDate: "Wed, 21 Oct 2015 07:27:00 GMT", now: now) == now)
        #expect(RetryAfter.resumeTime(header: "99999999999", responseDate: nil, now: now) == now.addingTimeInterval(86_400))
    }

    @Test(arguments: [nil, "", "soon", "-5", "1.5", "Wed, 21 Oct 2015"])
    func unreadableValuesAreIgnored(header: String?) {
        #expect(RetryAfter.resumeTime(header: header, responseDate: nil, now: now) == nil)
    }
}

@Suite struct RateLimitTests {
    @Test(arguments: [("10/s", 10, 1.0), ("600/m", 600, 60.0), ("5/h", 5, 3600.0)])
    func parses(text: String, count: Int, per: Double) {
        #expect(RateLimit(text: text) == RateLimit(count: count, per: per))
    }

    @Test(arguments: ["", "10", "0/s", "-1/s", "10/d", "ten/s", "10/s/s"])
    func refuses(text: String) {
        #expect(RateLimit(text: text) == nil)
    }

    @Test func bucketRefillsEvenly() {
        let t0 = Date(timeIntervalSince1970: 0)
        var bucket = TokenBucket(limit: RateLimit(count: 10, per: 1), now: t0)
        #expect(bucket.available(now: t0) == 10)
        bucket.consume(10)
        #expect(bucket.available(now: t0) == 0)
        #expect(bucket.nextTokenTime(now: t0) == t0.addingTimeInterval(0.1))
        #expect(bucket.available(now: t0.addingTimeInterval(0.55)) == 5)
        #expect(bucket.available(now: t0.addingTimeInterval(60)) == 10)
    }
}
