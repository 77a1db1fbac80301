import Foundation
import Hummingbird
import HeraldRules
import HeraldStore
import Synchronization

/// Keeps each token to its request rate (`APILimits.tokenRate`), so one runaway client cannot starve the others or
/// the worker of the database. Counted per process; runs after the token check, so it counts only real callers.
final class TokenRateLimiter: RouterMiddleware, Sendable {
    typealias Context = APIRequestContext
    let rate: RateLimit
    /// A token bucket per token name.
    private let buckets = Mutex<[String: TokenBucket]>([:])
    private let now: @Sendable () -> Date

    init(rate: RateLimit, now: @escaping @Sendable () -> Date = { Date() }) {
        self.rate = rate
        self.now = now
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let name = try context.caller().name
        let moment = now()
        let wait = buckets.withLock { buckets -> TimeInterval? in
            var bucket = buckets[name] ?? TokenBucket(limit: rate, now: moment)
            defer { buckets[name] = bucket }
            guard bucket.available(now: moment) >= 1 else { return bucket.nextTokenTime(now: moment).timeIntervalSince(moment) }
            bucket.consume(1)
            return nil
        }
        if let wait {
            let seconds = max(1, Int(wait.rounded(.up)))
            throw Problem(
                .tooManyRequests, kind: "rate_limited",
                detail: "Token \(name) may make \(rate) requests; try again in \(seconds) s.", retryAfter: seconds
            )
        }
        return try await next(request, context)
    }
}
