/// Counts of what a worker's run did.
public struct WorkerSummary: Sendable, Equatable {
    /// Transfers started.
    public var attempts = 0
    public var delivered = 0
    public var retried = 0
    public var dead = 0
    public var unconfirmed = 0
    /// Claimed messages given back unsent (their request never started).
    public var released = 0
    /// Transfers still running when the shutdown grace ran out, recorded as interrupted attempts.
    public var interrupted = 0

    public init() {}

    /// The line `herald worker` prints when it stops.
    public var text: String {
        "attempts \(attempts), delivered \(delivered), retries scheduled \(retried), dead \(dead), unconfirmed \(unconfirmed), "
            + "released \(released), interrupted \(interrupted)"
    }
}
