import Foundation
import HTTPTypes
import Hummingbird
import HeraldCore

/// An error as the API answers it: `application/problem+json` (RFC 9457) with a stable `type` per kind of error,
/// the offending field as a JSON pointer where there is one, and never a stack trace or a secret.
public struct Problem: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    /// The last part of the `type` URI: `malformed`, `unauthorized`, `not_found`, `conflict`, …
    public var kind: String
    public var detail: String
    public var pointer: String?
    /// Seconds to wait before asking again, sent as `Retry-After` (429, 503).
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, kind: String, detail: String, pointer: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.kind = kind
        self.detail = detail
        self.pointer = pointer
        self.retryAfter = retryAfter
    }

    static func malformed(_ detail: String, pointer: String? = nil) -> Problem {
        Problem(.badRequest, kind: "malformed", detail: detail, pointer: pointer)
    }

    static func unauthorized(_ detail: String) -> Problem {
        Problem(.unauthorized, kind: "unauthorized", detail: detail)
    }

    static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, kind: "forbidden", detail: detail)
    }

    static func invalid(_ detail: String, pointer: String?) -> Problem {
        Problem(.unprocessableContent, kind: "invalid_value", detail: detail, pointer: pointer)
    }

    /// A service's refusal, by its code.
    init(_ error: HeraldError, pointer: String? = nil) {
        let status: HTTPResponse.Status =
            switch error.code {
            case .invalidInput, .template: .unprocessableContent
            case .notFound: .notFound
            case .conflict, .fourEyes, .configuration: .conflict
            case .storageUnavailable: .serviceUnavailable
            case .transport: .badGateway
            default: .internalServerError
            }
        self.init(status, kind: error.code.description, detail: error.message, pointer: pointer)
    }

    public var type: String { "https://herald.invalid/problems/\(kind)" }

    /// The document's members; `pointer` is left out when there is none.
    private struct Document: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var instance: String
        var pointer: String?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONResponse(
            Document(type: type, title: status.reasonPhrase, status: status.code, detail: detail, instance: request.uri.path, pointer: pointer),
            status: status
        ).response(from: request, context: context)
        response.headers[.contentType] = "application/problem+json"
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer realm=\"herald\"" }
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}
