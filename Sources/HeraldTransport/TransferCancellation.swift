import Synchronization

/// Lets whoever started a transfer abandon it: a stopping worker, or a task that was cancelled while it waited.
/// The transport then completes the transfer at once with a `cancelled` error (saying whether the request may
/// already have left), instead of keeping its caller waiting for the receiver.
public final class TransferCancellation: Sendable {
    private struct State {
        var cancelled = false
        var handler: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    public init() {}

    /// Asks the transport to abandon the transfer; the first call counts, later ones do nothing.
    public func cancel() {
        let handler = state.withLock { state -> (@Sendable () -> Void)? in
            guard !state.cancelled else { return nil }
            state.cancelled = true
            defer { state.handler = nil }
            return state.handler
        }
        handler?()
    }

    public var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// For transports: what to do on `cancel()`, run at once if that has already happened.
    public func onCancel(_ handler: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.cancelled { return true }
            state.handler = handler
            return false
        }
        if runNow { handler() }
    }
}
