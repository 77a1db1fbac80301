import CCurl
import Foundation
import HeraldCore
import Synchronization

/// The one libcurl multi handle that carries every transfer, HTTP and SMTP: many in flight, connections kept alive
/// and reused, TLS verification always on. It runs on its own thread because `curl_multi_poll` blocks, and the
/// Swift concurrency pool (two threads here) must never block.
public final class CurlEngine: Transport, @unchecked Sendable {
    // Invariant: `multi` and `idleHandles` are used only on the engine thread (and in deinit, after it ended);
    // everything other threads touch is inside `shared`.

    public struct Configuration: Sendable {
        /// Connections kept open to one host; bounds the load on a receiver.
        public var maxHostConnections: Int
        /// Connections kept in the cache across all hosts.
        public var maxConnections: Int
        /// Response bytes kept; the rest is read and dropped.
        public var responseBodyLimit: Int

        public init(maxHostConnections: Int = 64, maxConnections: Int = 256, responseBodyLimit: Int = 64 * 1024) {
            self.maxHostConnections = maxHostConnections
            self.maxConnections = maxConnections
            self.responseBodyLimit = responseBodyLimit
        }
    }

    private struct Shared {
        var queued: [(TransferRequest, Transport.Completion)] = []
        var stopping = false
        var finished = false
    }

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    private let configuration: Configuration
    private let multi: UnsafeMutableRawPointer
    private let shared = Mutex(Shared())
    private let stopped = DispatchSemaphore(value: 0)
    private var idleHandles: [UnsafeMutableRawPointer] = []

    public init(configuration: Configuration = Configuration()) {
        _ = Self.globalInit
        self.configuration = configuration
        multi = curl_multi_init()
        herald_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxHostConnections)
        herald_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.maxConnections)
        let thread = Thread { [self] in runLoop() }
        thread.name = "herald-curl"
        thread.start()
    }

    deinit {
        shutdown()
        curl_multi_cleanup(multi)
    }

    public func send(_ request: TransferRequest, completion: @escaping Transport.Completion) {
        // Only the request that finds the queue empty wakes the engine: it takes everything queued at once, so
        // further wake-ups before it gets there would be wasted system calls.
        let (accepted, wake) = shared.withLock { shared -> (Bool, Bool) in
            guard !shared.stopping else { return (false, false) }
            shared.queued.append((request, completion))
            return (true, shared.queued.count == 1)
        }
        if !accepted {
            completion(.failure(Self.stoppingError))
        } else if wake {
            curl_multi_wakeup(multi)
        }
    }

    /// Stops the engine: transfers in flight and queued fail with a transport error, and the thread ends.
    /// Safe to call more than once.
    public func shutdown() {
        let first = shared.withLock { shared -> Bool in
            defer { shared.stopping = true }
            return !shared.stopping
        }
        guard first else { return }
        curl_multi_wakeup(multi)
        stopped.wait()
    }

    private static let stoppingError = TransportError(
        code: .other, message: "the transport is shutting down", requestMayHaveArrived: false
    )

    private func runLoop() {
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        var running: Int32 = 0
        while true {
            let (batch, stopping) = shared.withLock { shared in
                defer { shared.queued.removeAll(keepingCapacity: true) }
                return (shared.queued, shared.stopping)
            }
            if stopping {
                for (_, completion) in batch { completion(.failure(Self.stoppingError)) }
                for (easy, transfer) in active {
                    curl_multi_remove_handle(multi, easy)
                    transfer.fail(Self.stoppingError)
                    curl_easy_cleanup(easy)
                    Unmanaged.passUnretained(transfer).release()
                }
                for easy in idleHandles { curl_easy_cleanup(easy) }
                idleHandles.removeAll()
                stopped.signal()
                return
            }
            for (request, completion) in batch {
                let easy = idleHandles.popLast() ?? curl_easy_init()!
                let transfer = CurlTransfer(easy: easy, completion: completion, bodyLimit: configuration.responseBodyLimit)
                let userData = Unmanaged.passRetained(transfer).toOpaque()
                if let problem = transfer.configure(request, userData: userData) {
                    Unmanaged<CurlTransfer>.fromOpaque(userData).release()
                    transfer.fail(TransportError(code: .invalidRequest, message: problem, requestMayHaveArrived: false))
                    recycle(easy)
                    continue
                }
                active[easy] = transfer
                curl_multi_add_handle(multi, easy)
            }
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                    let transfer = active.removeValue(forKey: easy)
                else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, easy)
                transfer.finish(code: code)
                Unmanaged.passUnretained(transfer).release()
                recycle(easy)
            }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    private func recycle(_ easy: UnsafeMutableRawPointer) {
        curl_easy_reset(easy)
        if idleHandles.count < 512 {
            idleHandles.append(easy)
        } else {
            curl_easy_cleanup(easy)
        }
    }
}
