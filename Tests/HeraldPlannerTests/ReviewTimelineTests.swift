import Foundation
import HeraldPlanner
import Testing

/// One expected step: its working day, the UTC instant its local send time falls on, and the nominal day it moved
/// from, if any. Every value is written out by hand from the strategy's rules and the published bank holidays.
struct ExpectedStep: Sendable {
    let step: ReviewStep
    let date: String
    let utc: String
    let movedFrom: String?

    init(_ step: ReviewStep, _ date: String, _ utc: String, movedFrom: String? = nil) {
        self.step = step
        self.date = date
        self.utc = utc
        self.movedFrom = movedFrom
    }
}

struct TimelineCase: Sendable, CustomTestStringConvertible {
    let type: ReviewType
    let publish: String
    let learningEvent: String?
    let hour: Int
    let minute: Int
    let expected: [ExpectedStep]

    init(
        _ type: ReviewType, _ publish: String, _ learningEvent: String?, at time: (hour: Int, minute: Int) = (9, 0),
        _ expected: [ExpectedStep]
    ) {
        self.type = type
        self.publish = publish
        self.learningEvent = learningEvent
        self.hour = time.hour
        self.minute = time.minute
        self.expected = expected
    }

    var testDescription: String {
        "\(type.rawValue) published \(publish)" + (learningEvent.map { ", learning event \($0)" } ?? "")
    }
}

