import Foundation

/// When, in local wall-clock time, notices leave.
///
/// Kept as a wall-clock time and zone rather than a UTC offset so that a notice planned for 09:00 goes at 09:00
/// on its own day whether that day falls in GMT or BST.
public struct SendTime: Sendable, Equatable {
    /// 0–23.
    public var hour: Int
    /// 0–59.
    public var minute: Int
    public var timeZone: TimeZone

    public init(hour: Int = 9, minute: Int = 0, timeZone: TimeZone = TimeZone(identifier: "Europe/London")!) {
        self.hour = hour
        self.minute = minute
        self.timeZone = timeZone
    }

    /// The instant the send time falls on `date` in `timeZone`, using that day's own UTC offset.
    public func instant(on date: LocalDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = DateComponents(year: date.year, month: date.month, day: date.day, hour: hour, minute: minute)
        guard let instant = calendar.date(from: parts) else {
            preconditionFailure("A Gregorian calendar resolves every day and time of day; \(date) \(hour):\(minute)")
        }
        return instant
    }

    /// "09:00", for messages.
    var clockDescription: String {
        (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}
