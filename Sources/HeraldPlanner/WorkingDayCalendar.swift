import HeraldCore

/// Which days count as working days in England and Wales: Monday to Friday, except bank holidays.
///
/// Bank holidays are announced a few years ahead only, so the calendar knows which years its data covers and
/// refuses to guess outside them rather than silently treating an unknown holiday as a working day.
public struct WorkingDayCalendar: Sendable {
    /// Where the holidays came from (e.g. the file path), so errors say which file to replace.
    public let source: String
    public let coveredYears: ClosedRange<Int>
    private let holidays: [LocalDate: String]

    /// For holidays without names (tests, other sources); messages then call each one "bank holiday".
    public init(bankHolidays: Set<LocalDate>, coveredYears: ClosedRange<Int>, source: String) {
        self.init(
            namedBankHolidays: Dictionary(uniqueKeysWithValues: bankHolidays.map { ($0, "bank holiday") }),
            coveredYears: coveredYears,
            source: source
        )
    }

    /// Keeps each holiday's name (e.g. "Easter Monday") so messages can say why a day is not a working day.
    public init(namedBankHolidays: [LocalDate: String], coveredYears: ClosedRange<Int>, source: String) {
        self.holidays = namedBankHolidays
        self.coveredYears = coveredYears
        self.source = source
    }

    /// Throws for days outside `coveredYears`, where a missing holiday could not be told from a working day.
    public func isWorkingDay(_ date: LocalDate) throws -> Bool {
        guard coveredYears.contains(date.year) else { throw uncovered(date) }
        return !date.isWeekend && holidays[date] == nil
    }

    /// Lead times are minimums, so a step that lands on a non-working day moves here, never later.
    public func previousWorkingDay(onOrBefore date: LocalDate) throws -> LocalDate {
        var candidate = date
        while try !isWorkingDay(candidate) {
            candidate = candidate.adding(days: -1)
        }
        return candidate
    }

    /// For suggesting a publication date when the one asked for is not a working day.
    public func nextWorkingDay(onOrAfter date: LocalDate) throws -> LocalDate {
        var candidate = date
        while try !isWorkingDay(candidate) {
            candidate = candidate.adding(days: 1)
        }
        return candidate
    }

    /// The working day `count` working days before `date`, not counting `date` itself: with `count` 1 and a
    /// Monday `date`, the previous Friday. `count` must not be negative.
    public func workingDays(_ count: Int, before date: LocalDate) throws -> LocalDate {
        precondition(count >= 0, "workingDays(_:before:) counts backwards; pass a count of zero or more")
        var candidate = date
        var remaining = count
        while remaining > 0 {
            candidate = candidate.adding(days: -1)
            if try isWorkingDay(candidate) { remaining -= 1 }
        }
        return candidate
    }

    /// How many working days fall from `start` up to the day before `end`: how many working days before `end` a
    /// notice sent on `start` arrived (a Friday is 1 working day before the Monday after it). Zero if `start` is
    /// not before `end`.
    public func workingDays(from start: LocalDate, until end: LocalDate) throws -> Int {
        var count = 0
        var day = start
        while day < end {
            if try isWorkingDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }

    /// The holiday's name, e.g. "Easter Monday", for messages; nil on other days.
    public func holidayName(_ date: LocalDate) -> String? {
        holidays[date]
    }

    /// Why a day that is not a working day is not one, e.g. "Good Friday" or "weekend", for messages.
    func reasonNotWorking(_ date: LocalDate) -> String {
        holidays[date] ?? "weekend"
    }

    private func uncovered(_ date: LocalDate) -> HeraldError {
        let years = coveredYears.lowerBound == coveredYears.upperBound
            ? "\(coveredYears.lowerBound)" : "\(coveredYears.lowerBound)–\(coveredYears.upperBound)"
        return HeraldError(
            .configuration,
            "The bank-holiday calendar (\(source)) covers \(years) only; \(date.longDescription) is outside it. "
                + "Choose dates inside it, or replace it with a newer copy of the public feed from \(Self.feedAddress)."
        )
    }

    /// The public feed this calendar's data comes from, named in errors that ask for a fresh copy.
    public static let feedAddress = "https://www.gov.uk/bank-holidays.json"
}
