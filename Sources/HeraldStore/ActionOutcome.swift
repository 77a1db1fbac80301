import Foundation
import HeraldCore

/// What an operator's action did to one message, so the caller can say so message by message.
public struct ActionOutcome: Equatable, Sendable {
    public enum Result: Equatable, Sendable {
        /// The message moved to this state. `held` with a gate: it will not be sent until that gate opens.
        case moved(MessageState, gate: MessageGate?)
        /// Nothing changed; the reason names the state, the deadline or the gate.
        case refused(String)
        case notFound
    }

    public var id: MessageID
    public var result: Result

    public init(id: MessageID, result: Result) {
        self.id = id
        self.result = result
    }
}
