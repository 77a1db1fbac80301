import Foundation
import HeraldPlanner
import Testing

/// A notice planned for 09:00 must leave at 09:00 local time on its own day, whichever side of a clock change it
/// falls.
@Suite struct SendTimeTests {
    @Test(arguments: [
        ("2026-03-27", 9, 0, "Europe/London", "2026-03-27T09:00:00Z"),  // Friday before the clocks go forward
        ("2026-03-29", 9, 0, "Europe/London", "2026-03-29T08:00:00Z"),  // the change happened at 01:00Z
        ("2026-03-30", 9, 0, "Europe/London", "2026-03-30T08:00:00Z"),
        ("2026-10-23", 9, 0, "Europe/London", "2026-10-23T08:00:00Z"),  // Friday before the clocks go back
        ("2026-10-25", 9, 0, "Europe/London", "2026-10-25T09:00:00Z"),
        ("2026-10-26", 9, 0, "Europe/London", "2026-10-26T09:00:00Z"),
        ("2026-06-15", 17, 30, "Europe/London", "2026-06-15T16:30:00Z"),
        ("2026-12-01", 0, 0, "Europe/London", "2026-12-01T00:00:00Z"),
        ("2026-03-27", 9, 0, "America/New_York", "2026-03-27T13:00:00Z"),  // EDT since 8 March
        ("2026-03-27", 9, 0, "UTC", "2026-03-27T09:00:00Z"),
    ])
    func convertsLocalWallClockTime(date: String, hour: Int, minute: Int, zone: String, expected: String) throws {
        let sendTime = SendTime(hour: hour, minute: minute, timeZone: try #require(TimeZone(identifier: zone)))
        #expect(Fixture.utc(sendTime.instant(on: try Fixture.day(date))) == expected)
    }

    @Test func defaultsToNineInTheMorningInLondon() {
        #expect(SendTime() == SendTime(hour: 9, minute: 0, timeZone: TimeZone(identifier: "Europe/London")!))
    }
}
