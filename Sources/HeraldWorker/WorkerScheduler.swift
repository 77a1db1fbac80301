import Foundation
import HeraldCore
import HeraldRules
import HeraldStore

/// Every decision a worker makes, with no I/O: which claimed messages start now, what the next store turn records,
/// renews, releases and claims (shared fairly between the channels that have something due), when to wake, and
/// when a run is over. The worker's loop feeds it what happened (finished deliveries, the store's answers, the time)
/// and carries out what it decides; tests drive it directly with any channel states and any time.
///
/// Time comes in twice: `now` (wall clock) for everything compared with stored times, `uptime` (monotonic) for the
/// worker's own deadlines — the leases it holds, the shutdown grace, the back-off after a storage fault. The rules are
/// set out in `docs/worker.md`.
struct WorkerScheduler: Sendable {
    struct Settings: Sendable {
        var workerID: String
        var lease: TimeInterval
        /// Transfers in flight across all channels; as many again may be held claimed ahead.
        var maxInFlight: Int
        /// How long a stopping worker waits for transfers in flight before recording them as interrupted.
        var shutdownGrace: TimeInterval
        var once: Bool
        var onceWaitLimit: TimeInterval
        /// How long a stopping worker keeps trying to record its last attempts in a store that fails.
        var stoppingFaultLimit: TimeInterval = 30
        /// Under load, finished attempts are recorded in batches of this many, or once the oldest has waited
        /// `recordWindow`: each store turn is a commit whose page writes cost the same for one attempt as for many.
        var recordBatch: Int { max(1, maxInFlight / 2) }
        var recordWindow: TimeInterval = 0.02
    }

    /// One delivery handed to the transport.
    struct InFlight: Sendable {
        var held: HeldMessage
        var startedAt: Date
        var startedUptime: TimeInterval
        /// The store refused to renew its lease (another worker holds the message now): it is not asked again.
        var leaseLost = false
    }

    /// The store failing to take turns: when it began, when to try again.
    struct Fault: Sendable {
        var since: TimeInterval
        var retryAt: TimeInterval
        var failures: Int
        var message: String
    }

    /// What to do now.
    struct Decision: Sendable {
        /// Claimed messages to start, in this order.
        var launch: [HeldMessage] = []
        /// The store turn to begin; at most one is under way at a time.
        var turn: WorkerTurn?
        /// Transfers to abandon: the shutdown grace ran out, and they are recorded as interrupted.
        var abandon: [MessageID] = []
        /// The uptime to wake at if nothing happens first; nil to wait for news only.
        var wakeAt: TimeInterval?
        /// Whether news from the store (another process's enqueue) could give this worker something to do.
        var listenToStore = false
        /// The run is over.
        var done = false
        /// Stopping could not record everything: the store kept failing. Finished attempts left unrecorded.
        var unrecorded = 0
    }

    let settings: Settings
    let rule: LeaseRule
    var lanes: [String: ChannelLane]
    /// Channel names in a fixed order; cursors into it share claims and launches round robin.
    let order: [String]
    var claimCursor = 0
    var launchCursor = 0
    var inFlight: [MessageID: InFlight] = [:]
    /// Finished attempts not yet recorded, and claimed messages to give back unsent.
    var pending: [Completion] = []
    /// The uptime at which the oldest of `pending` was noticed.
    var pendingSince: TimeInterval?
    var releases: [MessageID] = []
    /// The turn under way, the uptime it began at, and the store-change count then.
    var turnUnderWay: (turn: WorkerTurn, began: TimeInterval, changes: Int)?
    var surveyStale = true
    private var changes = 0
    private(set) var stopRequested: TimeInterval?
    private(set) var fault: Fault?
    var lastReading: (wall: Date, uptime: TimeInterval)?
    var renewAll = false
    /// The uptime at which the next held message needs its lease renewed (a lower bound): before it, no lease is
    /// looked at, so a busy worker does not go through everything it holds on every turn.
    var renewalDue: TimeInterval = 0
    /// What the log should say; the loop takes and clears it after every decision.
    var notices: [WorkerNotice] = []
    var summary = WorkerSummary()

