import Foundation
import HeraldCore
import HeraldTransport
import Synchronization

/// A transport with no network: it records every request, answers each as the test's script says, and can hold a
/// request open until the test answers it — a receiver that is slow, or silent, for exactly as long as the test
/// wants. With a `ManualClock` it proves what the worker does *not* send, without waiting.
public final class InMemoryTransport: Transport {
    /// What to do with one request.
    public enum Reply: Sendable {
        /// Complete at once with this result.
        case result(Result<TransferResponse, TransportError>)
        /// Keep the request open until `answer(_:with:)`, `answerAll(with:)` or a cancellation.
        case hold

        /// An HTTP answer.
        public static func http(_ status: Int, headers: [(String, String)] = [], body: String = "") -> Reply {
            .result(.success(.http(HTTPResponse(status: status, headers: headers.map { HTTPHeader($0.0, $0.1) }, body: Array(body.utf8)))))
        }

        /// An SMTP server's last reply.
        public static func smtp(_ code: Int, _ reply: String) -> Reply {
            .result(.success(.smtp(SMTPResponse(code: code, reply: reply))))
        }

        /// No answer: the transfer failed with `code`.
        public static func failure(_ code: TransportError.Code, mayHaveArrived: Bool, message: String = "scripted failure") -> Reply {
            .result(.failure(TransportError(code: code, message: message, requestMayHaveArrived: mayHaveArrived)))
        }
    }

    /// A request as the transport received it.
    public struct Recorded: Sendable {
        /// Its place in arrival order, from 0.
        public var index: Int
        public var request: TransferRequest
        /// The clock's wall time when it arrived.
        public var at: Date

        /// The HTTP request, if it is one.
        public var http: HTTPRequest? {
            if case .http(let request) = request { return request }
            return nil
        }

        /// The SMTP submission, if it is one.
        public var smtp: SMTPRequest? {
            if case .smtp(let request) = request { return request }
            return nil
        }

        /// An HTTP header's value, compared without case.
        public func header(_ name: String) -> String? {
            http?.headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    private struct Waiter {
        var count: Int
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var script: @Sendable (Recorded) -> Reply
        var recorded: [Recorded] = []
        var held: [Int: Transport.Completion] = [:]
        var waiters: [Waiter] = []
    }

    private let state: Mutex<State>
    private let clock: any HeraldClock

    /// - Parameter script: decides each request's reply; by default every request gets HTTP 204.
    public init(clock: any HeraldClock, script: @escaping @Sendable (Recorded) -> Reply = { _ in .http(204) }) {
        self.clock = clock
        state = Mutex(State(script: script))
    }

    /// Replaces the script for the requests still to come.
    public func setScript(_ script: @escaping @Sendable (Recorded) -> Reply) {
        state.withLock { $0.script = script }
    }

    public func send(_ request: TransferRequest, cancellation: TransferCancellation?, completion: @escaping Completion) {
        let (reply, index, woken) = state.withLock { state -> (Reply, Int, [CheckedContinuation<Void, Never>]) in
            let recorded = Recorded(index: state.recorded.count, request: request, at: clock.now())
            state.recorded.append(recorded)
            let reply = state.script(recorded)
            if case .hold = reply { state.held[recorded.index] = completion }
            let count = state.recorded.count
            let woken = state.waiters.filter { $0.count <= count }.map(\.continuation)
            state.waiters.removeAll { $0.count <= count }
            return (reply, recorded.index, woken)
        }
        for continuation in woken { continuation.resume() }
        switch reply {
        case .result(let result):
            completion(result)
        case .hold:
            cancellation?.onCancel { [weak self] in
                self?.answer(index, with: .failure(TransportError(code: .cancelled, message: "abandoned while in flight", requestMayHaveArrived: true)))
            }
        }
    }

    /// Every request so far, in arrival order.
    public var requests: [Recorded] { state.withLock { $0.recorded } }

    public var requestCount: Int { state.withLock { $0.recorded.count } }

    /// The indexes of requests still held open.
    public var held: [Int] { state.withLock { $0.held.keys.sorted() } }

    /// Returns once at least `count` requests have arrived.
    public func waitForRequests(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.recorded.count >= count { return true }
                state.waiters.append(Waiter(count: count, continuation: continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Answers a held request; false if it is not held (answered already, or never held).
    @discardableResult
    public func answer(_ index: Int, with result: Result<TransferResponse, TransportError>) -> Bool {
        guard let completion = state.withLock({ $0.held.removeValue(forKey: index) }) else { return false }
        completion(result)
        return true
    }

    /// Answers a held request with a reply built like a script's.
    @discardableResult
    public func answer(_ index: Int, with reply: Reply) -> Bool {
        guard case .result(let result) = reply else { return false }
        return answer(index, with: result)
    }

    /// Answers every held request alike.
    public func answerAll(with reply: Reply) {
        for index in held { answer(index, with: reply) }
    }
}
