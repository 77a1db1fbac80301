import Foundation
import HeraldCore
import HeraldPlanner
import Testing

/// The calendar is a copy of the public feed; a damaged or partial copy must be refused, not half-used.
@Suite struct WorkingDayCalendarTests {
    /// The official England and Wales bank holidays, written out by hand.
    static let official: [Int: [String]] = [
        2024: ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"],
        2025: ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"],
        2026: ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"],
        2027: ["01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"],
        2028: ["01-03", "04-14", "04-17", "05-01", "05-29", "08-28", "12-25", "12-26"],
        2029: ["01-01", "03-30", "04-02", "05-07", "05-28", "08-27", "12-25", "12-26"],
    ]

    @Test func theShippedFileCovers2024To2029() throws {
        let calendar = try Fixture.calendar()
        #expect(calendar.coveredYears == 2024...2029)
        #expect(calendar.source == Fixture.calendarPath)
    }

    @Test(arguments: 2024...2029)
    func theShippedFileHasExactlyTheOfficialHolidays(year: Int) throws {
        let calendar = try Fixture.calendar()
        var weekdaysOff: [String] = []
        var date = try #require(LocalDate(year: year, month: 1, day: 1))
        while date.year == year {
            if date.weekday <= 5, try !calendar.isWorkingDay(date) {
                weekdaysOff.append(String(date.description.dropFirst(5)))
            }
            date = date.adding(days: 1)
        }
        #expect(weekdaysOff == Self.official[year])
    }

    @Test(arguments: [
        ("2026-04-03", "Good Friday"),
        ("2026-04-06", "Easter Monday"),
        ("2026-12-28", "Boxing Day"),
        ("2028-01-03", "New Year’s Day"),
        ("2027-05-31", "Spring bank holiday"),
        ("2029-08-27", "Summer bank holiday"),
        ("2025-05-05", "Early May bank holiday"),
        ("2024-12-25", "Christmas Day"),
    ])
    func namesHolidays(date: String, name: String) throws {
        #expect(try Fixture.calendar().holidayName(Fixture.day(date)) == name)
    }

    @Test func ordinaryDaysHaveNoHolidayName() throws {
        let calendar = try Fixture.calendar()
        #expect(calendar.holidayName(try Fixture.day("2026-04-07")) == nil)
        #expect(calendar.holidayName(try Fixture.day("2026-04-04")) == nil)
    }

    static func feed(_ events: String) -> String {
        #"{"england-and-wales": {"division": "england-and-wales", "events": [\#(events)]}}"#
    }

    static func event(_ date: String) -> String {
        #"{"title": "Holiday", "date": "\#(date)", "notes": "", "bunting": true}"#
    }

    @Test(arguments: [
        ("not json at all", "is not JSON"),
        ("", "is not JSON"),
        ("[]", #"has no "england-and-wales" division"#),
        (#"{"scotland": {"division": "scotland", "events": []}}"#, #"has no "england-and-wales" division"#),
        (#"{"england-and-wales": []}"#, #"has no "england-and-wales" division"#),
        (#"{"england-and-wales": {"division": "england-and-wales"}}"#, #"has no "events" list"#),
        (feed(""), #"lists no "england-and-wales" bank holidays"#),
        (feed(event("2026-13-01")), "(number 1) dated '2026-13-01', which is not a YYYY-MM-DD date"),
        (feed(event("2026-01-01") + "," + event("01/05/2026")), "(number 2) dated '01/05/2026'"),
        (feed(#"{"title": "Holiday"}"#), "(number 1) without a date"),
        (feed(#""2026-01-01""#), "(number 1) without a date"),
        (feed(event("2024-01-01") + "," + event("2026-01-01")), "has no \"england-and-wales\" bank holidays in 2025"),
    ])
    func refusesDamagedFeeds(json: String, problem: String) {
        let error = Fixture.refusal { _ = try WorkingDayCalendar.load(json: Data(json.utf8), source: "copy.json") }
        #expect(error?.code == .configuration)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("The bank-holiday calendar copy.json "), "\(message)")
        #expect(message.contains(problem), "\(message)")
        #expect(message.hasSuffix("Replace it with a copy of https://www.gov.uk/bank-holidays.json."), "\(message)")
    }

    /// How many working days ahead a notice arrived: Good Friday and Easter Monday 2026 do not count.
    @Test(arguments: [
        ("2026-04-10", "2026-04-13", 1), ("2026-04-11", "2026-04-13", 0), ("2026-04-13", "2026-04-13", 0),
        ("2026-04-14", "2026-04-13", 0), ("2026-04-02", "2026-04-15", 7), ("2026-04-01", "2026-04-08", 3),
    ])
    func workingDaysBetween(start: String, end: String, count: Int) throws {
        #expect(try Fixture.calendar().workingDays(from: Fixture.day(start), until: Fixture.day(end)) == count)
    }

    @Test func readsOnlyEnglandAndWales() throws {
        let json = #"{"scotland": {"division": "scotland", "events": [\#(Self.event("2026-01-02"))]},"#
            + #""england-and-wales": {"division": "england-and-wales", "events": [\#(Self.event("2026-01-01"))]}}"#
        let calendar = try WorkingDayCalendar.load(json: Data(json.utf8), source: "copy.json")
        #expect(calendar.coveredYears == 2026...2026)
        #expect(try calendar.isWorkingDay(Fixture.day("2026-01-02")))
        #expect(try !calendar.isWorkingDay(Fixture.day("2026-01-01")))
    }


    @Test func refusesDaysOutsideItsYears() throws {
        let calendar = WorkingDayCalendar(
            bankHolidays: [try Fixture.day("2026-01-01"), try Fixture.day("2026-04-06")], coveredYears: 2026...2026, source: "inline"
        )
        #expect(calendar.holidayName(try Fixture.day("2026-04-06")) == "bank holiday")
        #expect(try !calendar.isWorkingDay(Fixture.day("2026-04-06")))
        let error = Fixture.refusal { _ = try calendar.previousWorkingDay(onOrBefore: Fixture.day("2026-01-01")) }
        #expect(error?.code == .configuration)
        #expect(
            error?.message == "The bank-holiday calendar (inline) covers 2026 only; Wednesday 31 December 2025 is outside "
                + "it. Choose dates inside it, or replace it with a newer copy of the public feed from "
                + "https://www.gov.uk/bank-holidays.json."
        )
    }
}
