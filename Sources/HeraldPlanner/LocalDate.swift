import Foundation
import HeraldCore

/// A calendar day with no time or zone, e.g. parsed from "2026-04-15".
///
/// Review timelines are set in days people plan around, not instants, so lead times are counted here with plain
/// day arithmetic and only turned into a `Date` at the very end (see `SendTime`), where the time zone is known.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Returns nil for days that do not exist (30 February, 29 February outside leap years), so a `LocalDate`
    /// always names a real day.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Accepts only `YYYY-MM-DD`, because "4/5/2026" means different days to different people. `what` names the
    /// field (e.g. "--publish") so the error points at what to fix.
    public init(parsing text: String, what: String) throws {
        let invalid = HeraldError(
            .invalidInput,
            "\(what) '\(text.prefix(40))' is not a date. Write it as YYYY-MM-DD, e.g. 2026-04-15."
        )
        let characters = Array(text.utf8)
        guard characters.count == 10, characters[4] == UInt8(ascii: "-"), characters[7] == UInt8(ascii: "-") else {
            throw invalid
        }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for character in characters[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(character) else { return nil }
                value = value * 10 + Int(character - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let date = LocalDate(year: year, month: month, day: day)
        else { throw invalid }
        self = date
    }

    /// The day `days` later (or earlier, if negative); lead times are whole calendar days.
    public func adding(days: Int) -> LocalDate {
        LocalDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// ISO numbering, 1 = Monday ... 7 = Sunday, so weekends are simply 6 and 7.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        (daysSinceEpoch + 3).modulo(7) + 1
    }

    /// The English day name, for messages people read.
    public var weekdayName: String {
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][weekday - 1]
    }

    public var description: String {
        "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))"
    }

    /// The unambiguous form for messages, e.g. "Wednesday 15 April 2026".
    public var longDescription: String {
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        return "\(weekdayName) \(day) \(months[month - 1]) \(year)"
    }

    /// The local date at `now` in `timeZone`; "today" depends on where the partnership is, not on UTC.
    public static func today(in timeZone: TimeZone, now: Date) -> LocalDate {
        let local = now.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: now))
        return LocalDate(daysSinceEpoch: Int((local / 86_400).rounded(.down)))
    }

    /// `other` minus `self`, in days: positive when `other` is later.
    public func days(until other: LocalDate) -> Int {
        other.daysSinceEpoch - daysSinceEpoch
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Stored as the same `YYYY-MM-DD` text people type, so saved plans stay readable.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try LocalDate(parsing: text, what: "date")
        } catch {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(text)' is not a YYYY-MM-DD date."
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: Day arithmetic (proleptic Gregorian, days since 1970-01-01)

    init(daysSinceEpoch: Int) {
        let civil = CivilDate(daysSinceEpoch: daysSinceEpoch)
        year = civil.year
        month = civil.month
        day = civil.day
    }

    var daysSinceEpoch: Int {
        let marchYear = month <= 2 ? year - 1 : year
        let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
        let yearOfEra = marchYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    var isWeekend: Bool { weekday >= 6 }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

extension Int {
    /// The remainder with the sign of the divisor, so weekdays of dates before 1970 come out right.
    fileprivate func modulo(_ divisor: Int) -> Int {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
