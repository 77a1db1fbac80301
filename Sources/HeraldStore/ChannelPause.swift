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
}
