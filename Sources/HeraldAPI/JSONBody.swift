import Foundation
import HTTPTypes
import Hummingbird
import HeraldCore

/// Reads a request's JSON body: refused with 415 when it is not JSON, 413 over the limit, 400 (with the place) when
/// it does not parse, 422 (with a JSON pointer) when a field is of the wrong kind, missing, or not one the route knows.
enum JSONBody {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int, allowedKeys: Set<String>? = nil) async throws -> T {
        let contentType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard contentType == "application/json" else {
            throw Problem(.unsupportedMediaType, kind: "unsupported_media_type", detail: "Send the body as application/json.")
        }
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        let data = Data(buffer.readableBytesView)
        guard let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw Problem.malformed("The body is not valid JSON.", pointer: "")
        }
        if let allowedKeys, let object = parsed as? [String: Any] {
            if let unknown = object.keys.sorted().first(where: { !allowedKeys.contains($0) }) {
                throw Problem.invalid(
                    "Unknown field '\(String(unknown.prefix(60)))'. Known: \(allowedKeys.sorted().joined(separator: ", ")).",
                    pointer: pointer([unknown])
                )
            }
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw problem(error)
        } catch let inexact as JSONValue.InexactNumber {
            throw Problem.invalid(inexact.problem, pointer: pointer(inexact.path))
        }
    }

    /// A JSON pointer (RFC 6901) to a field.
    static func pointer(_ path: [String]) -> String {
        path.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }.joined()
    }

    static func pointer(_ path: [any CodingKey]) -> String {
        pointer(path.map { $0.intValue.map(String.init) ?? $0.stringValue })
    }

    private static func problem(_ error: DecodingError) -> Problem {
        switch error {
        case .keyNotFound(let key, let context):
            return .invalid("The field '\(key.stringValue)' is required.", pointer: pointer(context.codingPath + [key]))
        case .typeMismatch(let type, let context):
            return .invalid("The field is not \(describe(type)).", pointer: pointer(context.codingPath))
        case .valueNotFound(let type, let context):
            return .invalid("The field is null; it must be \(describe(type)).", pointer: pointer(context.codingPath))
        case .dataCorrupted(let context):
            return .invalid("The field's value is not accepted: \(context.debugDescription)", pointer: pointer(context.codingPath))
        @unknown default:
            return .malformed("The body could not be read.")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is [String].Type: "a string or a list of strings"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "of the expected kind"
        }
    }
}
