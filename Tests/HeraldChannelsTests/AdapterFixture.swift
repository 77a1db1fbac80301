import Foundation
import HeraldCore
import HeraldTransport
import Testing

/// What the post adapters' fixture tests share: one fixed clock, messages, hand-written answers and the checks every
/// network's reasons must pass. Adapters are pure, so a request in and an outcome out is the whole test.
enum AdapterFixture {
    /// Local time of every attempt: Tue, 14 Nov 2023 22:13:20 GMT.
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    /// A server `Date` two minutes ahead of `now`, so a reset read against the local clock instead shows up.
    static let serverDate = HTTPHeader("Date", "Tue, 14 Nov 2023 22:15:20 GMT")
    /// Five minutes after `serverDate` in each network's reset unit.
    static let resetEpoch = "1700000420"
    static let resetISO = "2023-11-14T22:20:20.000000Z"
    /// Where a pause must end for those resets: five minutes after the local `now`.
    static let resumeAt = now.addingTimeInterval(300)

    static let messageID = MessageID(rawValue: "01932f6e-1c2a-7b3c-8d4e-5f6a7b8c9d0e")

    static func message(_ post: String = "Review published: Adult C", id: MessageID = messageID, part: String = "post") -> Message {
        Message(
            id: id, groupID: "g-1", channel: "social", kind: "review.published", recipient: "", content: [part: post], dataJSON: "{}",
            state: .sending, notBefore: now, deadline: nil, attempts: 1, createdAt: now
        )
    }

    /// The HTTP request inside a transfer request; posts are never anything else.
    static func http(_ request: TransferRequest) throws -> HTTPRequest {
        guard case .http(let http) = request else { throw FixtureError.notHTTP }
        return http
    }

    /// Every value sent under `name`, compared without case: a header sent twice is as wrong as one missing.
    static func values(_ name: String, in request: HTTPRequest) -> [String] {
        request.headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    static func json(_ bytes: [UInt8]) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { throw FixtureError.notAnObject }
        return object
    }

    static func answer(_ status: Int, _ headers: [HTTPHeader] = [], body: String = "") -> Result<TransferResponse, TransportError> {
        answer(status, headers, bytes: Array(body.utf8))
    }

    static func answer(_ status: Int, _ headers: [HTTPHeader] = [], bytes: [UInt8]) -> Result<TransferResponse, TransportError> {
        .success(.http(HTTPResponse(status: status, headers: headers, body: bytes)))
    }

    /// The request went out and nothing came back: the post may exist.
    static let timeout: Result<TransferResponse, TransportError> = .failure(
        TransportError(code: .timeout, message: "Operation timed out after 30000 milliseconds with 0 bytes received", requestMayHaveArrived: true)
    )
    /// The request never left.
    static let refused: Result<TransferResponse, TransportError> = .failure(
        TransportError(code: .connect, message: "Failed to connect: Connection refused", requestMayHaveArrived: false)
    )

    /// Bodies a broken or hostile receiver might send: huge, with terminal escapes and NULs, with CR/LF that would
    /// forge a second log line, and bytes that are not UTF-8.
    static let hostileBodies: [[UInt8]] = [
        Array(String(repeating: "A", count: 1_000_000).utf8),
        Array("bad\u{0}\u{7}\u{1B}[31mred\u{1B}[0m\u{7F}tail".utf8),
        Array("invalid_payload\r\nX-Injected: yes\r\n\r\n<html>forged</html>\n".utf8),
        [0x62, 0x61, 0x64, 0xFF, 0xFE, 0xC3, 0x28, 0x80, 0xE2, 0x82, 0x0A, 0x0D, 0x6F, 0x6B],
    ]

    /// Unicode line and paragraph separators: a viewer that honours them shows the reason on two lines.
    static let unicodeLineBreakBody = Array("first line\u{2028}second line\u{2029}third\u{85}fourth".utf8)

    /// Checks that a reason or proof is safe to store and show on one line: short, no control characters, no line
    /// breaks of any kind.
    static func expectSafe(_ outcome: DeliveryOutcome, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = outcome.detail
        #expect(!text.isEmpty, "empty detail", sourceLocation: sourceLocation)
        #expect(text.count <= 400, "detail of \(text.count) characters", sourceLocation: sourceLocation)
        let unsafe = text.unicodeScalars.filter { scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: true
            default: false
            }
        }
        #expect(unsafe.isEmpty, "detail holds \(unsafe.map { String($0.value, radix: 16) }): \(text.prefix(200).debugDescription)", sourceLocation: sourceLocation)
    }

    enum FixtureError: Error { case notHTTP, notAnObject }
}

/// Each case's values, or nil for another case, so a test can `#require` the case it expects and read on.
extension DeliveryOutcome {
    var proof: String? {
        if case .delivered(let proof, _, _) = self { return proof }
        return nil
    }

    var retried: (reason: String, after: Date?, pauseChannel: Bool)? {
        if case .retry(let reason, let after, let pause) = self { return (reason, after, pause) }
        return nil
    }

    var permanentReason: String? {
        if case .permanent(let reason) = self { return reason }
        return nil
    }

    var ambiguousReason: String? {
        if case .ambiguous(let reason) = self { return reason }
        return nil
    }

    var reauthenticateReason: String? {
        if case .reauthenticate(let reason) = self { return reason }
        return nil
    }
}
