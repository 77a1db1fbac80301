import Foundation

/// What a channel adapter concluded from one delivery attempt. The worker turns it into a state change.
public enum DeliveryOutcome: Sendable, Equatable {
    /// The receiver accepted the message; `proof` is the short reply to keep (status line, SMTP reply), and `post`
    /// the public post it created, where the network says. `pauseChannelUntil` is set when the answer also said the
    /// channel's budget is spent (`*-Remaining: 0`): nothing more is sent on it before then, so no request is wasted
    /// on a 429.
    case delivered(proof: String, post: PublishedPost? = nil, pauseChannelUntil: Date? = nil)
    /// A transient failure. `after` is the receiver's own hint (Retry-After, reset header), if it gave one;
    /// `pauseChannel` asks the worker to stop sending anything on the channel until then.
    case retry(reason: String, after: Date?, pauseChannel: Bool)
    /// The receiver will never accept this message as it is.
    case permanent(reason: String)
    /// The request may have reached the receiver but no answer came back. Whether it may be sent again is the
    /// channel's `RepeatRecognition`.
    case ambiguous(reason: String)
    /// The receiver refused the session's token as expired or revoked: renew the session and send once more.
    case reauthenticate(reason: String)

    public var label: String {
        switch self {
        case .delivered: "delivered"
        case .retry: "retry"
        case .permanent, .reauthenticate: "permanent"
        case .ambiguous: "ambiguous"
        }
    }

    /// The post a delivery created, if the network named it.
    public var post: PublishedPost? {
        if case .delivered(_, let post, _) = self { return post }
        return nil
    }

    /// Until when the whole channel must send nothing, if the receiver said so: a rate limit's reset after a 429, or
    /// a budget spent by this very delivery. Decided here, once, by the adapter that read the answer.
    public var pauseChannelUntil: Date? {
        switch self {
        case .delivered(_, _, let until): until
        case .retry(_, let after, true): after
        default: nil
        }
    }

    /// The text kept with the attempt: the proof of delivery or the reason for failure.
    public var detail: String {
        switch self {
        case .delivered(let proof, _, _): proof
        case .retry(let reason, _, _), .permanent(let reason), .ambiguous(let reason), .reauthenticate(let reason): reason
        }
    }
}

/// The public trace of a created post: the network's id for it and the address anyone can open, so an operator can
/// show that a post went out, and where.
public struct PublishedPost: Sendable, Equatable, Codable {
    public var id: String
    public var url: String?

    public init(id: String, url: String?) {
        self.id = id
        self.url = url
    }
}
