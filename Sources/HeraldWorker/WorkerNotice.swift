import Foundation

/// Something the scheduler decided that an operator should read in the log. The scheduler only reports it; the
/// worker's loop writes it, once, however many messages it concerns.
enum WorkerNotice: Sendable, Equatable {
    case channelPaused(channel: String, until: Date, reason: String)
    case circuitOpened(channel: String, probeAt: Date, last: String)
    case circuitClosed(channel: String)
    /// The store could not be written; `holding` finished attempts wait in memory to be recorded.
    case storeUnavailable(message: String, holding: Int)
    /// The store took a turn again after `after` seconds of faults, recording `recorded` attempts that had waited.
    case storeRecovered(after: TimeInterval, recorded: Int)
    /// The wall clock jumped against the monotonic one; the leases held were renewed at once.
    case wallClockStepped(by: TimeInterval)
    /// The shutdown grace ran out with `count` transfers still running; they were recorded as interrupted.
    case interrupted(count: Int, grace: TimeInterval)
    /// Messages claimed ahead whose leases another worker now holds (this worker's ran out): they are not sent here.
    case leasesLost(count: Int)
}
