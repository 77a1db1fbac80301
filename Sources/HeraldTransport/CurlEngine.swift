import CCurl
import Foundation
import HeraldCore
import Synchronization

/// The libcurl transport: one multi handle carries every HTTP transfer, many in flight, connections kept alive and
/// reused, TLS verification always on. It runs on its own thread because `curl_multi_poll` blocks, and the Swift
/// concurrency pool (two threads here) must never block. Email goes to a pool of threads beside it
/// (`BlockingTransferPool`), because libcurl waits for an SMTP server's last reply inside the transfer call.
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
        /// SMTP submissions under way at once, each on a thread of its own (see `BlockingTransferPool`).
        public var maxSMTPThreads: Int

        public init(maxHostConnections: Int = 64, maxConnections: Int = 256, responseBodyLimit: Int = 64 * 1024, maxSMTPThreads: Int = 64) {
            self.maxHostConnections = maxHostConnections
            self.maxConnections = maxConnections
            self.responseBodyLimit = responseBodyLimit
            self.maxSMTPThreads = maxSMTPThreads
        }
    }

    private struct Queued {
        var id: UInt64
        var request: TransferRequest
        var completion: Transport.Completion
    }

    private struct Shared {
        var queued: [Queued] = []
        /// Transfers their callers abandoned, for the engine thread to end.
        var cancelled: [UInt64] = []
        var nextID: UInt64 = 0
        var stopping = false
    }

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    private let configuration: Configuration
    private let multi: UnsafeMutableRawPointer
    private let shared = Mutex(Shared())
    private let stopped = DispatchSemaphore(value: 0)
    /// Email goes through its own threads: libcurl blocks for an SMTP server's last reply.
    private let smtp: BlockingTransferPool
    private var idleHandles: [UnsafeMutableRawPointer] = []

    public init(configuration: Configuration = Configuration()) {
        _ = Self.globalInit
        self.configuration = configuration
        smtp = BlockingTransferPool(maxThreads: configuration.maxSMTPThreads, bodyLimit: configuration.responseBodyLimit)
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

    public func send(_ request: TransferRequest, cancellation: TransferCancellation?, completion: @escaping Transport.Completion) {
        // Only the request that finds the queue empty wakes the engine: it takes everything queued at once, so
        // further wake-ups before it gets there would be wasted system calls.
        let isSMTP: Bool
        if case .smtp = request { isSMTP = true } else { isSMTP = false }
        let (id, wake) = shared.withLock { shared -> (UInt64?, Bool) in
            guard !shared.stopping else { return (nil, false) }
            shared.nextID += 1
            guard !isSMTP else { return (shared.nextID, false) }
            shared.queued.append(Queued(id: shared.nextID, request: request, completion: completion))
            return (shared.nextID, shared.queued.count == 1)
        }
        if isSMTP, let id {
            smtp.submit(.init(id: id, request: request, completion: completion))
            cancellation?.onCancel { [weak self] in self?.smtp.cancel(id) }
            return
        }
        guard let id else {
            completion(.failure(Self.stopping(mayHaveArrived: false)))
            return
        }
        if wake { curl_multi_wakeup(multi) }
        cancellation?.onCancel { [weak self] in self?.cancel(id) }
    }

    private func cancel(_ id: UInt64) {
        shared.withLock { $0.cancelled.append(id) }
        curl_multi_wakeup(multi)
    }

    /// Stops the engine: transfers in flight and queued fail with a `cancelled` error (one in flight may have
    /// reached its receiver, and says so), and the thread ends.
    /// Safe to call more than once.
    public func shutdown() {
        let first = shared.withLock { shared -> Bool in
            defer { shared.stopping = true }
            return !shared.stopping
        }
        guard first else { return }
        smtp.shutdown()
        curl_multi_wakeup(multi)
        stopped.wait()
    }

    private static func stopping(mayHaveArrived: Bool) -> TransportError {
        TransportError(code: .cancelled, message: "the transport is shutting down", requestMayHaveArrived: mayHaveArrived)
    }

    private func runLoop() {
        var active: [UnsafeMutableRawPointer: (id: UInt64, transfer: CurlTransfer)] = [:]
        var handles: [UInt64: UnsafeMutableRawPointer] = [:]
        var running: Int32 = 0
        while true {
            var (batch, cancelled, stopping) = shared.withLock { shared in
                defer {
                    shared.queued.removeAll(keepingCapacity: true)
                    shared.cancelled.removeAll(keepingCapacity: true)
                }
                return (shared.queued, shared.cancelled, shared.stopping)
            }
            if stopping {
                for queued in batch { queued.completion(.failure(Self.stopping(mayHaveArrived: false))) }
                for easy in Array(active.keys) { end(easy, active: &active, handles: &handles, with: Self.stopping(mayHaveArrived: true)) }
                for easy in idleHandles { curl_easy_cleanup(easy) }
                idleHandles.removeAll()
                stopped.signal()
                return
            }
            if !cancelled.isEmpty {
                let abandoned = Set(cancelled)
                for queued in batch where abandoned.contains(queued.id) {
                    queued.completion(.failure(TransportError(code: .cancelled, message: "abandoned before it started", requestMayHaveArrived: false)))
                }
                batch.removeAll { abandoned.contains($0.id) }
                for id in abandoned {
                    guard let easy = handles[id] else { continue }
                    let error = TransportError(code: .cancelled, message: "abandoned while in flight", requestMayHaveArrived: true)
                    end(easy, active: &active, handles: &handles, with: error)
                }
            }
            for queued in batch {
                let easy = idleHandles.popLast() ?? curl_easy_init()!
                let transfer = CurlTransfer(easy: easy, completion: queued.completion, bodyLimit: configuration.responseBodyLimit)
                let userData = Unmanaged.passRetained(transfer).toOpaque()
                if let problem = transfer.configure(queued.request, userData: userData) {
                    Unmanaged<CurlTransfer>.fromOpaque(userData).release()
                    transfer.fail(TransportError(code: .invalidRequest, message: problem, requestMayHaveArrived: false))
                    recycle(easy)
                    continue
                }
                active[easy] = (queued.id, transfer)
                handles[queued.id] = easy
                curl_multi_add_handle(multi, easy)
            }
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle, let entry = active.removeValue(forKey: easy)
                else { continue }
                handles.removeValue(forKey: entry.id)
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, easy)
                entry.transfer.finish(code: code)
                Unmanaged.passUnretained(entry.transfer).release()
                recycle(easy)
            }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    /// Takes a transfer off the multi handle before libcurl finished it, completing it with `error`.
    private func end(
        _ easy: UnsafeMutableRawPointer, active: inout [UnsafeMutableRawPointer: (id: UInt64, transfer: CurlTransfer)],
        handles: inout [UInt64: UnsafeMutableRawPointer], with error: TransportError
    ) {
        guard let entry = active.removeValue(forKey: easy) else { return }
        handles.removeValue(forKey: entry.id)
        curl_multi_remove_handle(multi, easy)
        entry.transfer.fail(error)
        Unmanaged.passUnretained(entry.transfer).release()
        recycle(easy)
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
