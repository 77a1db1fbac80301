import Foundation

/// What an adapter asks the transport to carry.
public enum TransferRequest: Sendable {
    case http(HTTPRequest)
    case smtp(SMTPRequest)

    /// The longest the transfer may take, connection included.
    public var timeout: TimeInterval {
        switch self {
        case .http(let request): request.timeout
        case .smtp(let request): request.timeout
        }
    }
}

/// What came back from the receiver: an HTTP response, or an SMTP server's last reply (also when it refused).
public enum TransferResponse: Sendable, Equatable {
    case http(HTTPResponse)
    case smtp(SMTPResponse)

    /// The number kept with an attempt: the HTTP status or the SMTP reply code.
    public var status: Int {
        switch self {
        case .http(let response): response.status
        case .smtp(let response): response.code
        }
    }
}

/// Carries requests to receivers; the only way Herald reaches the network.
public protocol Transport: Sendable {
    typealias Completion = @Sendable (Result<TransferResponse, TransportError>) -> Void

    /// Starts one transfer and calls `completion` exactly once, on the transport's own thread, with the response or
    /// the reason there is none. A failure is a value, not a throw, because the worker classifies it like any other
    /// outcome. The worker uses this form: it spares a task and a thread hop per delivery. `cancellation`, when
    /// given, abandons the transfer (see `TransferCancellation`).
    func send(_ request: TransferRequest, cancellation: TransferCancellation?, completion: @escaping Completion)
}

extension Transport {
    /// Starts one transfer that nobody will cancel.
    public func send(_ request: TransferRequest, completion: @escaping Completion) {
        send(request, cancellation: nil, completion: completion)
    }

    /// Performs one transfer and returns its result; cancelling the task abandons the transfer.
    public func send(_ request: TransferRequest) async -> Result<TransferResponse, TransportError> {
        let cancellation = TransferCancellation()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                send(request, cancellation: cancellation) { continuation.resume(returning: $0) }
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// Performs one HTTP request and returns its result.
    public func send(_ request: HTTPRequest) async -> Result<HTTPResponse, TransportError> {
        await send(.http(request)).flatMap { response in
            guard case .http(let http) = response else {
                return .failure(TransportError(code: .other, message: "an HTTP request got a non-HTTP answer", requestMayHaveArrived: true))
            }
            return .success(http)
        }
    }

    /// Performs one SMTP submission and returns the server's last reply.
    public func send(_ request: SMTPRequest) async -> Result<SMTPResponse, TransportError> {
        await send(.smtp(request)).flatMap { response in
            guard case .smtp(let smtp) = response else {
                return .failure(TransportError(code: .other, message: "an SMTP submission got a non-SMTP answer", requestMayHaveArrived: true))
            }
            return .success(smtp)
        }
    }
}
