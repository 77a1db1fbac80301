import CCurl
import Foundation

/// Runs SMTP submissions with `curl_easy_perform`, each on a thread of its own, one easy handle (and so one kept-alive
/// connection) per thread.
///
/// libcurl finishes an SMTP submission by waiting for the server's reply to the end of the message inside the transfer
/// call itself, even on a multi handle: on the shared engine thread that wait would stop every other transfer, so
/// email would go one reply at a time and a slow server would hold up webhooks. Here the waits overlap, as many as
/// there are threads. Threads are started as submissions need them, up to `maxThreads`, and stay for the next one.
final class BlockingTransferPool: @unchecked Sendable {
    // Invariant: `queue`, `running`, `threads`, `idle` and `stopping` are read and written only with `condition` held.

    struct Submission {
        var id: UInt64
        var request: TransferRequest
        var completion: Transport.Completion
    }

    private let condition = NSCondition()
    private var queue: [Submission] = []
    /// The abort flag of each submission under way, to end it when its caller abandons it.
    private var running: [UInt64: TransferAbort] = [:]
    private var threads = 0
    private var idle = 0
    private var stopping = false
    private let stopAll = TransferAbort()
    private let maxThreads: Int
    private let bodyLimit: Int

    init(maxThreads: Int, bodyLimit: Int) {
        self.maxThreads = maxThreads
        self.bodyLimit = bodyLimit
    }

    func submit(_ submission: Submission) {
        condition.lock()
        guard !stopping else {
            condition.unlock()
            submission.completion(.failure(TransportError(code: .cancelled, message: "the transport is shutting down", requestMayHaveArrived: false)))
            return
        }
        queue.append(submission)
        if idle == 0, threads < maxThreads {
            threads += 1
            let thread = Thread { [self] in work() }
            thread.name = "herald-smtp"
            thread.start()
        }
        condition.signal()
        condition.unlock()
    }

    /// Abandons a submission: one still queued is completed as never sent, one under way is ended within a second.
    func cancel(_ id: UInt64) {
        condition.lock()
        let queued = queue.firstIndex { $0.id == id }.map { queue.remove(at: $0) }
        let abort = running[id]
        condition.unlock()
        queued?.completion(.failure(TransportError(code: .cancelled, message: "abandoned before it started", requestMayHaveArrived: false)))
        abort?.raise()
    }

    /// Fails what is queued, ends what is under way (within a second) and waits for every thread to finish.
    func shutdown() {
        condition.lock()
        stopping = true
        stopAll.raise()
        let abandoned = queue
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
        for submission in abandoned {
            submission.completion(.failure(TransportError(code: .cancelled, message: "the transport is shutting down", requestMayHaveArrived: false)))
        }
        condition.lock()
        while threads > 0 { condition.wait() }
        condition.unlock()
    }

    private func work() {
        let easy = curl_easy_init()!
        defer { curl_easy_cleanup(easy) }
        while true {
            condition.lock()
            while queue.isEmpty && !stopping {
                idle += 1
                condition.wait()
                idle -= 1
            }
            if queue.isEmpty {
                threads -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let submission = queue.removeFirst()
            let abort = TransferAbort()
            running[submission.id] = abort
            condition.unlock()
            perform(submission, abort: abort, on: easy)
            condition.lock()
            running[submission.id] = nil
            condition.unlock()
        }
    }

    private func perform(_ submission: Submission, abort: TransferAbort, on easy: UnsafeMutableRawPointer) {
        // Resetting the options keeps the handle's connection, so the next submission to the same server reuses it.
        curl_easy_reset(easy)
        let transfer = CurlTransfer(easy: easy, completion: submission.completion, bodyLimit: bodyLimit, abort: [abort, stopAll])
        let userData = Unmanaged.passUnretained(transfer).toOpaque()
        if let problem = transfer.configure(submission.request, userData: userData) {
            transfer.fail(TransportError(code: .invalidRequest, message: problem, requestMayHaveArrived: false))
            return
        }
        withExtendedLifetime(transfer) {
            transfer.finish(code: curl_easy_perform(easy))
        }
    }
}
