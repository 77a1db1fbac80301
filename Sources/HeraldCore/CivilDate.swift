/// A day of the proleptic Gregorian calendar worked out from a count of days since 1970-01-01, with plain integer
/// arithmetic: no `Calendar`, no locale, no time zone. Review planning counts days this way and every email's Date
/// header needs one, so it is worked out once, here.
public struct CivilDate: Equatable, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Eras of 400 years starting on 1 March make the leap day the last of its year, so month lengths follow a fixed
    /// pattern (Howard Hinnant's days-to-civil algorithm).
    public init(daysSinceEpoch: Int) {
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let marchMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * marchMonth + 2) / 5 + 1
        month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }
}
