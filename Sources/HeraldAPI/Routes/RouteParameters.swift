import Foundation
import Hummingbird
import HeraldCore

/// Path parameters, read once for every route: a value that cannot name anything is a 404, as a missing one is.
enum RouteParameters {
    static func messageID(_ context: APIRequestContext) throws -> MessageID {
        let text = context.parameters.get("id") ?? ""
        guard let id = MessageID(validating: text) else {
            throw Problem(.notFound, kind: "not_found", detail: "'\(String(text.prefix(60)))' is not a message id.")
        }
        return id
    }

    /// A review's reference; one with a `/` is sent percent-encoded (`SAR%2F2026`).
    static func reference(_ context: APIRequestContext) throws -> String {
        let text = context.parameters.get("reference") ?? ""
        let decoded = text.removingPercentEncoding ?? text
        guard !decoded.isEmpty, decoded.count <= 64, decoded.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_./".contains($0)) }) else {
            throw Problem(.notFound, kind: "not_found", detail: "'\(String(text.prefix(60)))' is not a review reference.")
        }
        return decoded
    }
}
