import Foundation
import HeraldChannels
import HeraldCore
import HeraldRules
import HeraldStore
import HeraldTransport
import Logging
import Synchronization

/// Claims due messages, delivers them through the transport, and records every attempt and its consequence.
///
/// One coordinating loop owns all scheduling state (in-flight counts, pauses, rate budgets); each delivery runs as
/// its own task that only reports back. The loop sleeps until the next due time, a finished delivery, or a change
/// in the store — it never polls.
public final class DeliveryWorker<Store: HeraldStore>: Sendable {
    public struct Configuration: Sendable {
        /// Names this worker's leases in the store.
        public var workerID: String
        public var lease: TimeInterval
        /// How long `stop()` waits for deliveries in flight before releasing them to other workers.
        public var shutdownGrace: TimeInterval
        /// A cap on transfers in flight across all channels.
        public var maxInFlight: Int
        /// Deliver what is due now, and the retries and pauses that end within `onceWaitLimit`, then return; what
        /// would take longer stays queued for the next run.
        public var once: Bool
        public var onceWaitLimit: TimeInterval

        public init(
            workerID: String, lease: TimeInterval = 60, shutdownGrace: TimeInterval = 10, maxInFlight: Int = 256, once: Bool = false,
            onceWaitLimit: TimeInterval = 60
        ) {
            self.workerID = workerID
            self.lease = lease
            self.shutdownGrace = shutdownGrace
            self.maxInFlight = maxInFlight
            self.once = once
            self.onceWaitLimit = onceWaitLimit
        }
    }

    /// Counts of what a run did.
    public struct Summary: Sendable, Equatable {
        public var attempts = 0
        public var delivered = 0
        public var retried = 0
        public var dead = 0
        public var unconfirmed = 0
        public var released = 0

        public init() {}
    }

    let store: Store
    let transport: any Transport
    let channels: [WorkerChannel]
    let configuration: Configuration
    let clock: any HeraldClock
    let logger: Logger
    let doorbell = WakeSignal()
    let finished = FinishedDeliveries()
    /// One session keeper per channel that logs in, shared by all its deliveries.
    let sessions: [String: SessionKeeper<Store>]
    private let stopping = Mutex(false)

    public init(
        store: Store, transport: any Transport, channels: [WorkerChannel], configuration: Configuration,
        clock: any HeraldClock = SystemClock(), logger: Logger
    ) {
        self.store = store
        self.transport = transport
        self.channels = channels
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        var sessions: [String: SessionKeeper<Store>] = [:]
        for channel in channels {
            guard let adapter = channel.adapter as? any SessionChannelAdapter else { continue }
            sessions[channel.name] = SessionKeeper(
                channel: channel.name, adapter: adapter, store: store, transport: transport, clock: clock, logger: logger
            )
        }
        self.sessions = sessions
    }

    /// Asks a running worker to stop claiming, finish what is in flight (up to the grace period) and return.
    public func stop() {
        stopping.withLock { $0 = true }
        doorbell.signal()
    }

    private var isStopping: Bool { stopping.withLock { $0 } }

