import Foundation

/// Reads `Retry-After` (RFC 9110): delay-seconds or an IMF-fixdate HTTP-date.
public enum RetryAfter {
    /// The longest pause Herald accepts from a receiver; anything larger is taken as this.
    public static let maximum: TimeInterval = 86_400

    /// The time to resume, or nil when the header is absent or unreadable.
    /// An HTTP-date is reckoned against the response's own `Date` when given, not the local clock.
    public static func resumeTime(header: String?, responseDate: String?, now: Date) -> Date? {
        guard let raw = header?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        if raw.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let seconds = Double(raw) else { return nil }
            return now.addingTimeInterval(min(seconds, maximum))
        }
        guard let target = HTTPDate.parse(raw) else { return nil }
        let reference = responseDate.flatMap(HTTPDate.parse) ?? now
        let delay = min(max(0, target.timeIntervalSince(reference)), maximum)
        return now.addingTimeInterval(delay)
    }
}

/// IMF-fixdate, e.g. `Wed, 21 Oct 2015 07:28:00 GMT`.
public enum HTTPDate {
    public static func parse(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }
}
