import Foundation
import HeraldPlanner
import Testing

/// When a review is rescheduled, notices already sent are judged against the new plan, so the operator hears
/// which ones no longer gave people the notice the strategy promises.
@Suite struct ShortfallTests {
    /// For a SAR published on Wednesday 15 April 2026 the steps are planned on 25 March (practitioner notice),
    /// 1 April (partner briefing), 8 April (organisations notice) and 15 April (written briefing).
    @Test(arguments: [
        (ReviewStep.practitionerNotice, "2026-04-02T08:00:00Z",
         "sent on Thursday 2 April 2026, 13 days before publication on Wednesday 15 April 2026; "
            + "the strategy asks for 21 days before publication"),
        (.practitionerNotice, "2026-03-25T09:00:00Z", nil),
        (.practitionerNotice, "2026-03-11T09:00:00Z", nil),
        (.practitionerNotice, "2026-03-25T23:59:00Z", nil),  // still 25 March in GMT
        (.practitionerNotice, "2026-03-26T00:30:00Z",
         "sent on Thursday 26 March 2026, 20 days before publication on Wednesday 15 April 2026; "
            + "the strategy asks for 21 days before publication"),
        (.practitionerNotice, "2026-04-17T08:00:00Z",
         "sent on Friday 17 April 2026, 2 days after publication on Wednesday 15 April 2026; "
            + "the strategy asks for 21 days before publication"),
        // 23:30Z on 8 April is 00:30 BST on 9 April.
        (.commsOrganisationsNotice, "2026-04-08T23:30:00Z",
         "sent on Thursday 9 April 2026, 6 days before publication on Wednesday 15 April 2026; "
            + "the strategy asks for 7 days before publication"),
        (.commsOrganisationsNotice, "2026-04-08T22:30:00Z", nil),
        (.commsPartnerBriefing, "2026-04-15T08:00:00Z",
         "sent on Wednesday 15 April 2026, publication day; the strategy asks for 14 days before publication"),
        (.writtenBriefing, "2026-04-14T08:00:00Z",
         "sent on Tuesday 14 April 2026, 1 day before publication on Wednesday 15 April 2026; "
            + "the strategy asks for it on publication day"),
        (.writtenBriefing, "2026-04-10T08:00:00Z",
         "sent on Friday 10 April 2026, 5 days before publication on Wednesday 15 April 2026; "
            + "the strategy asks for it on publication day"),
        (.writtenBriefing, "2026-04-15T08:00:00Z", nil),
        (.writtenBriefing, "2026-04-14T23:30:00Z", nil),  // 00:30 BST on publication day
        (.writtenBriefing, "2026-04-16T08:00:00Z", nil),
    ] as [(ReviewStep, String, String?)])
    func judgesSentStepsAgainstThePlan(step: ReviewStep, sentAt: String, expected: String?) throws {
        let request = try Fixture.request(.sar, publish: "2026-04-15")
        let sendTime = SendTime()
        let planned = try ReviewTimeline.steps(request, calendar: try Fixture.calendar(), sendTime: sendTime)
        let plannedStep = try #require(planned.first { $0.step == step })
        let shortfall = ReviewTimeline.shortfall(
            of: step, sentAt: try Fixture.instant(sentAt), planned: plannedStep, publish: request.publish, sendTime: sendTime,
            calendar: try Fixture.calendar()
        )
        #expect(shortfall == expected)
    }

    @Test func learningEventStepsSentBeforePublicationFallShort() throws {
        let request = try Fixture.request(.llr, publish: "2026-04-15", learningEvent: "2026-05-13")
        let sendTime = SendTime()
        let planned = try ReviewTimeline.steps(request, calendar: try Fixture.calendar(), sendTime: sendTime)
        let reminder = try #require(planned.first { $0.step == .learningEventReminder })
        #expect(reminder.date.description == "2026-05-08")
        #expect(
            ReviewTimeline.shortfall(
                of: .learningEventReminder, sentAt: try Fixture.instant("2026-04-14T08:00:00Z"), planned: reminder,
                publish: request.publish, sendTime: sendTime, calendar: try Fixture.calendar()
            ) == "sent on Tuesday 14 April 2026, 1 day before publication on Wednesday 15 April 2026; "
                + "the strategy asks for it 3 working days before the learning event"
        )
    }

    /// The national panel asks for seven working days: a notice nine calendar days ahead across Easter gives fewer,
    /// and the sentence counts them the way the strategy does.
    @Test func aWorkingDayLeadTimeIsAnsweredInWorkingDays() throws {
        let request = try Fixture.request(.cspr, publish: "2026-04-15")
        let sendTime = SendTime()
        let planned = try ReviewTimeline.steps(request, calendar: try Fixture.calendar(), sendTime: sendTime)
        let notice = try #require(planned.first { $0.step == .nationalPanelNotice })
        #expect(notice.date.description == "2026-04-02")
        let shortfall = ReviewTimeline.shortfall(
            of: .nationalPanelNotice, sentAt: try Fixture.instant("2026-04-06T08:00:00Z"), planned: notice, publish: request.publish,
            sendTime: sendTime, calendar: try Fixture.calendar()
        )
        // Monday 6 April is Easter Monday: the working days left are 7, 8, 9, 10, 13 and 14 April.
        #expect(shortfall == "sent on Monday 6 April 2026, 6 working days before publication on Wednesday 15 April 2026; "
            + "the strategy asks for 7 working days before publication")
    }
}
