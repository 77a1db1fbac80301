import Foundation
import HeraldCore
import HeraldRules
import HeraldTransport

/// The shared reading of HTTP results (docs/channels.md §1 and §8): which statuses deliver, which retry,
/// which are final, and when the receiver asked the whole channel to back off.
public struct HTTPOutcomeClassifier: Sendable {
    public init() {}

    public func outcome(of result: Result<TransferResponse, TransportError>, now: Date) -> DeliveryOutcome {
        switch result {
        case .success(.http(let response)):
            return outcome(of: response, now: now)
        case .success(let other):
            return .permanent(reason: "the transport answered an HTTP request with \(other); this is a bug in Herald")
        case .failure(let error):
            return outcome(of: error)
        }
    }

    func outcome(of response: HTTPResponse, now: Date) -> DeliveryOutcome {
        let status = response.status
        let excerpt = Self.excerpt(response.body)
        let summary = excerpt.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(excerpt)"
        switch status {
        case 200..<300:
            return .delivered(proof: summary)
        case 300..<400:
            let location = response.header("Location").map { " to \(Self.redact($0))" } ?? ""
            return .permanent(reason: "HTTP \(status): redirect\(location) not followed; correct the channel's url")
        case 410:
            return .permanent(reason: "HTTP 410 Gone: the receiver wants no more events on this endpoint; remove or fix the channel")
        case 408, 425, 429, 500..<600:
            let resume = RetryAfter.resumeTime(header: response.header("Retry-After"), responseDate: response.header("Date"), now: now)
            let pause = resume != nil && (status == 429 || status == 503)
            return .retry(reason: summary, after: resume, pauseChannel: pause)
        default:
            return .permanent(reason: summary)
        }
    }

    func outcome(of error: TransportError) -> DeliveryOutcome {
        let reason = "\(error.code): \(error.message.prefix(200))"
        if error.code == .tls {
            return .permanent(reason: "TLS failed (\(error.message.prefix(200))); check the receiver's certificate and the channel's url")
        }
        if error.code == .invalidRequest {
            return .permanent(reason: reason)
        }
        if error.requestMayHaveArrived {
            return .ambiguous(reason: reason)
        }
        return .retry(reason: reason, after: nil, pauseChannel: false)
    }

    /// A short, single-line excerpt of a response body, safe to store: control characters and line or paragraph
    /// separators are replaced.
    static func excerpt(_ body: [UInt8], limit: Int = 160) -> String {
        let text = String(decoding: body.prefix(limit * 4), as: UTF8.self)
        let singleLine = text.unicodeScalars.map { scalar -> Character in
            if scalar.properties.isBidiControl { return " " }
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: return " "
            default: return Character(scalar)
            }
        }
        let cleaned = String(singleLine).trimmingCharacters(in: .whitespaces)
        return cleaned.count > limit ? String(cleaned.prefix(limit)) + "…" : cleaned
    }

    /// A URL without its query string, which may carry credentials.
    static func redact(_ url: String) -> String {
        String(url.prefix { $0 != "?" }.prefix(200))
    }
}
