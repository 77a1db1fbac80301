import Foundation
import HeraldCore
import HeraldTransport

/// Signed webhooks (Standard Webhooks 1.0). The body is `{"type": kind, "timestamp": created, "data": …}`, where
/// data is the caller's data plus the rendered template parts under `rendered`; it is built from stored values
/// only, so every retry sends the same bytes with the same `webhook-id`.
public struct WebhookAdapter: ChannelAdapter {
    public struct Settings: Sendable {
        public var url: String
        public var secrets: [String]
        public var timeout: TimeInterval
        public var connectTimeout: TimeInterval

        public init(url: String, secrets: [String], timeout: TimeInterval = 30, connectTimeout: TimeInterval = 10) {
            self.url = url
            self.secrets = secrets
            self.timeout = timeout
            self.connectTimeout = connectTimeout
        }
    }

    private let settings: Settings
    private let signer: WebhookSigner
    private let classifier = HTTPOutcomeClassifier()
    /// Receivers deduplicate on `webhook-id`, which every attempt of a message repeats.
    public var repeatRecognition: RepeatRecognition { .always }

    public init(settings: Settings) throws {
        self.settings = settings
        self.signer = try WebhookSigner(secrets: settings.secrets)
    }

    public func request(for message: Message, now: Date) throws -> TransferRequest {
        .http(try httpRequest(for: message, now: now))
    }

    /// The signed POST for one attempt; `now` sets `webhook-timestamp`.
    public func httpRequest(for message: Message, now: Date) throws -> HTTPRequest {
        let body = try Self.body(for: message)
        let timestamp = Int64(now.timeIntervalSince1970.rounded(.down))
        return HTTPRequest(
            method: "POST", url: settings.url,
            headers: [
                HTTPHeader("Content-Type", "application/json"),
                HTTPHeader("User-Agent", "Herald/1"),
                HTTPHeader("webhook-id", message.id.rawValue),
                HTTPHeader("webhook-timestamp", String(timestamp)),
                HTTPHeader("webhook-signature", signer.signature(id: message.id.rawValue, timestamp: timestamp, body: body)),
            ],
            body: body, timeout: settings.timeout, connectTimeout: settings.connectTimeout
        )
    }

    public func outcome(of result: Result<TransferResponse, TransportError>, now: Date) -> DeliveryOutcome {
        classifier.outcome(of: result, now: now)
    }

    /// The exact body bytes for a message: `{"data":…,"timestamp":…,"type":…}`, spliced from the stored canonical
    /// data text rather than re-encoded, since this runs for every attempt. `rendered` comes last inside `data`.
    public static func body(for message: Message) throws -> [UInt8] {
        var data = message.dataJSON.utf8[...]
        while let first = data.first, Self.isWhitespace(first) { data = data.dropFirst() }
        while let last = data.last, Self.isWhitespace(last) { data = data.dropLast() }
        guard data.first == UInt8(ascii: "{"), data.last == UInt8(ascii: "}") else {
            throw HeraldError(.storage, "The stored data of message \(message.id) is not a JSON object.")
        }
        var body: [UInt8] = []
        body.reserveCapacity(data.count + 256)
        body.append(contentsOf: #"{"data":"#.utf8)
        if message.content.isEmpty {
            body.append(contentsOf: data)
        } else {
            let members = data.dropFirst().dropLast()
            body.append(contentsOf: data.dropLast())
            if members.contains(where: { !Self.isWhitespace($0) }) { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: #""rendered":"#.utf8)
            body.append(contentsOf: JSONText.object(message.content).utf8)
            body.append(UInt8(ascii: "}"))
        }
        body.append(contentsOf: #","timestamp":"#.utf8)
        body.append(contentsOf: JSONText.string(RFC3339.format(message.createdAt)).utf8)
        body.append(contentsOf: #","type":"#.utf8)
        body.append(contentsOf: JSONText.string(message.kind).utf8)
        body.append(UInt8(ascii: "}"))
        return body
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
