import Foundation

/// What a channel adapter concluded from one delivery attempt. The worker turns it into a state change.
public enum DeliveryOutcome: Sendable, Equatable {
    /// The receiver accepted the message; `proof` is the short reply to keep (status line, post URL, SMTP reply).
    case delivered(proof: String)
    /// A transient failure. `after` is the receiver's own hint (Retry-After, reset header), if it gave one;
    /// `pauseChannel` asks the worker to stop sending anything on the channel until then.
    case retry(reason: String, after: Date?, pauseChannel: Bool)
    /// The receiver will never accept this message as it is.
    case permanent(reason: String)
    /// The request may have reached the receiver but no answer came back, and the receiver cannot deduplicate.
    case ambiguous(reason: String)

    public var label: String {
        switch self {
        case .delivered: "delivered"
        case .retry: "retry"
        case .permanent: "permanent"
        case .ambiguous: "ambiguous"
        }
    }
}