/// Whole timelines around the dates that go wrong in practice: the clocks changing between a notice and
/// publication, Easter, Christmas and New Year, and the national panel's working-day count crossing holidays.
@Suite struct ReviewTimelineTests {
    static let cases: [TimelineCase] = [
        // Clocks go forward on Sunday 29 March 2026: the early notices are at 09:00 GMT, publication at 09:00 BST.
        TimelineCase(.sar, "2026-04-01", nil, [
            ExpectedStep(.practitionerNotice, "2026-03-11", "2026-03-11T09:00:00Z"),
            ExpectedStep(.commsPartnerBriefing, "2026-03-18", "2026-03-18T09:00:00Z"),
            ExpectedStep(.commsOrganisationsNotice, "2026-03-25", "2026-03-25T09:00:00Z"),
            ExpectedStep(.writtenBriefing, "2026-04-01", "2026-04-01T08:00:00Z"),
        ]),
        // Seven working days back from Wednesday 8 April skip Easter Monday 6 April and Good Friday 3 April.
        TimelineCase(.cspr, "2026-04-08", "2026-04-15", [
            ExpectedStep(.practitionerNotice, "2026-03-18", "2026-03-18T09:00:00Z"),
            ExpectedStep(.commsPartnerBriefing, "2026-03-25", "2026-03-25T09:00:00Z"),
            ExpectedStep(.nationalPanelNotice, "2026-03-26", "2026-03-26T09:00:00Z"),
            ExpectedStep(.writtenBriefing, "2026-04-08", "2026-04-08T08:00:00Z"),
            ExpectedStep(.learningEventInvitation, "2026-04-08", "2026-04-08T08:00:00Z"),
            ExpectedStep(.learningEventReminder, "2026-04-10", "2026-04-10T08:00:00Z"),
        ]),
        // The day after Easter Monday, with a learning event exactly six weeks later.
        TimelineCase(.llr, "2026-04-07", "2026-05-19", [
            ExpectedStep(.practitionerNotice, "2026-03-17", "2026-03-17T09:00:00Z"),
            ExpectedStep(.commsPartnerBriefing, "2026-03-24", "2026-03-24T09:00:00Z"),
            ExpectedStep(.writtenBriefing, "2026-04-07", "2026-04-07T08:00:00Z"),
            ExpectedStep(.learningEventInvitation, "2026-04-07", "2026-04-07T08:00:00Z"),
            ExpectedStep(.learningEventReminder, "2026-05-14", "2026-05-14T08:00:00Z"),
        ]),
        // A SAR with every step, its seven-day notice in April after the clocks change.
        TimelineCase(.sar, "2026-04-08", "2026-05-20", [
            ExpectedStep(.practitionerNotice, "2026-03-18", "2026-03-18T09:00:00Z"),
            ExpectedStep(.commsPartnerBriefing, "2026-03-25", "2026-03-25T09:00:00Z"),
            ExpectedStep(.commsOrganisationsNotice, "2026-04-01", "2026-04-01T08:00:00Z"),
            ExpectedStep(.writtenBriefing, "2026-04-08", "2026-04-08T08:00:00Z"),
            ExpectedStep(.learningEventInvitation, "2026-04-08", "2026-04-08T08:00:00Z"),
            ExpectedStep(.learningEventReminder, "2026-05-15", "2026-05-15T08:00:00Z"),
        ]),
        // Clocks go back on Sunday 25 October 2026: the early notices are in BST, publication in GMT.
        TimelineCase(.sar, "2026-10-27", "2026-11-03", [
            ExpectedStep(.practitionerNotice, "2026-10-06", "2026-10-06T08:00:00Z"),
            ExpectedStep(.commsPartnerBriefing, "2026-10-13", "2026-10-13T08:00:00Z"),
            ExpectedStep(.commsOrganisationsNotice, "2026-10-20", "2026-10-20T08:00:00Z"),
            ExpectedStep(.writtenBriefing, "2026-10-27", "2026-10-27T09:00:00Z"),
            ExpectedStep(.learningEventInvitation, "2026-10-27", "2026-10-27T09:00:00Z"),
            ExpectedStep(.learningEventReminder, "2026-10-29", "2026-10-29T09:00:00Z"),
        ]),
        TimelineCase(.cspr, "2026-10-26", nil, [
            ExpectedStep(.practitionerNotice, "2026-10-05", "2026-10-05T08:00:00Z"),
            ExpectedStep(.commsPartnerBriefing, "2026-10-12", "2026-10-12T08:00:00Z"),
            ExpectedStep(.nationalPanelNotice, "2026-10-15", "2026-10-15T08:00:00Z"),
            ExpectedStep(.writtenBriefing, "2026-10-26", "2026-10-26T09:00:00Z"),
        ]),
        // An afternoon send time: 17:30 BST is 16:30Z, 17:30 GMT is 17:30Z.
        TimelineCase(.llr, "2026-10-28", nil, at: (17, 30), [
            ExpectedStep(.practitionerNotice, "2026-10-07", "2026-10-07T16:30:00Z"),
            ExpectedStep(.commsPartnerBriefing, "2026-10-14", "2026-10-14T16:30:00Z"),
            ExpectedStep(.writtenBriefing, "2026-10-28", "2026-10-28T17:30:00Z"),
        ]),
        // Seven working days back from Tuesday 5 January 2027 skip New Year's Day, the Boxing Day substitute
        // (Monday 28 December) and Christmas Day, landing on the same day as the 14-day briefing.
        TimelineCase(.cspr, "2027-01-05", nil, [
            ExpectedStep(.practitionerNotice, "2026-12-15", "2026-12-15T09:00:00Z"),
            ExpectedStep(.commsPartnerBriefing, "2026-12-22", "2026-12-22T09:00:00Z"),
            ExpectedStep(.nationalPanelNotice, "2026-12-22", "2026-12-22T09:00:00Z"),
            ExpectedStep(.writtenBriefing, "2027-01-05", "2027-01-05T09:00:00Z"),
        ]),
        // The seven-day notice lands on the Boxing Day substitute and moves back over Christmas and the weekend.
        TimelineCase(.sar, "2027-01-04", "2027-02-15", [
            ExpectedStep(.practitionerNotice, "2026-12-14", "2026-12-14T09:00:00Z"),
            ExpectedStep(.commsPartnerBriefing, "2026-12-21", "2026-12-21T09:00:00Z"),
            ExpectedStep(.commsOrganisationsNotice, "2026-12-24", "2026-12-24T09:00:00Z", movedFrom: "2026-12-28"),
            ExpectedStep(.writtenBriefing, "2027-01-04", "2027-01-04T09:00:00Z"),
            ExpectedStep(.learningEventInvitation, "2027-01-04", "2027-01-04T09:00:00Z"),
            ExpectedStep(.learningEventReminder, "2027-02-10", "2027-02-10T09:00:00Z"),
        ]),
        // 2027's Christmas falls at a weekend: both substitute days, then the weekend, are skipped.
        TimelineCase(.llr, "2028-01-18", nil, [
            ExpectedStep(.practitionerNotice, "2027-12-24", "2027-12-24T09:00:00Z", movedFrom: "2027-12-28"),
            ExpectedStep(.commsPartnerBriefing, "2028-01-04", "2028-01-04T09:00:00Z"),
            ExpectedStep(.writtenBriefing, "2028-01-18", "2028-01-18T09:00:00Z"),
        ]),
    ]