    init(settings: Settings, channels: [WorkerChannel], now: Date) {
        self.settings = settings
        rule = LeaseRule(lease: settings.lease)
        order = channels.map(\.name)
        lanes = Dictionary(uniqueKeysWithValues: channels.map { ($0.name, ChannelLane(channel: $0, now: now)) })
    }

    var turnIsUnderWay: Bool { turnUnderWay != nil }

    /// Messages claimed ahead across all channels.
    var readyCount: Int { lanes.values.reduce(0) { $0 + $1.ready.count } }

    // MARK: Events

    /// Stop claiming and starting; what was claimed ahead goes back to the store, what is in flight is waited for.
    mutating func stop(uptime: TimeInterval) {
        guard stopRequested == nil else { return }
        stopRequested = uptime
        for name in order where !lanes[name]!.ready.isEmpty {
            releases += lanes[name]!.ready.map(\.id)
            lanes[name]!.ready.removeAll()
        }
    }

    /// Another process may have changed the store: the backlog is to be read again.
    mutating func storeChanged() {
        surveyStale = true
        changes += 1
    }

    /// Takes in the store's answer to the turn under way.
    mutating func absorb(_ result: WorkerTurnResult, now: Date, uptime: TimeInterval) {
        guard let (turn, began, changesThen) = turnUnderWay else { return }
        turnUnderWay = nil
        if let fault {
            notices.append(.storeRecovered(after: uptime - fault.since, recorded: turn.completions.count))
            self.fault = nil
        }
        summary.released += turn.releases.count
        absorbRenewals(asked: turn.renewals, result: result, began: began)
        for claimed in result.claimed {
            let held = HeldMessage(claimed: claimed, leaseEndsUptime: began + settings.lease)
            if stopRequested != nil || lanes[claimed.message.channel]?.isPaused(at: now) != false {
                releases.append(held.id)
            } else {
                lanes[claimed.message.channel]!.hold(held)
                renewalDue = min(renewalDue, held.leaseEndsUptime - renewalThreshold(for: claimed.message.channel))
            }
        }
        for (name, backlog) in result.backlog where lanes[name] != nil {
            lanes[name]!.due = backlog.due
            lanes[name]!.nextDue = backlog.nextDue
            lanes[name]!.nextDeadline = backlog.nextDeadline
            if let pause = backlog.pause { pauseLane(name, until: pause.until, reason: pause.reason, now: now, announce: false) }
        }
        if changes == changesThen, !turn.survey.isEmpty { surveyStale = false }
    }

    private mutating func absorbRenewals(asked: [MessageID], result: WorkerTurnResult, began: TimeInterval) {
        guard !asked.isEmpty else { return }
        let renewed = Set(result.renewed)
        let lost = Set(asked).subtracting(renewed)
        for name in order {
            lanes[name]!.ready.removeAll { lost.contains($0.id) }
            guard let until = result.renewedUntil else { continue }
            for index in lanes[name]!.ready.indices where renewed.contains(lanes[name]!.ready[index].id) {
                lanes[name]!.ready[index].renew(until: until, turnBegan: began, lease: settings.lease)
            }
        }
        if let until = result.renewedUntil {
            for id in renewed where inFlight[id] != nil {
                inFlight[id]!.held.renew(until: until, turnBegan: began, lease: settings.lease)
            }
        }
        for id in lost where inFlight[id] != nil { inFlight[id]!.leaseLost = true }
        let lostReady = lost.filter { inFlight[$0] == nil }.count
        if lostReady > 0 { notices.append(.leasesLost(count: lostReady)) }
    }

    /// The turn under way failed. What it carried is kept to try again; returns false when the failure is not one
    /// that waiting can cure (the worker must then stop).
    mutating func turnFailed(_ error: HeraldError, uptime: TimeInterval) -> Bool {
        guard let (turn, _, _) = turnUnderWay else { return true }
        turnUnderWay = nil
        pending = turn.completions + pending
        releases = turn.releases + releases
        guard error.code == .storageUnavailable else { return false }
        var fault = self.fault ?? Fault(since: uptime, retryAt: uptime, failures: 0, message: error.message)
        fault.failures += 1
        fault.retryAt = uptime + min(5, 0.25 * pow(2, Double(min(fault.failures - 1, 10))))
        if self.fault == nil { notices.append(.storeUnavailable(message: error.message, holding: pending.count)) }
        self.fault = fault
        return true
    }

