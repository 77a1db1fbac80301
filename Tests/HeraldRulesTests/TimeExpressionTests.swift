import Foundation
import HeraldCore
import Testing

@Suite struct TimeExpressionTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: [("now", 0.0), ("+30s", 30.0), ("+5m", 300.0), ("+2h", 7200.0), ("+3d", 259_200.0), ("+250ms", 0.25)])
    func relative(text: String, offset: Double) throws {
        #expect(try TimeExpression.parse(text, now: now) == now.addingTimeInterval(offset))
    }

    @Test func isoWithOffset() throws {
        #expect(RFC3339.format(try TimeExpression.parse("2027-01-15T09:00:00+00:00", now: now)) == "2027-01-15T09:00:00.000Z")
        let summer = try TimeExpression.parse("2027-07-01T09:00:00+01:00", now: now)
        #expect(RFC3339.format(summer) == "2027-07-01T08:00:00.000Z")
        #expect(RFC3339.format(try TimeExpression.parse("2027-07-01T08:00:00.250Z", now: now)) == "2027-07-01T08:00:00.250Z")
    }

    @Test(arguments: ["", "tomorrow", "+5 mins", "+5", "2027-07-01", "2027-07-01T09:00:00", "+-5s", "+1e400s", "2027-13-01T09:00:00Z",
        "2027-01-01T25:00:00Z", "2027-02-29T09:00:00Z", "2027-04-31T09:00:00Z", "2027-01-01T09:00:00Zjunk", "2027-01-01T09:00:00."])
    func garbageIsRefusedWithAHint(text: String) {
        #expect {
            try TimeExpression.parse(text, now: now)
        } throws: { error in
            (error as? HeraldError)?.message.contains("ISO 8601") == true
        }
    }
}

@Suite struct RFC3339FormatTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"), (1_700_000_000.125, "2023-11-14T22:13:20.125Z"), (-1.5, "1969-12-31T23:59:58.500Z"),
        (951_782_400.0, "2000-02-29T00:00:00.000Z"), (4_102_444_799.999, "2099-12-31T23:59:59.999Z"),
    ])
    func formatsUTCWithMilliseconds(seconds: Double, text: String) {
        #expect(RFC3339.format(Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test func leapDaysAndLongFractionsParse() {
        #expect(RFC3339.parse("2028-02-29T12:00:00Z") == Date(timeIntervalSince1970: 1_835_438_400))
        #expect(RFC3339.parse("2026-01-01T12:05:00.500000Z") == Date(timeIntervalSince1970: 1_767_269_100.5))
    }

    @Test func formatAndParseRoundTrip() {
        let date = Date(timeIntervalSince1970: 1_800_000_123.456)
        #expect(RFC3339.parse(RFC3339.format(date)).map { ($0.timeIntervalSince1970 * 1000).rounded() } == 1_800_000_123_456)
    }
}
