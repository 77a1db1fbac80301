import Foundation

/// One header line; order and case are kept as the adapter built them.
public struct HTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An HTTP request as an adapter builds it: everything the transport needs, and nothing it has to decide.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    /// Limit on the whole transfer, connect included.
    public var timeout: TimeInterval
    public var connectTimeout: TimeInterval

    public init(
        method: String = "POST", url: String, headers: [HTTPHeader] = [], body: [UInt8] = [],
        timeout: TimeInterval = 30, connectTimeout: TimeInterval = 10
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }
}

/// What came back. `body` is cut at the transport's limit: adapters keep only a short, redacted excerpt anyway.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header of that name, compared without case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Why a transfer produced no response.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Raw: String { case connect, timeout, tls, protocolError = "protocol", invalidRequest = "invalid_request", cancelled, other }
        private let raw: Raw
        private init(_ raw: Raw) { self.raw = raw }

        /// DNS or TCP connect failed: the request never left.
        public static let connect = Code(.connect)
        /// The transfer ran out of time; the request may have arrived.
        public static let timeout = Code(.timeout)
        /// Certificate verification or the TLS handshake failed.
        public static let tls = Code(.tls)
        /// The peer answered with something that is not valid HTTP/SMTP, or hung up mid-answer.
        public static let protocolError = Code(.protocolError)
        /// The request could not be built (bad URL, refused option).
        public static let invalidRequest = Code(.invalidRequest)
        /// The caller abandoned the transfer, or the transport shut down under it.
        public static let cancelled = Code(.cancelled)
        public static let other = Code(.other)

        public var description: String { raw.rawValue }
    }

    public var code: Code
    public var message: String
    /// True when some of the request may have reached the receiver, so a retry could duplicate it.
    public var requestMayHaveArrived: Bool

    public init(code: Code, message: String, requestMayHaveArrived: Bool) {
        self.code = code
        self.message = message
        self.requestMayHaveArrived = requestMayHaveArrived
    }

    public var description: String { "\(code): \(message)" }
}
