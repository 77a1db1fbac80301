import Foundation
import HeraldCore

/// How a network reports its rate limit (docs/channels.md §8). Each network names and scales its reset
/// differently, so the channel says which dialect to read rather than Herald guessing from whatever is present.
public enum RateLimitStyle: String, Sendable, CaseIterable {
    /// Only `Retry-After` (Slack, generic webhooks, Teams Workflows).
    case retryAfter
    /// `x-rate-limit-remaining` / `x-rate-limit-reset` in Unix epoch seconds (X).
    case xRateLimit
    /// `ratelimit-remaining` / `ratelimit-reset` in Unix epoch seconds (Bluesky).
    case rateLimit
    /// `X-RateLimit-Remaining` / `X-RateLimit-Reset` as an ISO 8601 timestamp (Mastodon).
    case mastodon
    /// `X-Business-Use-Case-Usage`, `X-App-Usage` and `X-Page-Usage` JSON percentages (Facebook).
    case facebookUsage
}

/// What one response said about the remaining budget.
public struct RateLimitReading: Sendable, Equatable {
    /// Requests left in the window; nil when the network did not say (or said something unreadable).
    public var remaining: Int?
    /// When to send again, on the LOCAL clock: absolute resets are reckoned against the response `Date` header,
    /// i.e. `resumeAt = now + (reset - responseDate)`, because the two clocks may disagree by minutes; without a
    /// `Date` header, against `now`. Never before `now` and never more than `RetryAfter.maximum` after it.
    public var resumeAt: Date?
    /// True when the budget is spent (remaining == 0, or a Facebook usage percentage ≥ 100 or a positive
    /// estimated_time_to_regain_access), so the channel should pause until `resumeAt` instead of spending a
    /// request on a 429. A `Retry-After` alone sets `resumeAt` but not this: what it means depends on the status.
    public var exhausted: Bool

    /// - Parameters:
    ///   - remaining: Requests left, if known.
    ///   - resumeAt: Local time to resume, if known.
    ///   - exhausted: Whether the budget is spent.
    public init(remaining: Int? = nil, resumeAt: Date? = nil, exhausted: Bool = false) {
        self.remaining = remaining
        self.resumeAt = resumeAt
        self.exhausted = exhausted
    }
}

/// Reads rate-limit headers into a `RateLimitReading`. Unreadable values are ignored, never fatal: a receiver's
/// odd header must not fail a delivery that otherwise succeeded.
public enum RateLimitHeaders {
    /// - Parameters:
    ///   - style: Which network's headers to read.
    ///   - header: Looks a header up by name, case-insensitively (the caller passes `HTTPResponse.header`).
    ///   - now: The local time the response arrived.
    public static func read(style: RateLimitStyle, header: (String) -> String?, now: Date) -> RateLimitReading {
        let dateHeader = header("Date")
        let reference = dateHeader.flatMap(HTTPDate.parse) ?? now
        var reading = RateLimitReading()
        switch style {
        case .retryAfter:
            break
        case .xRateLimit, .rateLimit, .mastodon:
            let prefix = style == .xRateLimit ? "x-rate-limit" : style == .rateLimit ? "ratelimit" : "X-RateLimit"
            reading.remaining = header("\(prefix)-remaining").flatMap(count)
            reading.exhausted = reading.remaining == 0
            let resetText = header("\(prefix)-reset")
            let reset = style == .mastodon ? resetText.flatMap(RFC3339.parse) : resetText.flatMap(epoch)
            reading.resumeAt = reset.map { local(now: now, delay: $0.timeIntervalSince(reference)) }
        case .facebookUsage:
            let usage = ["X-Business-Use-Case-Usage", "X-App-Usage", "X-Page-Usage"].compactMap(header).map(FacebookUsage.init)
            reading.exhausted = usage.contains { $0.exhausted }
            if let minutes = usage.compactMap(\.regainMinutes).max() {
                reading.resumeAt = local(now: now, delay: minutes * 60)
            }
        }
        if let retry = RetryAfter.resumeTime(header: header("Retry-After"), responseDate: dateHeader, now: now) {
            reading.resumeAt = retry
        }
        return reading
    }

    private static func local(now: Date, delay: TimeInterval) -> Date {
        now.addingTimeInterval(min(max(0, delay), RetryAfter.maximum))
    }

    /// A non-negative decimal integer, nothing else.
    private static func count(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(trimmed)
    }

    /// Unix seconds, digits with an optional fraction; `Double(_:)` alone would also take `nan`, `inf` and hex.
    private static func epoch(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }), let seconds = Double(trimmed)
        else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}

/// One Facebook usage header: the percentages of the call, CPU and time budgets used, and the minutes until
/// access returns. App and Page usage are a flat object; Business-Use-Case usage maps each business id to a list
/// of such objects, one per use-case type.
private struct FacebookUsage {
    var exhausted = false
    var regainMinutes: Double?

    init(text: String) {
        guard let data = text.data(using: .utf8), let value = try? JSONDecoder().decode(JSONValue.self, from: data),
            case .object(let top) = value
        else { return }
        var entries = [top]
        for case .array(let list) in top.values {
            for case .object(let entry) in list { entries.append(entry) }
        }
        for entry in entries {
            let percentages = ["call_count", "total_cputime", "total_time"].compactMap { entry[$0].flatMap(Self.number) }
            if percentages.contains(where: { $0 >= 100 }) { exhausted = true }
            if let minutes = entry["estimated_time_to_regain_access"].flatMap(Self.number), minutes >= 0 {
                regainMinutes = max(regainMinutes ?? 0, minutes)
                if minutes > 0 { exhausted = true }
            }
        }
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let number) where number.isFinite: number
        case .string(let text): Double(text).flatMap { $0.isFinite ? $0 : nil }
        default: nil
        }
    }
}
