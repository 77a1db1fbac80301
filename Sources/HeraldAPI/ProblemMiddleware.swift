import Hummingbird
import HeraldCore
import Logging
import NIOCore

/// Every error leaves as a problem document: a service's `HeraldError` by its code, Hummingbird's own errors by their
/// status, and anything unexpected as a bare 500 whose detail says only where to look (the log), never what failed.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            throw problem
        } catch let error as HeraldError {
            throw Problem(error)
        } catch is NIOTooManyBytesError {
            throw Problem(.contentTooLarge, kind: "too_large", detail: "The body is larger than this server accepts.")
        } catch let error as HTTPError {
            throw Problem(error.status, kind: Self.kind(of: error.status), detail: error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("unexpected error answering \(request.method) \(request.uri.path): \(String(describing: error))")
            throw Problem(.internalServerError, kind: "internal", detail: "The server could not answer; its log says why.")
        }
    }

    static func kind(of status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .badRequest: "malformed"
        case .contentTooLarge: "too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        default: "http_\(status.code)"
        }
    }
}
