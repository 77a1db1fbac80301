import Foundation

/// One step of a review's plan: the working day it goes and the instant it is sent.
public struct PlannedStep: Sendable, Equatable {
    public var step: ReviewStep
    /// The day the step goes, after moving off weekends and bank holidays.
    public var date: LocalDate
    public var sendAt: Date
    /// Set when the step moved from its nominal date, e.g. "moved from Saturday 28 March 2026 (weekend)" or
    /// "(Good Friday)", so a plan can explain why a notice goes earlier than its lead time suggests.
    public var movedFrom: LocalDate?

    public init(step: ReviewStep, date: LocalDate, sendAt: Date, movedFrom: LocalDate? = nil) {
        self.step = step
        self.date = date
        self.sendAt = sendAt
        self.movedFrom = movedFrom
    }

    /// The explanation to show next to a moved step, e.g. "moved from Monday 6 April 2026 (Easter Monday)";
    /// nil when the step did not move.
    public func moveNote(calendar: WorkingDayCalendar) -> String? {
        guard let movedFrom else { return nil }
        return "moved from \(movedFrom.longDescription) (\(calendar.reasonNotWorking(movedFrom)))"
    }
}
