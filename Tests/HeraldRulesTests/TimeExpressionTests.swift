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

    @Test(arguments: ["", "tomorrow", "+5 mins", "+5", "2027-07-01", "2027-07-01T09:00:00", "+-5s", "+1e400s", "2027-13-01T09:00:00Z"])
    func garbageIsRefusedWithAHint(text: String) {
        #expect {
            try TimeExpression.parse(text, now: now)
        } throws: { error in
            (error as? HeraldError)?.message.contains("ISO 8601") == true
        }
    }
}