    // MARK: Deciding

    /// What to do at wall time `now` and uptime `uptime`.
    mutating func decide(now: Date, uptime: TimeInterval) -> Decision {
        noticeWallClockStep(now: now, uptime: uptime)
        var decision = Decision()
        if let stop = stopRequested {
            if !inFlight.isEmpty, uptime >= stop + settings.shutdownGrace { decision.abandon = interruptAll(now: now, uptime: uptime) }
        } else if fault == nil {
            decision.launch = launchReady(now: now, uptime: uptime)
            summary.attempts += decision.launch.count
        }
        if !pending.isEmpty, pendingSince == nil { pendingSince = uptime }
        if turnUnderWay == nil, let turn = nextTurn(now: now, uptime: uptime) {
            turnUnderWay = (turn, uptime, changes)
            pending.removeAll()
            pendingSince = nil
            releases.removeAll()
            decision.turn = turn
        }
        (decision.done, decision.unrecorded) = isDone(now: now, uptime: uptime)
        // A turn under way always answers, and its answer wakes the loop, which then works out the wake time afresh: a
        // timer meanwhile would only cost a task per sleep of a busy worker.
        decision.wakeAt = turnUnderWay == nil ? wakeTime(now: now, uptime: uptime) : nil
        // Only a worker with room to spare listens for other processes' commits: a busy one reads the backlog in every
        // turn anyway, and listening while it writes would wake it for each of its own commits.
        decision.listenToStore = stopRequested == nil && fault == nil && turnUnderWay == nil
            && inFlight.count + readyCount < settings.maxInFlight
        return decision
    }

    /// Whether the next turn may wait for more finished attempts to record with it: only while every slot is busy
    /// (or enough are claimed ahead to fill them), nothing else in the turn is pressing, and the oldest finished
    /// attempt has waited less than the window. A quiet worker, or one about to run dry, turns at once.
    private func mayWaitForABatch(renewals: [MessageID], expire: Bool, uptime: TimeInterval) -> Bool {
        guard stopRequested == nil, fault == nil, releases.isEmpty, renewals.isEmpty, !expire, !inFlight.isEmpty,
            pending.count < settings.recordBatch, inFlight.count >= settings.maxInFlight, readyCount >= settings.maxInFlight / 2
        else { return false }
        return pendingSince.map { uptime < $0 + settings.recordWindow } ?? true
    }

    /// The next store turn, if there is anything to write or the backlog must be read again.
    private mutating func nextTurn(now: Date, uptime: TimeInterval) -> WorkerTurn? {
        if let fault, uptime < fault.retryAt { return nil }
        let renewals = renewAll || uptime >= renewalDue ? heldNeedingRenewal(now: now, uptime: uptime) : []
        let expire = !settings.once && stopRequested == nil && lanes.values.contains { $0.nextDeadline.map { $0 <= now } ?? false }
        // Decided before the claims are shared out: sharing moves the round-robin cursor, which a turn that waits
        // must leave where it is.
        guard !mayWaitForABatch(renewals: renewals, expire: expire, uptime: uptime) else { return nil }
        let claims = stopRequested == nil && fault == nil ? distributeClaims(now: now) : []
        let writes = !pending.isEmpty || !releases.isEmpty || !renewals.isEmpty || !claims.isEmpty || expire
        guard writes || (surveyStale && stopRequested == nil) else { return nil }
        renewAll = false
        let limit = min(2 * settings.maxInFlight, lanes.values.map { 2 * $0.channel.maxInFlight }.max() ?? 1)
        return WorkerTurn(
            completions: pending, renewals: renewals, releases: releases, claims: claims, lease: settings.lease,
            survey: stopRequested == nil ? order : [], surveyLimit: max(1, limit), expire: expire
        )
    }
}
