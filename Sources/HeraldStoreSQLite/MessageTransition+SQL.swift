import HeraldCore

extension MessageTransition {
    /// The states the transition may start from as an SQL list, `('dead', 'cancelled')`: the driver's state
    /// conditions come from the lifecycle table rather than restating it.
    var fromSQL: String {
        "(" + from.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
    }
}