    /// Runs until `stop()`, or, with `once`, until nothing due remains.
    public func run() async throws -> Summary {
        var summary = Summary()
        var states = Dictionary(uniqueKeysWithValues: channels.map { ($0.name, ChannelRunState(channel: $0, now: clock.now())) })
        var inFlight: [MessageID: String] = [:]
        // Retry times recorded by this run and not yet due: a once-run waits for those that come soon.
        var retriesThisRun: [Date] = []
        let names = channels.map(\.name)
        while true {
            let results = finished.takeAll()
            let completions = results.isEmpty
                ? [] : record(results, states: &states, inFlight: &inFlight, summary: &summary, retries: &retriesThisRun)
            if isStopping {
                try await store.complete(completions, worker: configuration.workerID, now: clock.now())
                try await sharePauses(&states, now: clock.now())
                break
            }
            var now = clock.now()
            // Freed slots are refilled from what was claimed last turn, before any store round trip.
            summary.attempts += launchReady(&states, inFlight: &inFlight, now: now)
            try await sharePauses(&states, now: now)
            try await releaseReadyOfPausedChannels(&states, now: now)

            var requests: [ClaimRequest] = []
            var earliestCapacity: Date?
            var waitingChannels: [String: Date] = [:]
            let readyCount = states.values.reduce(0) { total, state in total + state.ready.count }
            var budget = 2 * configuration.maxInFlight - inFlight.count - readyCount
            for name in names where budget > 0 {
                let (count, retryAt) = states[name]!.capacity(now: now)
                if let retryAt {
                    earliestCapacity = min(earliestCapacity ?? retryAt, retryAt)
                    if count == 0 { waitingChannels[name] = retryAt }
                }
                let wanted = min(count, budget)
                if wanted > 0 {
                    requests.append(ClaimRequest(channel: name, limit: wanted))
                    budget -= wanted
                }
            }
            var claimedCount = 0
            if requests.isEmpty {
                try await store.complete(completions, worker: configuration.workerID, now: now)
            } else {
                // Recording what finished and claiming what is due share one transaction: the busy worker's whole turn.
                let claimed = try await store.completeAndClaim(
                    completions, claims: requests, worker: configuration.workerID, lease: configuration.lease, now: now
                )
                claimedCount = claimed.count
                for item in claimed { states[item.message.channel]?.hold(item) }
                summary.attempts += launchReady(&states, inFlight: &inFlight, now: clock.now())
            }
            // A full claim may leave more due: go round again at once.
            if claimedCount > 0, claimedCount == requests.reduce(0, { $0 + $1.limit }) { continue }

            // With no room on any channel, only a finished delivery (the doorbell) or the end of a pause or rate
            // wait can make room; otherwise sleep until something falls due on a channel that has room.
            now = clock.now()
            var wakeAt = earliestCapacity ?? now.addingTimeInterval(3600)
            var nextDue: Date?
            if !requests.isEmpty {
                nextDue = try await store.nextWakeTime(channels: requests.map(\.channel))
                if let nextDue { wakeAt = min(wakeAt, nextDue) }
            }
            let holding = !inFlight.isEmpty || states.values.contains { !$0.ready.isEmpty }
            if configuration.once, !holding, finished.isEmpty {
                // A retry recorded this turn without a claim (no channel had room) may already be due: ask the store
                // rather than trusting the clock, or a busy machine ends the run with a due retry left behind.
                if requests.isEmpty { nextDue = try await store.nextWakeTime(channels: names) }
                let dueNow = nextDue.map { $0 <= now } ?? false
                let horizon = now.addingTimeInterval(configuration.onceWaitLimit)
                // Retries already due are the store's to report (dueNow, or behind a wait).
                retriesThisRun.removeAll { $0 < now }
                let nextRetry = retriesThisRun.min()
                let retryPending = nextRetry.map { $0 <= horizon } ?? false
                // A pause or spent rate budget is worth waiting out only if it ends soon and something is due by then
                // (the store reckons a paused channel's messages due when the pause ends).
                let shortWaits = waitingChannels.filter { $0.value <= horizon }.map(\.key)
                let dueBehindAWait = shortWaits.isEmpty
                    ? false : (try await store.nextWakeTime(channels: shortWaits)).map { $0 <= horizon } ?? false
                if !dueNow && !retryPending && claimedCount == 0 && !dueBehindAWait { break }
                if retryPending, let nextRetry { wakeAt = min(wakeAt, nextRetry) }
            }
            await sleep(until: wakeAt, listeningToStore: !requests.isEmpty)
        }

        summary.released = try await drain(inFlight: &inFlight, states: &states, summary: &summary, retries: &retriesThisRun)
        return summary
    }

    /// Waits for the doorbell (a finished delivery, `stop()`) or `deadline`. While some channel has room, a change
    /// in the store (another process enqueued or retried something) rings it too; when every channel is full only a
    /// finished delivery can help, and not listening spares a wake-up for every commit.
    private func sleep(until deadline: Date, listeningToStore: Bool) async {
        guard listeningToStore else {
            await doorbell.wait(until: deadline)
            return
        }
        let watcher = Task { [store, doorbell] in
            await store.waitForChange(until: deadline)
            if !Task.isCancelled { doorbell.signal() }
        }
        await doorbell.wait(until: deadline)
        watcher.cancel()
    }

    /// After `stop()`: wait for deliveries in flight up to the grace period, record them, release the rest.
    private func drain(
        inFlight: inout [MessageID: String], states: inout [String: ChannelRunState], summary: inout Summary, retries: inout [Date]
    ) async throws -> Int {
        let deadline = Date().addingTimeInterval(configuration.shutdownGrace)
        while !inFlight.isEmpty {
            let results = finished.takeAll()
            if !results.isEmpty {
                let completions = record(results, states: &states, inFlight: &inFlight, summary: &summary, retries: &retries)
                try await store.complete(completions, worker: configuration.workerID, now: clock.now())
                // A pause learned while stopping still holds for the workers that carry on.
                try await sharePauses(&states, now: clock.now())
                continue
            }
            if Date() >= deadline { break }
            await doorbell.wait(until: deadline)
        }
        var left = Array(inFlight.keys)
        for state in states.values { left += state.ready.map { $0.message.id } }
        if !left.isEmpty {
            logger.info("releasing deliveries not finished", metadata: ["count": "\(left.count)"])
            try await store.release(left, worker: configuration.workerID, now: clock.now())
        }
        return left.count
    }
}
