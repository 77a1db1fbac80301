import Foundation
import HeraldCore
import HeraldTransport

/// What every post request shares: a JSON POST with Herald's user agent and the channel's time limits.
struct PostRequestSettings: Sendable {
    var timeout: TimeInterval
    var connectTimeout: TimeInterval

    func post(_ url: String, headers: [HTTPHeader], json body: String) -> TransferRequest {
        .http(
            HTTPRequest(
                method: "POST", url: url,
                headers: [HTTPHeader("Content-Type", "application/json; charset=utf-8"), HTTPHeader("User-Agent", "Herald/1")] + headers,
                body: Array(body.utf8), timeout: timeout, connectTimeout: connectTimeout
            )
        )
    }

    /// A base URL and an API path, with exactly one slash between them.
    static func join(_ base: String, _ path: String) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }
}

/// A JSON object written member by member with correct escaping, so request bodies never depend on a serialiser's
/// key order or slash escaping.
struct JSONObjectText {
    private var members: [String] = []

    mutating func add(_ key: String, string value: String) {
        members.append("\(JSONText.string(key)):\(JSONText.string(value))")
    }

    mutating func add(_ key: String, raw value: String) {
        members.append("\(JSONText.string(key)):\(value)")
    }

    var text: String { "{" + members.joined(separator: ",") + "}" }
}
