/// Where a message stands in its lifecycle (see docs/lifecycle.md).
public enum MessageState: String, Sendable, Codable, CaseIterable {
    case held
    case scheduled
    case sending
    case retrying
    case delivered
    case dead
    case cancelled
    case expired
    case unconfirmed

    /// States that a claim may pick up when due.
    public static let claimable: [MessageState] = [.scheduled, .retrying]

    /// States in which nothing more happens unless an operator acts: the retention policy counts from when a
    /// message reached one. (`unconfirmed` is not among them: it waits for an operator to find the post.)
    public static let finished: [MessageState] = [.delivered, .dead, .cancelled, .expired]
}
