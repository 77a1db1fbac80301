import HTTPTypes
import Hummingbird
import HeraldStore
import Logging

/// Checks the bearer token of every `/v1` request and puts its holder in the context; without a valid token the
/// request ends here with 401. Which roles a route needs is the route's own check (`APIRequestContext.require`).
struct TokenAuthenticator: RouterMiddleware {
    typealias Context = APIRequestContext
    let authenticate: @Sendable (String) async throws -> APIToken?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthorized("No token: send Authorization: Bearer <token> (herald token create makes one).")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", let token = try await authenticate(String(parts[1])) else {
            throw Problem.unauthorized("The token is not valid, or has been revoked.")
        }
        var context = context
        context.token = token
        context.logger[metadataKey: "token"] = .string(token.name)
        return try await next(request, context)
    }
}
