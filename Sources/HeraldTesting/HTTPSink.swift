import Foundation
import Glibc
import Synchronization

/// A request as the sink received it.
public struct SinkRequest: Sendable {
    public var method: String
    public var path: String
    /// Header lines in arrival order, names as sent.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var arrivedAt: Date
    /// Which accepted connection carried it (1-based), to observe connection reuse.
    public var connection: Int

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What the sink answers.
public struct SinkReply: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Wait this long before answering (a slow or silent receiver); other connections are not held up.
    public var delay: TimeInterval
    /// Close the connection without answering at all.
    public var hangUp: Bool

    public init(status: Int = 204, headers: [(name: String, value: String)] = [], body: String = "", delay: TimeInterval = 0, hangUp: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = Array(body.utf8)
        self.delay = delay
        self.hangUp = hangUp
    }

    /// Answers the given replies in order, then `then` for ever after.
    public static func sequence(_ replies: [SinkReply], then: SinkReply) -> @Sendable (SinkRequest) -> SinkReply {
        let index = Mutex(0)
        return { _ in
            let position = index.withLock { value -> Int in
                defer { value += 1 }
                return value
            }
            return position < replies.count ? replies[position] : then
        }
    }
}

/// A real HTTP/1.1 server on 127.0.0.1 and a free port, for tests: keep-alive, Content-Length bodies, a handler that
/// decides each reply, and a record of every request.
public final class HTTPSink: Sendable {
    private struct State {
        var requests: [SinkRequest] = []
        var connections = 0
        var clientSockets: Set<Int32> = []
        var stopped = false
        var handler: @Sendable (SinkRequest) -> SinkReply
    }

    public let port: Int
    private let listener: Int32
    private let state: Mutex<State>

    public init(handler: @escaping @Sendable (SinkRequest) -> SinkReply = { _ in SinkReply() }) throws {
        state = Mutex(State(handler: handler))
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SinkError("socket() failed") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 512) == 0 else {
            close(fd)
            throw SinkError("bind/listen failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "http-sink-accept"
        thread.start()
    }

    deinit {
        stop()
    }

    /// The sink's URL for `path`.
    public func url(_ path: String = "/hook") -> String {
        "http://127.0.0.1:\(port)\(path)"
    }

    public func setHandler(_ handler: @escaping @Sendable (SinkRequest) -> SinkReply) {
        state.withLock { $0.handler = handler }
    }

    public var requests: [SinkRequest] { state.withLock { $0.requests } }
    public var requestCount: Int { state.withLock { $0.requests.count } }
    public var connectionsAccepted: Int { state.withLock { $0.connections } }

    /// Waits until at least `count` requests have arrived, or `timeout` passes; returns whether they did.
    public func waitForRequests(count: Int, timeout: TimeInterval) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if requestCount >= count { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return requestCount >= count
    }

    /// Closes the listener and every connection. Safe to call more than once.
    public func stop() {
        let sockets = state.withLock { state -> Set<Int32>? in
            guard !state.stopped else { return nil }
            state.stopped = true
            return state.clientSockets
        }
        guard let sockets else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for socket in sockets { shutdown(socket, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let number = state.withLock { state -> Int? in
                if state.stopped { return nil }
                state.connections += 1
                state.clientSockets.insert(client)
                return state.connections
            }
            guard let number else {
                close(client)
                return
            }
            var yes: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            let thread = Thread { [self] in serve(client, connection: number) }
            thread.name = "http-sink-connection"
            thread.start()
        }
    }

    private func serve(_ socket: Int32, connection: Int) {
        var reader = SocketReader(socket: socket)
        defer {
            state.withLock { _ = $0.clientSockets.remove(socket) }
            close(socket)
        }
        while let request = reader.readRequest(connection: connection) {
            let handler = state.withLock { state -> (@Sendable (SinkRequest) -> SinkReply)? in
                if state.stopped { return nil }
                state.requests.append(request)
                return state.handler
            }
            guard let handler else { return }
            let reply = handler(request)
            if reply.delay > 0 { Thread.sleep(forTimeInterval: reply.delay) }
            if reply.hangUp { return }
            var head = "HTTP/1.1 \(reply.status) \(Self.reason(reply.status))\r\nContent-Length: \(reply.body.count)\r\n"
            for header in reply.headers { head += "\(header.name): \(header.value)\r\n" }
            head += "\r\n"
            guard SocketReader.writeAll(socket, Array(head.utf8) + reply.body) else { return }
            if request.header("Connection")?.lowercased() == "close" { return }
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 302: "Found"
        case 400: "Bad Request"
        case 410: "Gone"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

public struct SinkError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
