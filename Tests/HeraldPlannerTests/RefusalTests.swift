import Foundation
import HeraldCore
import HeraldPlanner
import Testing

/// Plans that cannot be carried out are refused with a message that names the facts and what to do instead.
@Suite struct RefusalTests {
    @Test(arguments: ["XYZ", "", "SARS", "S A R", "child"])
    func unknownReviewTypes(text: String) throws {
        let error = Fixture.refusal { _ = try ReviewType.parse(text) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message == "'\(text)' is not a review type. Use SAR, CSPR or LLR.")
    }

    @Test(arguments: [
        ("2026-04-04", "(weekend)", "Thursday 2 April 2026", "Tuesday 7 April 2026"),
        ("2026-04-05", "(weekend)", "Thursday 2 April 2026", "Tuesday 7 April 2026"),
        ("2026-04-03", "(Good Friday)", "Thursday 2 April 2026", "Tuesday 7 April 2026"),
        ("2026-04-06", "(Easter Monday)", "Thursday 2 April 2026", "Tuesday 7 April 2026"),
        ("2026-05-25", "(Spring bank holiday)", "Friday 22 May 2026", "Tuesday 26 May 2026"),
        ("2026-12-28", "(Boxing Day)", "Thursday 24 December 2026", "Tuesday 29 December 2026"),
        ("2027-12-27", "(Christmas Day)", "Friday 24 December 2027", "Wednesday 29 December 2027"),
    ])
    func publicationMustBeOnAWorkingDay(publish: String, reason: String, previous: String, next: String) throws {
        let request = try Fixture.request(.sar, publish: publish)
        let calendar = try Fixture.calendar()
        let error = Fixture.refusal {
            _ = try ReviewTimeline.plan(request, calendar: calendar, sendTime: SendTime(), now: Fixture.longAgo)
        }
        #expect(error?.code == .invalidInput)
        let message = error?.message ?? ""
        #expect(message.contains("is not a working day \(reason)"), "\(message)")
        #expect(message.contains(previous), "\(message)")
        #expect(message.contains(next), "\(message)")
        #expect(Fixture.refusal { _ = try ReviewTimeline.steps(request, calendar: calendar, sendTime: SendTime()) } != nil)
    }

    @Test func signOffMustNotBeAfterPublication() throws {
        let request = try Fixture.request(.cspr, signedOff: "2026-04-16", publish: "2026-04-15")
        let calendar = try Fixture.calendar()
        let error = Fixture.refusal { _ = try ReviewTimeline.steps(request, calendar: calendar, sendTime: SendTime()) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("signed off on Thursday 16 April 2026") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("Wednesday 15 April 2026") == true, "\(error?.message ?? "")")
    }

    @Test(arguments: [
        // (type, signed off, publish, step, its date, earliest)
        (ReviewType.sar, "2026-03-16", "2026-04-01", "notice to practitioners and managers", "Wednesday 11 March 2026",
         "2026-04-07 (Tuesday)"),
        (.cspr, "2026-03-27", "2026-04-08", "notice to practitioners and managers", "Wednesday 18 March 2026",
         "2026-04-17 (Friday)"),
        // The nominal day (Easter Monday) is after sign-off, but the day it moves back to is not.
        (.llr, "2026-04-04", "2026-04-27", "notice to practitioners and managers", "Thursday 2 April 2026",
         "2026-04-28 (Tuesday)"),
    ])
    func noStepBeforeSignOff(
        type: ReviewType, signedOff: String, publish: String, step: String, date: String, earliest: String
    ) throws {
        let request = try Fixture.request(type, signedOff: signedOff, publish: publish)
        let error = Fixture.refusal {
            _ = try ReviewTimeline.plan(request, calendar: try Fixture.calendar(), sendTime: SendTime(), now: Fixture.longAgo)
        }
        #expect(error?.code == .invalidInput)
        let message = error?.message ?? ""
        #expect(message.contains(step), "\(message)")
        #expect(message.contains("would go on \(date), before the review was signed off"), "\(message)")
        #expect(message.contains("earliest publication date that gives every step its lead time is \(earliest)"), "\(message)")
    }

