import Foundation
import HeraldCore
import HeraldStore

/// A claimed message in the worker's hands, with the lease that lets it be sent, reckoned twice: by the store's
/// wall-clock expiry, which other workers go by, and by this worker's own monotonic uptime, which no correction of
/// the system's time can stretch. What is left of the lease is the smaller of the two.
struct HeldMessage: Sendable, Equatable {
    var claimed: ClaimedMessage
    /// The lease's end in uptime: the uptime at which the turn that claimed or renewed it began, plus the lease.
    var leaseEndsUptime: TimeInterval

    var id: MessageID { claimed.message.id }
    var channel: String { claimed.message.channel }

    /// Seconds of lease left at wall time `now` and uptime `uptime`.
    func leaseRemaining(now: Date, uptime: TimeInterval) -> TimeInterval {
        min(leaseEndsUptime - uptime, claimed.leaseExpires.timeIntervalSince(now))
    }

    /// The lease renewed by a turn that began at `uptime` and that the store stamped with `until`.
    mutating func renew(until: Date, turnBegan uptime: TimeInterval, lease: TimeInterval) {
        claimed.leaseExpires = until
        leaseEndsUptime = uptime + lease
    }
}
