import Foundation

/// A channel told to send nothing for a while, as the store shares it between workers.
public struct ChannelPause: Sendable, Equatable {
    public var until: Date
    /// The receiver's words or the circuit's, for operators.
    public var reason: String

    public init(until: Date, reason: String) {
        self.until = until
        self.reason = reason
    }

    /// How the reason of a pause set by a worker's circuit breaker begins, so readers can tell it from a receiver's.
    public static let circuitReasonPrefix = "circuit opened"
}
