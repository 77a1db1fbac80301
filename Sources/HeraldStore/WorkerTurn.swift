import Foundation
import HeraldCore

/// Everything a worker asks of the store in one turn, carried out in one transaction: record what finished, keep
/// the leases of what it still holds, give back what it will not send, take more, and report each channel's backlog.
///
/// One transaction per turn is what keeps a busy worker fast, and it makes the order of things certain: an attempt
/// and the pause it caused land together, and the backlog it reports already counts this turn's claims and retries.
public struct WorkerTurn: Sendable, Equatable {
    /// Finished attempts to record, each moving its message on (and, where it says so, pausing its channel).
    public var completions: [Completion]
    /// Messages the worker holds (claimed ahead, or in flight) whose leases should run from now again.
    public var renewals: [MessageID]
    /// Claimed messages whose request never started: back to the queue, with a "released" event.
    public var releases: [MessageID]
    /// How many due messages to take of each channel.
    public var claims: [ClaimRequest]
    /// How long claims and renewals hold.
    public var lease: TimeInterval
    /// The channels whose backlog to report after the rest is done.
    public var survey: [String]
    /// At most this many due messages are counted per channel in the report.
    public var surveyLimit: Int
    /// Expire the messages whose deadline has passed, even if nothing is claimed (claims always do).
    public var expire: Bool

    public init(
        completions: [Completion] = [], renewals: [MessageID] = [], releases: [MessageID] = [], claims: [ClaimRequest] = [],
        lease: TimeInterval = 60, survey: [String] = [], surveyLimit: Int = 1, expire: Bool = false
    ) {
        self.completions = completions
        self.renewals = renewals
        self.releases = releases
        self.claims = claims
        self.lease = lease
        self.survey = survey
        self.surveyLimit = surveyLimit
        self.expire = expire
    }

    /// Whether the turn changes anything, or only reads the backlog.
    public var writes: Bool {
        !completions.isEmpty || !renewals.isEmpty || !releases.isEmpty || claims.contains { $0.limit > 0 } || expire
    }
}

/// What the store answered to a turn.
public struct WorkerTurnResult: Sendable, Equatable {
    public var claimed: [ClaimedMessage]
    /// The renewed messages (still held by this worker), and when their leases now run out. A message asked for and
    /// missing here is no longer this worker's: its lease ran out and another took it, or it was cancelled.
    public var renewed: [MessageID]
    public var renewedUntil: Date?
    /// The backlog of each surveyed channel, as it stands after this turn.
    public var backlog: [String: ChannelBacklog]

    public init(claimed: [ClaimedMessage] = [], renewed: [MessageID] = [], renewedUntil: Date? = nil, backlog: [String: ChannelBacklog] = [:]) {
        self.claimed = claimed
        self.renewed = renewed
        self.renewedUntil = renewedUntil
        self.backlog = backlog
    }
}

/// What waits on one channel, as far as a worker needs to know to share its capacity fairly and to sleep until
/// something falls due.
public struct ChannelBacklog: Sendable, Equatable {
    /// Messages claimable now, counted up to the turn's `surveyLimit`. Zero while the channel is paused.
    public var due: Int
    /// When the next message becomes claimable (a send time, a retry, another worker's lease running out); for a
    /// paused channel, no earlier than the end of the pause.
    public var nextDue: Date?
    /// The earliest deadline of a message still unsent: the store expires it then.
    public var nextDeadline: Date?
    /// A pause written to the store (by any worker) that has not ended.
    public var pause: ChannelPause?

    public init(due: Int = 0, nextDue: Date? = nil, nextDeadline: Date? = nil, pause: ChannelPause? = nil) {
        self.due = due
        self.nextDue = nextDue
        self.nextDeadline = nextDeadline
        self.pause = pause
    }
}
