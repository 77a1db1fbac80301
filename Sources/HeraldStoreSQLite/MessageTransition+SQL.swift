import HeraldCore

extension Sequence where Element == MessageState {
    /// The states as an SQL list, `('dead', 'cancelled')`.
    var sqlList: String {
        "(" + map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
    }
}

extension MessageTransition {
    /// The states the transition may start from as an SQL list: the driver's state conditions come from the
    /// lifecycle table rather than restating it.
    var fromSQL: String { from.sqlList }
}

extension SQLiteStore {
    /// The states a due message is claimed from. The `messages_due` index is defined on the same list, which a test
    /// checks, so the claim keeps using it.
    static let dueStates = MessageState.claimable.sqlList
    /// The states an overdue message expires from, as the deadline indexes spell them (also checked by a test).
    static let unsentStates = MessageTransition.expire.from.sqlList
    /// The state of a message under a lease.
    static let leased = "'\(MessageTransition.claim.to.rawValue)'"
}
