import Foundation

extension ReviewTimeline {
    /// For a step already SENT at `sentAt`: nil if it still meets its lead time relative to the (possibly new)
    /// plan, else a sentence such as "sent on Thursday 2 April 2026, 13 days before publication on Wednesday 15
    /// April 2026; the strategy asks for 21 days before publication", so rescheduling can say what fell short.
    ///
    /// A pre-publication step meets its lead time when its sent local date is on or before its planned date;
    /// publication-day and later steps when their sent local date is on or after publication, since for them
    /// going out before the review is public is the shortfall. A lead time in working days is answered in working
    /// days ("4 working days before publication"), counted with `calendar`.
    public static func shortfall(
        of step: ReviewStep,
        sentAt: Date,
        planned: PlannedStep,
        publish: LocalDate,
        sendTime: SendTime,
        calendar: WorkingDayCalendar
    ) -> String? {
        let sent = LocalDate.today(in: sendTime.timeZone, now: sentAt)
        let meetsLeadTime = step.isBeforePublication ? sent <= planned.date : sent >= publish
        guard !meetsLeadTime else { return nil }
        let offset = sent.days(until: publish)
        var unit = "day"
        var before = offset
        if case .workingDaysBeforePublication = step.leadTime, offset > 0, let working = try? calendar.workingDays(from: sent, until: publish) {
            unit = "working day"
            before = working
        }
        let relation = switch offset {
        case 0: "publication day"
        case 1...: "\(before) \(unit)\(before == 1 ? "" : "s") before publication on \(publish.longDescription)"
        case -1: "1 day after publication on \(publish.longDescription)"
        default: "\(-offset) days after publication on \(publish.longDescription)"
        }
        let asked = step.isBeforePublication ? step.leadTimeDescription : "it \(step.leadTimeDescription)"
        return "sent on \(sent.longDescription), \(relation); the strategy asks for \(asked)"
    }
}
