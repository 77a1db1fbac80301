import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Parses the times an operator types: ISO 8601 with an offset, `now`, or a relative `+30s`, `+5m`, `+2h`, `+3d`.
public enum TimeExpression {
    public static func parse(_ text: String, now: Date) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "now" { return now }
        if trimmed.hasPrefix("+") {
            guard let seconds = DurationText.seconds(String(trimmed.dropFirst())) else {
                throw invalid(text)
            }
            guard seconds <= maximumAhead else {
                throw HeraldError(.invalidInput, "'\(text.prefix(60))' is more than 10 years ahead. Give a time within 3650 days.")
            }
            return now.addingTimeInterval(seconds)
        }
        if let date = RFC3339.parse(trimmed) {
            guard date.timeIntervalSince(now) <= maximumAhead else {
                throw HeraldError(.invalidInput, "'\(text.prefix(60))' is more than 10 years ahead. Give a time within 3650 days.")
            }
            return date
        }
        throw invalid(text)
    }

    /// How far ahead a relative time may reach: further is a typing mistake, and would overflow later arithmetic.
    public static let maximumAhead: TimeInterval = 3_650 * 86_400

    private static func invalid(_ text: String) -> HeraldError {
        HeraldError(
            .invalidInput,
            "'\(text.prefix(60))' is not a time. Use ISO 8601 with an offset (2026-03-01T09:00:00+00:00), 'now', or '+30s', '+5m', '+2h', '+3d'."
        )
    }
}

/// Durations written as a number and one unit: `250ms`, `30s`, `5m`, `2h`, `3d`. Callers bound the value (see
/// `TimeExpression.maximumAhead` and the configuration's per-key maximums), since what is too long depends on its use.
public enum DurationText {
    public static func seconds(_ text: String) -> TimeInterval? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            guard !number.isEmpty, number.count <= 20, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                let value = Double(number), (value * scale).isFinite
            else { return nil }
            return value * scale
        }
        return nil
    }
}

/// RFC 3339 timestamps, with any number of fraction digits or none; the offset is required (parsing is in
/// `RFC3339+Parse.swift`).
public enum RFC3339 {
    /// UTC with milliseconds, e.g. `2026-03-01T09:00:00.000Z`. Written by hand: it runs for every webhook body.
    public static func format(_ date: Date) -> String {
        let totalMillis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(totalMillis.floorDivided(by: 1000))
        let millis = Int(totalMillis - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }
}

extension Int64 {
    /// Division rounding towards negative infinity, so dates before 1970 format correctly.
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
