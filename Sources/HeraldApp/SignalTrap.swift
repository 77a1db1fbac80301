import Dispatch
import Foundation

/// Turns SIGTERM and SIGINT into a call, so a worker can stop claiming and drain instead of dying mid-delivery.
public final class SignalTrap: @unchecked Sendable {
    // Invariant: `sources` is set once in init; DispatchSource is thread-safe for cancel().
    private let sources: [any DispatchSourceSignal]

    public init(_ handler: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "herald.signals")
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    public func cancel() {
        for source in sources { source.cancel() }
    }
}
