import Hummingbird
import HeraldRules
import HeraldStore
import NIOCore

/// A request's context: who is calling, once the authenticator has checked the token.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller; set by `TokenAuthenticator` on every `/v1` route.
    public var token: APIToken?

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// The caller's token, which every `/v1` handler may rely on (the authenticator ran first).
    func caller() throws -> APIToken {
        guard let token else { throw Problem.unauthorized("This route needs a token: send Authorization: Bearer <token>.") }
        return token
    }

    /// Refuses a caller who holds none of `roles`, naming what the route needs.
    func require(_ roles: APIRole...) throws -> APIToken {
        let token = try caller()
        guard token.roles.contains(where: roles.contains) else {
            throw Problem.forbidden(
                "Token \(token.name) (\(token.roles.map(\.rawValue).joined(separator: ", "))) may not do this: it needs the role "
                    + roles.map(\.rawValue).joined(separator: " or ") + "."
            )
        }
        return token
    }
}

/// How much one client may send and read at once.
public struct APILimits: Sendable {
    /// A larger body is refused with 413 before it is read in full.
    public var bodyBytes = 1 << 20
    public var batchMessages = 1000
    public var pageSize = 500
    /// The most messages one bulk retry may move; a wider filter is refused, to be narrowed.
    public var bulkRetry = 10_000
    /// Requests one token may make, as a bucket that holds this many and refills evenly over the period; more are
    /// answered 429 with when to come back.
    public var tokenRate = RateLimit(count: 100, per: 1)
    /// How long a client may take to send its request, or leave a connection idle, before it is closed.
    public var idleTimeout: TimeAmount = .seconds(30)

    public init() {}
}
