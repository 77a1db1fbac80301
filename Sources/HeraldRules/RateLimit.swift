import Foundation

/// A channel's sending rate, written `10/s`, `600/m` or `1000/h` in channels.yml.
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    public var count: Int
    public var per: TimeInterval

    public init(count: Int, per: TimeInterval) {
        self.count = count
        self.per = per
    }

    /// Parses `N/s`, `N/m`, `N/h`; nil if the text is anything else.
    public init?(text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0]), count > 0 else { return nil }
        switch parts[1] {
        case "s": per = 1
        case "m": per = 60
        case "h": per = 3600
        default: return nil
        }
        self.count = count
    }

    public var description: String {
        let unit = per == 1 ? "s" : per == 60 ? "m" : "h"
        return "\(count)/\(unit)"
    }
}

/// A token bucket for one channel: holds up to `count` tokens, refilled evenly over `per` seconds.
public struct TokenBucket: Sendable {
    public let limit: RateLimit
    private var tokens: Double
    private var updated: Date

    public init(limit: RateLimit, now: Date) {
        self.limit = limit
        self.tokens = Double(limit.count)
        self.updated = now
    }

    private mutating func refill(now: Date) {
        let elapsed = max(0, now.timeIntervalSince(updated))
        tokens = min(Double(limit.count), tokens + elapsed * Double(limit.count) / limit.per)
        updated = now
    }

    /// Whole tokens available now.
    public mutating func available(now: Date) -> Int {
        refill(now: now)
        return Int(tokens.rounded(.down))
    }

    /// Spends `count` tokens (after `available` said they were there).
    public mutating func consume(_ count: Int) {
        tokens = max(0, tokens - Double(count))
    }

    /// When the next whole token will be available.
    public mutating func nextTokenTime(now: Date) -> Date {
        refill(now: now)
        if tokens >= 1 { return now }
        return now.addingTimeInterval((1 - tokens) * limit.per / Double(limit.count))
    }
}
