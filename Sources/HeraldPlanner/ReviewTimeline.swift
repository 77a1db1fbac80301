import Foundation
import HeraldCore

/// Works out when each notice about a review's publication goes, following the publication strategy's lead times.
///
/// Lead times are minimums: a step that lands on a weekend or bank holiday moves to the previous working day,
/// never later, and a plan that cannot give every step its lead time is refused with the earliest date that can.
public enum ReviewTimeline {
    /// Plans every step and refuses a plan that could not be carried out as planned: a step before sign-off, or a
    /// step whose send time is not after `now`. Pure: no I/O, time comes from `now`.
    public static func plan(
        _ request: ReviewPlanRequest,
        calendar: WorkingDayCalendar,
        sendTime: SendTime,
        now: Date
    ) throws -> [PlannedStep] {
        let planned = try steps(request, calendar: calendar, sendTime: sendTime)
        guard let problem = problem(with: planned, request: request, sendTime: sendTime, now: now) else {
            return planned
        }
        let earliest = try earliestPublication(for: request, calendar: calendar, sendTime: sendTime, now: now)
        throw HeraldError(
            .invalidInput,
            "\(problem) The earliest publication date that gives every step its lead time is \(earliest) "
                + "(\(earliest.weekdayName))."
        )
    }

    /// The same step dates without the "too soon" and sign-off checks, for rescheduling (where some steps are
    /// already sent) and for status. Still refuses a publication day that is not a working day, sign-off after
    /// publication, a learning event outside its allowed range, and dates the calendar does not cover.
    public static func steps(
        _ request: ReviewPlanRequest,
        calendar: WorkingDayCalendar,
        sendTime: SendTime
    ) throws -> [PlannedStep] {
        let publish = request.publish
        guard try calendar.isWorkingDay(publish) else {
            let previous = try calendar.previousWorkingDay(onOrBefore: publish)
            let next = try calendar.nextWorkingDay(onOrAfter: publish)
            throw HeraldError(
                .invalidInput,
                "The publication date \(publish.longDescription) is not a working day "
                    + "(\(calendar.reasonNotWorking(publish))). "
                    + "Publish on \(previous.longDescription) or \(next.longDescription) instead."
            )
        }
        guard request.signedOff <= publish else {
            throw HeraldError(
                .invalidInput,
                "The review was signed off on \(request.signedOff.longDescription), after the publication date "
                    + "\(publish.longDescription). Publish on or after the day it was signed off."
            )
        }
        if let event = request.learningEvent {
            try validate(learningEvent: event, publish: publish, calendar: calendar)
        }
        return try request.type.steps.compactMap { step in
            guard let (date, nominal) = try date(of: step, request: request, calendar: calendar) else { return nil }
            return PlannedStep(
                step: step,
                date: date,
                sendAt: sendTime.instant(on: date),
                movedFrom: date == nominal ? nil : nominal
            )
        }
    }

    /// Earliest publication date ≥ (today + 1) whose plan passes `plan`, ignoring the learning event (its steps
    /// never come before publication, so they cannot make an otherwise valid date fail).
    /// - Parameter considering: only these steps must still be ahead (a reschedule, where some were sent); nil for all.
    public static func earliestPublication(
        for request: ReviewPlanRequest,
        calendar: WorkingDayCalendar,
        sendTime: SendTime,
        now: Date,
        considering: Set<ReviewStep>? = nil
    ) throws -> LocalDate {
        var trial = request
        trial.learningEvent = nil
        trial.publish = max(LocalDate.today(in: sendTime.timeZone, now: now).adding(days: 1), request.signedOff)
        while true {
            if try calendar.isWorkingDay(trial.publish) {
                let planned = try steps(trial, calendar: calendar, sendTime: sendTime).filter { considering?.contains($0.step) ?? true }
                if problem(with: planned, request: trial, sendTime: sendTime, now: now) == nil {
                    return trial.publish
                }
            }
            trial.publish = trial.publish.adding(days: 1)
        }
    }

    /// The first reason a computed plan cannot go ahead as planned, as a sentence, or nil if it can.
    private static func problem(
        with planned: [PlannedStep],
        request: ReviewPlanRequest,
        sendTime: SendTime,
        now: Date
    ) -> String? {
        let publication = "Publication on \(request.publish.longDescription)"
        if let early = planned.first(where: { $0.date < request.signedOff }) {
            return "\(publication) is too early: \(describe(early.step)) would go on \(early.date.longDescription), "
                + "before the review was signed off on \(request.signedOff.longDescription)."
        }
        if let past = planned.first(where: { $0.sendAt <= now }) {
            return "\(publication) is too soon: \(describe(past.step)) would go at \(sendTime.clockDescription) "
                + "on \(past.date.longDescription), which is not in the future."
        }
        return nil
    }

    /// The step's date after moving to a working day, and the nominal date its lead time gives; nil for a
    /// learning-event step when no learning event is planned.
    private static func date(
        of step: ReviewStep,
        request: ReviewPlanRequest,
        calendar: WorkingDayCalendar
    ) throws -> (date: LocalDate, nominal: LocalDate)? {
        let publish = request.publish
        switch step.leadTime {
        case .daysBeforePublication(let days):
            let nominal = publish.adding(days: -days)
            return (try calendar.previousWorkingDay(onOrBefore: nominal), nominal)
        case .workingDaysBeforePublication(let days):
            let date = try calendar.workingDays(days, before: publish)
            return (date, date)
        case .onPublication:
            if step.needsLearningEvent && request.learningEvent == nil { return nil }
            return (publish, publish)
        case .workingDaysBeforeLearningEvent(let days):
            guard let event = request.learningEvent else { return nil }
            let date = try calendar.workingDays(days, before: event)
            return (date, date)
        }
    }

    private static func validate(
        learningEvent event: LocalDate,
        publish: LocalDate,
        calendar: WorkingDayCalendar
    ) throws {
        let first = publish.adding(days: 7)
        let last = publish.adding(days: 42)
        let range = "from \(first.longDescription) to \(last.longDescription)"
        guard (first...last).contains(event) else {
            let offset = publish.days(until: event)
            let relation = switch offset {
            case 0: "is on publication day"
            case 1: "is 1 day after publication"
            case 2...: "is \(offset) days after publication"
            case -1: "is 1 day before publication"
            default: "is \(-offset) days before publication"
            }
            throw HeraldError(
                .invalidInput,
                "The learning event on \(event.longDescription) \(relation); it must be between 7 days and 6 weeks "
                    + "after publication on \(publish.longDescription). Choose a working day \(range)."
            )
        }
        guard try calendar.isWorkingDay(event) else {
            throw HeraldError(
                .invalidInput,
                "The learning event date \(event.longDescription) is not a working day "
                    + "(\(calendar.reasonNotWorking(event))). Choose a working day \(range)."
            )
        }
    }

    /// The step's title as it reads mid-sentence, e.g. "the notice to practitioners and managers (21 days before
    /// publication)".
    private static func describe(_ step: ReviewStep) -> String {
        "the \(step.title.prefix(1).lowercased())\(step.title.dropFirst()) (\(step.leadTimeDescription))"
    }
}
