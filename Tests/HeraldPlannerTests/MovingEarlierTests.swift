import HeraldPlanner
import Testing

/// Lead times are minimums, so a step that lands on a non-working day goes on the previous working day, never
/// the next one.
@Suite struct MovingEarlierTests {
    @Test(arguments: [
        // (type, publish, step, nominal day, day it goes, note)
        (ReviewType.sar, "2026-06-15", ReviewStep.practitionerNotice, "2026-05-25", "2026-05-22",
         "moved from Monday 25 May 2026 (Spring bank holiday)"),
        (.llr, "2026-04-27", .practitionerNotice, "2026-04-06", "2026-04-02",
         "moved from Monday 6 April 2026 (Easter Monday)"),
        (.sar, "2026-04-24", .practitionerNotice, "2026-04-03", "2026-04-02",
         "moved from Friday 3 April 2026 (Good Friday)"),
        (.cspr, "2026-04-20", .commsPartnerBriefing, "2026-04-06", "2026-04-02",
         "moved from Monday 6 April 2026 (Easter Monday)"),
        (.sar, "2026-04-13", .commsOrganisationsNotice, "2026-04-06", "2026-04-02",
         "moved from Monday 6 April 2026 (Easter Monday)"),
        (.cspr, "2027-01-18", .practitionerNotice, "2026-12-28", "2026-12-24",
         "moved from Monday 28 December 2026 (Boxing Day)"),
        (.sar, "2027-01-08", .practitionerNotice, "2026-12-18", "2026-12-18", nil),
        (.llr, "2028-01-17", .practitionerNotice, "2027-12-27", "2027-12-24",
         "moved from Monday 27 December 2027 (Christmas Day)"),
        (.sar, "2028-01-10", .commsOrganisationsNotice, "2028-01-03", "2027-12-31",
         "moved from Monday 3 January 2028 (New Year’s Day)"),
    ] as [(ReviewType, String, ReviewStep, String, String, String?)])
    func stepsOnNonWorkingDaysMoveToThePreviousWorkingDay(
        type: ReviewType, publish: String, step: ReviewStep, nominal: String, date: String, note: String?
    ) throws {
        let calendar = try Fixture.calendar()
        let request = try Fixture.request(type, publish: publish)
        let planned = try ReviewTimeline.plan(request, calendar: calendar, sendTime: SendTime(), now: Fixture.longAgo)
        let moved = try #require(planned.first { $0.step == step })
        #expect(moved.date.description == date)
        #expect(moved.movedFrom?.description == (note == nil ? nil : nominal))
        #expect(moved.moveNote(calendar: calendar) == note)
    }

    @Test(arguments: [
        ("2026-03-28", "2026-03-27"),  // Saturday → Friday
        ("2026-03-29", "2026-03-27"),  // Sunday → Friday
        ("2026-03-27", "2026-03-27"),  // a working day stays put
        ("2026-04-06", "2026-04-02"),  // Easter Monday, the weekend and Good Friday → Thursday
        ("2026-04-05", "2026-04-02"),  // Easter Sunday
        ("2026-05-04", "2026-05-01"),  // Early May bank holiday → Friday
        ("2026-12-28", "2026-12-24"),  // Boxing Day substitute, weekend, Christmas Day → Thursday
        ("2027-12-28", "2027-12-24"),  // both Christmas substitutes and the weekend → Friday
        ("2028-01-03", "2027-12-31"),  // New Year's Day substitute → Friday
        ("2024-12-26", "2024-12-24"),  // Boxing Day and Christmas Day → Tuesday
    ])
    func previousWorkingDay(date: String, expected: String) throws {
        let calendar = try Fixture.calendar()
        #expect(try calendar.previousWorkingDay(onOrBefore: Fixture.day(date)).description == expected)
    }

    @Test(arguments: [
        ("2026-04-03", "2026-04-07"),  // Good Friday → Tuesday after Easter Monday
        ("2026-03-28", "2026-03-30"),  // Saturday → Monday
        ("2026-12-25", "2026-12-29"),
        ("2027-12-25", "2027-12-29"),
        ("2026-04-07", "2026-04-07"),
    ])
    func nextWorkingDay(date: String, expected: String) throws {
        let calendar = try Fixture.calendar()
        #expect(try calendar.nextWorkingDay(onOrAfter: Fixture.day(date)).description == expected)
    }

    @Test(arguments: [
        (7, "2026-04-08", "2026-03-26"),  // skips Easter Monday, Good Friday and two weekends
        (1, "2026-04-07", "2026-04-02"),  // the day after Easter Monday
        (1, "2026-04-13", "2026-04-10"),  // an ordinary Monday
        (3, "2026-12-29", "2026-12-22"),
        (5, "2026-03-30", "2026-03-23"),  // across the clocks going forward
        (0, "2026-04-08", "2026-04-08"),
    ])
    func countingBackWorkingDays(count: Int, date: String, expected: String) throws {
        let calendar = try Fixture.calendar()
        #expect(try calendar.workingDays(count, before: Fixture.day(date)).description == expected)
    }
}