    @Test(arguments: [
        // (type, signed off, publish, now, step's day, earliest)
        (ReviewType.sar, "2026-03-01", "2026-04-01", "2026-03-20T10:00:00Z", "Wednesday 11 March 2026", "2026-04-13 (Monday)"),
        (.sar, "2026-03-01", "2026-04-10", "2026-03-20T10:00:00Z", "Friday 20 March 2026", "2026-04-13 (Monday)"),
        // A send time exactly at `now` is not in the future.
        (.sar, "2026-03-01", "2026-04-10", "2026-03-20T09:00:00Z", "Friday 20 March 2026", "2026-04-13 (Monday)"),
        (.sar, "2026-03-01", "2026-04-01", "2026-03-20T08:59:00Z", "Wednesday 11 March 2026", "2026-04-10 (Friday)"),
        (.cspr, "2026-03-01", "2026-04-08", "2026-03-20T10:00:00Z", "Wednesday 18 March 2026", "2026-04-13 (Monday)"),
        // 09:00 BST on 1 April is 08:00Z, so at 08:30Z that notice is already late.
        (.llr, "2026-03-01", "2026-04-22", "2026-04-01T08:30:00Z", "Wednesday 1 April 2026", "2026-04-23 (Thursday)"),
        // Christmas Eve is too soon; Christmas Day and the Boxing Day substitute are not working days.
        (.llr, "2026-12-01", "2026-12-24", "2026-12-03T23:30:00Z", "Thursday 3 December 2026", "2026-12-29 (Tuesday)"),
    ])
    func publicationTooSoon(
        type: ReviewType, signedOff: String, publish: String, now: String, date: String, earliest: String
    ) throws {
        let request = try Fixture.request(type, signedOff: signedOff, publish: publish)
        let calendar = try Fixture.calendar()
        let now = try Fixture.instant(now)
        let error = Fixture.refusal {
            _ = try ReviewTimeline.plan(request, calendar: calendar, sendTime: SendTime(), now: now)
        }
        #expect(error?.code == .invalidInput)
        let message = error?.message ?? ""
        #expect(message.contains("is too soon: the notice to practitioners and managers"), "\(message)")
        #expect(message.contains("at 09:00 on \(date)"), "\(message)")
        #expect(message.contains("earliest publication date that gives every step its lead time is \(earliest)"), "\(message)")
        // Rescheduling and status still see the dates.
        #expect(try ReviewTimeline.steps(request, calendar: calendar, sendTime: SendTime()).count > 0)
    }

    @Test(arguments: [
        (ReviewType.sar, "2026-03-16", "2026-01-01T12:00:00Z", "2026-04-07"),
        (.sar, "2026-03-01", "2026-03-20T10:00:00Z", "2026-04-13"),
        (.sar, "2026-03-01", "2026-03-31T23:30:00Z", "2026-04-22"),
        (.cspr, "2026-11-20", "2026-11-20T10:00:00Z", "2026-12-14"),
        (.llr, "2026-04-04", "2026-01-01T12:00:00Z", "2026-04-28"),
        (.llr, "2026-03-01", "2026-04-01T07:30:00Z", "2026-04-22"),
    ])
    func earliestPublication(type: ReviewType, signedOff: String, now: String, expected: String) throws {
        let request = try Fixture.request(type, signedOff: signedOff, publish: "2029-12-31", learningEvent: "2030-01-01")
        let earliest = try ReviewTimeline.earliestPublication(
            for: request, calendar: try Fixture.calendar(), sendTime: SendTime(), now: Fixture.instant(now)
        )
        #expect(earliest.description == expected)
    }

    @Test(arguments: [
        ("2026-04-07", "is 6 days after publication"),
        ("2026-05-14", "is 43 days after publication"),
        ("2026-04-01", "is on publication day"),
        ("2026-03-31", "is 1 day before publication"),
        ("2026-04-11", "is not a working day (weekend)"),
        ("2026-05-04", "is not a working day (Early May bank holiday)"),
    ])
    func learningEventMustBeAWorkingDayOneToSixWeeksAfterPublication(event: String, problem: String) throws {
        let request = try Fixture.request(.sar, publish: "2026-04-01", learningEvent: event)
        let calendar = try Fixture.calendar()
        let error = Fixture.refusal { _ = try ReviewTimeline.steps(request, calendar: calendar, sendTime: SendTime()) }
        #expect(error?.code == .invalidInput)
        let message = error?.message ?? ""
        #expect(message.contains(problem), "\(message)")
        #expect(message.contains("from Wednesday 8 April 2026 to Wednesday 13 May 2026"), "\(message)")
    }

    @Test(arguments: [
        (ReviewType.sar, "2030-01-07", nil as String?, "Monday 7 January 2030"),
        (.sar, "2024-01-10", nil, "Wednesday 20 December 2023"),
        (.cspr, "2024-01-05", nil, "Friday 15 December 2023"),
        (.llr, "2029-12-19", "2030-01-07", "Monday 7 January 2030"),
    ])
    func datesOutsideTheCalendarAreRefused(type: ReviewType, publish: String, event: String?, date: String) throws {
        let request = try Fixture.request(type, signedOff: "2023-01-01", publish: publish, learningEvent: event)
        let error = Fixture.refusal {
            _ = try ReviewTimeline.plan(request, calendar: try Fixture.calendar(), sendTime: SendTime(), now: Fixture.longAgo)
        }
        #expect(error?.code == .configuration)
        let message = error?.message ?? ""
        #expect(message.contains("The bank-holiday calendar (\(Fixture.calendarPath)) covers 2024–2029 only"), "\(message)")
        #expect(message.contains(date), "\(message)")
        #expect(message.contains("replace it with a newer copy of the public feed"), "\(message)")
    }

    @Test func theEarliestDateSearchStopsAtTheEndOfTheCalendar() throws {
        let request = try Fixture.request(.sar, signedOff: "2029-12-01", publish: "2029-12-21")
        let now = try Fixture.instant("2029-12-20T12:00:00Z")
        let error = Fixture.refusal {
            _ = try ReviewTimeline.plan(request, calendar: try Fixture.calendar(), sendTime: SendTime(), now: now)
        }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("covers 2024–2029 only") == true, "\(error?.message ?? "")")
    }
}