    @Test(arguments: cases)
    func plansEveryStep(row: TimelineCase) throws {
        let calendar = try Fixture.calendar()
        let request = try Fixture.request(row.type, publish: row.publish, learningEvent: row.learningEvent)
        let sendTime = SendTime(hour: row.hour, minute: row.minute)
        let planned = try ReviewTimeline.plan(request, calendar: calendar, sendTime: sendTime, now: Fixture.longAgo)

        #expect(planned.map(\.step) == row.expected.map(\.step))
        #expect(planned.map(\.date.description) == row.expected.map(\.date))
        #expect(planned.map { Fixture.utc($0.sendAt) } == row.expected.map(\.utc))
        #expect(planned.map { $0.movedFrom?.description } == row.expected.map(\.movedFrom))
        #expect(try ReviewTimeline.steps(request, calendar: calendar, sendTime: sendTime) == planned)
    }

    @Test(arguments: [
        (ReviewType.sar, [
            ReviewStep.practitionerNotice, .commsPartnerBriefing, .commsOrganisationsNotice, .writtenBriefing,
            .learningEventInvitation, .learningEventReminder,
        ]),
        (.cspr, [
            .practitionerNotice, .commsPartnerBriefing, .nationalPanelNotice, .writtenBriefing,
            .learningEventInvitation, .learningEventReminder,
        ]),
        (.llr, [.practitionerNotice, .commsPartnerBriefing, .writtenBriefing, .learningEventInvitation, .learningEventReminder]),
    ])
    func eachTypeHasItsOwnSteps(type: ReviewType, steps: [ReviewStep]) {
        #expect(type.steps == steps)
    }

    @Test(arguments: [
        (ReviewStep.practitionerNotice, "practitioners", true, "21 days before publication"),
        (.commsPartnerBriefing, "comms_partners", true, "14 days before publication"),
        (.commsOrganisationsNotice, "comms_organisations", true, "7 days before publication"),
        (.nationalPanelNotice, "national_panel", true, "7 working days before publication"),
        (.writtenBriefing, "practitioners", false, "on publication day"),
        (.learningEventInvitation, "practitioners", false, "on publication day"),
        (.learningEventReminder, "practitioners", false, "3 working days before the learning event"),
    ])
    func stepsKnowTheirAudienceAndLeadTime(step: ReviewStep, audience: String, before: Bool, leadTime: String) {
        #expect(step.audience == audience)
        #expect(step.isBeforePublication == before)
        #expect(step.leadTimeDescription == leadTime)
        #expect(!step.title.isEmpty)
    }

    @Test(arguments: [
        ("SAR", ReviewType.sar, "Safeguarding Adults Review"),
        ("sar", .sar, "Safeguarding Adults Review"),
        (" Cspr ", .cspr, "Child Safeguarding Practice Review"),
        ("llr", .llr, "Local Learning Review"),
    ])
    func reviewTypesParseInAnyCase(text: String, type: ReviewType, name: String) throws {
        #expect(try ReviewType.parse(text) == type)
        #expect(type.name == name)
    }

    @Test(arguments: ["2026-04-08", "2026-05-13"])
    func learningEventsOnTheEdgesOfTheRangeAreAccepted(event: String) throws {
        let request = try Fixture.request(.sar, publish: "2026-04-01", learningEvent: event)
        let planned = try ReviewTimeline.plan(request, calendar: try Fixture.calendar(), sendTime: SendTime(), now: Fixture.longAgo)
        #expect(planned.last?.step == .learningEventReminder)
    }

    @Test func aPlanJustInTimeIsAccepted() throws {
        // 09:00 BST on Wednesday 1 April 2026 is 08:00Z, half an hour after now.
        let request = try Fixture.request(.llr, signedOff: "2026-03-01", publish: "2026-04-22")
        let now = try Fixture.instant("2026-04-01T07:30:00Z")
        let planned = try ReviewTimeline.plan(request, calendar: try Fixture.calendar(), sendTime: SendTime(), now: now)
        #expect(Fixture.utc(planned[0].sendAt) == "2026-04-01T08:00:00Z")
    }
}
