import Foundation
import HeraldCore
import HeraldPlanner
import Testing

/// Dates arrive as text typed by operators; anything but a real YYYY-MM-DD day is refused rather than guessed.
@Suite struct LocalDateTests {
    @Test(arguments: [
        "2026-02-30", "15/04/2026", "", "2026-4-5", "2025-02-29", "2100-02-29", "2026-13-01", "2026-00-10",
        "2026-04-00", "2026-04-31", "2026-04-15T09:00", " 2026-04-15", "2026-04-15 ", "+026-04-15", "2026/04/15",
        "0000-01-01", "２０２６-04-15", "today",
    ])
    func malformedDatesAreRefused(text: String) {
        let error = Fixture.refusal { _ = try LocalDate(parsing: text, what: "--publish") }
        #expect(error?.code == .invalidInput)
        #expect(error?.message == "--publish '\(text)' is not a date. Write it as YYYY-MM-DD, e.g. 2026-04-15.")
    }

    @Test(arguments: [
        ("2026-04-15", 3, "Wednesday", "Wednesday 15 April 2026"),
        ("2028-02-29", 2, "Tuesday", "Tuesday 29 February 2028"),
        ("2000-02-29", 2, "Tuesday", "Tuesday 29 February 2000"),
        ("1969-12-31", 3, "Wednesday", "Wednesday 31 December 1969"),
        ("2026-03-29", 7, "Sunday", "Sunday 29 March 2026"),
        ("2027-01-04", 1, "Monday", "Monday 4 January 2027"),
        ("2029-12-01", 6, "Saturday", "Saturday 1 December 2029"),
    ])
    func namesDays(text: String, weekday: Int, weekdayName: String, long: String) throws {
        let date = try Fixture.day(text)
        #expect(date.description == text)
        #expect(date.weekday == weekday)
        #expect(date.weekdayName == weekdayName)
        #expect(date.longDescription == long)
    }

    @Test(arguments: [
        ("2026-04-01", -21, "2026-03-11"),
        ("2026-03-01", -1, "2026-02-28"),
        ("2028-03-01", -1, "2028-02-29"),
        ("2026-12-31", 1, "2027-01-01"),
        ("2027-01-05", -21, "2026-12-15"),
        ("2026-04-01", 42, "2026-05-13"),
        ("2026-04-15", 0, "2026-04-15"),
    ])
    func addsDays(text: String, days: Int, expected: String) throws {
        let date = try Fixture.day(text)
        let later = date.adding(days: days)
        #expect(later.description == expected)
        #expect(date.days(until: later) == days)
        #expect(later.days(until: date) == -days)
    }

    @Test func validatesComponents() {
        #expect(LocalDate(year: 2028, month: 2, day: 29)?.description == "2028-02-29")
        #expect(LocalDate(year: 2026, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2026, month: 4, day: 31) == nil)
        #expect(LocalDate(year: 2026, month: 13, day: 1) == nil)
        #expect(LocalDate(year: 2026, month: 1, day: 0) == nil)
    }

    @Test func ordersByDay() throws {
        #expect(try Fixture.day("2026-12-31") < Fixture.day("2027-01-01"))
        #expect(try Fixture.day("2026-04-09") < Fixture.day("2026-04-10"))
        #expect(try Fixture.day("2026-10-01") > Fixture.day("2026-09-30"))
    }

    @Test(arguments: [
        ("2026-03-31T23:30:00Z", "Europe/London", "2026-04-01"),  // 00:30 BST
        ("2026-01-31T23:30:00Z", "Europe/London", "2026-01-31"),  // 23:30 GMT
        ("2026-10-24T23:30:00Z", "Europe/London", "2026-10-25"),  // 00:30 BST, the night the clocks go back
        ("2026-04-15T03:00:00Z", "America/New_York", "2026-04-14"),
    ])
    func todayIsTheLocalDate(now: String, zone: String, expected: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        #expect(LocalDate.today(in: timeZone, now: try Fixture.instant(now)).description == expected)
    }

    @Test func encodesAsTheTextPeopleType() throws {
        let date = try Fixture.day("2026-04-15")
        let json = try JSONEncoder().encode([date])
        #expect(String(decoding: json, as: UTF8.self) == #"["2026-04-15"]"#)
        #expect(try JSONDecoder().decode([LocalDate].self, from: json) == [date])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDate].self, from: Data(#"["2026-02-30"]"#.utf8)) }
    }
}
