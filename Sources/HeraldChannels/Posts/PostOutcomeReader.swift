import Foundation
import HeraldCore
import HeraldRules
import HeraldTransport

/// The reading every chat and social API shares (docs/channels.md §8): how a network signals its rate limit, what
/// an unanswered request means, and the status classes. Each adapter reads its own success and error bodies first and
/// leaves the rest to this.
struct PostOutcomeReader: Sendable {
    /// The network's name, for reasons people read.
    var network: String
    var rateLimit: RateLimitStyle
    /// False for requests that publish nothing (a login, a session renewal): those are simply tried again when
    /// unanswered, whatever the network does with repeated posts.
    var publishes = true
    /// How long to pause the channel after a 429 that named no reset.
    var defaultPause: TimeInterval = 60

    /// A transfer that got no HTTP answer: read as for any HTTP receiver, naming the network when a post may exist.
    func outcome(of error: TransportError) -> DeliveryOutcome {
        let outcome = HTTPOutcomeClassifier().outcome(of: error)
        guard case .ambiguous(let reason) = outcome else { return outcome }
        guard publishes else { return .retry(reason: reason, after: nil, pauseChannel: false) }
        return .ambiguous(reason: "\(reason); \(network) may have published the post")
    }

    /// The network asked the channel to slow down: retry at its reset, and send nothing on the channel until then.
    func throttled(_ response: HTTPResponse, now: Date, reason: String? = nil) -> DeliveryOutcome {
        let reading = RateLimitHeaders.read(style: rateLimit, header: response.header, now: now)
        let resume = reading.resumeAt.map { max($0, now) } ?? now.addingTimeInterval(defaultPause)
        return .retry(reason: reason ?? "\(network) rate limit (HTTP \(response.status))", after: resume, pauseChannel: true)
    }

    /// Any other status, by class: 408, 425, 429 and 5xx are worth another try; the rest will not change on their own.
    func byStatus(_ response: HTTPResponse, now: Date) -> DeliveryOutcome {
        let summary = Self.summary(response)
        switch response.status {
        case 429: return throttled(response, now: now, reason: "\(network) rate limit: \(summary)")
        case 408, 425, 500..<600: return .retry(reason: "\(network): \(summary)", after: nil, pauseChannel: false)
        case 300..<400: return .permanent(reason: "\(network): \(summary): redirect not followed; correct the channel's url")
        default: return .permanent(reason: "\(network): \(summary)")
        }
    }

    /// When a success still spent the last of the budget: the reset, so the next post does not meet a 429.
    func budgetSpent(_ response: HTTPResponse, now: Date) -> Date? {
        let reading = RateLimitHeaders.read(style: rateLimit, header: response.header, now: now)
        guard reading.exhausted, let resume = reading.resumeAt, resume > now else { return nil }
        return resume
    }

    /// A post's id or address from a network's answer, if it is one Herald can keep and show as a receipt: at most
    /// 300 characters, with no spaces, control characters, invisible formatting or line breaks. Anything else is
    /// treated as if the answer had named no post: it is not stored.
    static func receipt(_ raw: String?) -> String? {
        guard let raw, !raw.isEmpty, raw.unicodeScalars.count <= 300 else { return nil }
        let safe = raw.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .surrogate, .privateUse, .unassigned: false
            default: true
            }
        }
        return safe ? raw : nil
    }

    /// `HTTP 422: excerpt`, single-line and short, safe to store.
    static func summary(_ response: HTTPResponse) -> String {
        let excerpt = HTTPOutcomeClassifier.excerpt(response.body)
        return excerpt.isEmpty ? "HTTP \(response.status)" : "HTTP \(response.status): \(excerpt)"
    }

    /// The response body as a JSON object, if it is one.
    static func object(_ body: [UInt8]) -> [String: Any]? {
        guard !body.isEmpty else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }
}

extension Result where Success == TransferResponse, Failure == TransportError {
    /// The HTTP response, or the outcome to report when there is none.
    func httpResponse(_ reader: PostOutcomeReader) -> Result<HTTPResponse, OutcomeInstead> {
        switch self {
        case .success(.http(let response)): .success(response)
        case .success(let other): .failure(OutcomeInstead(.permanent(reason: "the transport answered an HTTP request with \(other); this is a bug in Herald")))
        case .failure(let error): .failure(OutcomeInstead(reader.outcome(of: error)))
        }
    }
}

/// An outcome decided before any response could be read (no answer, or not HTTP).
struct OutcomeInstead: Error {
    var outcome: DeliveryOutcome
    init(_ outcome: DeliveryOutcome) { self.outcome = outcome }
}
