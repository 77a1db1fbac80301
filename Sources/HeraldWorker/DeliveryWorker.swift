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
        /// Deliver what is due now (and retries that fall due during the run), then return.
        public var once: Bool

        public init(workerID: String, lease: TimeInterval = 60, shutdownGrace: TimeInterval = 10, maxInFlight: Int = 256, once: Bool = false) {
            self.workerID = workerID
            self.lease = lease
            self.shutdownGrace = shutdownGrace
            self.maxInFlight = maxInFlight
            self.once = once
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

    private let store: Store
    private let transport: any HTTPTransport
    private let channels: [WorkerChannel]
    private let configuration: Configuration
    private let clock: any HeraldClock
    private let logger: Logger
    private let doorbell = WakeSignal()
    private let finished = FinishedDeliveries()
    private let stopping = Mutex(false)

    public init(
        store: Store, transport: any HTTPTransport, channels: [WorkerChannel], configuration: Configuration,
        clock: any HeraldClock = SystemClock(), logger: Logger
    ) {
        self.store = store
        self.transport = transport
        self.channels = channels
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
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
        var latestRetryThisRun: Date?
        let names = channels.map(\.name)
        while true {
            let results = finished.takeAll()
            let completions = results.isEmpty
                ? [] : record(results, states: &states, inFlight: &inFlight, summary: &summary, latestRetry: &latestRetryThisRun)
            if isStopping {
                try await store.complete(completions, worker: configuration.workerID, now: clock.now())
                break
            }
            var now = clock.now()
            // Freed slots are refilled from what was claimed last turn, before any store round trip.
            summary.attempts += launchReady(&states, inFlight: &inFlight, now: now)
            try await releaseReadyOfPausedChannels(&states, now: now)

            var requests: [ClaimRequest] = []
            var earliestCapacity: Date?
            let readyCount = states.values.reduce(0) { total, state in total + state.ready.count }
            var budget = 2 * configuration.maxInFlight - inFlight.count - readyCount
            for name in names where budget > 0 {
                let (count, retryAt) = states[name]!.capacity(now: now)
                if let retryAt { earliestCapacity = min(earliestCapacity ?? retryAt, retryAt) }
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
                let dueNow = nextDue.map { $0 <= now } ?? false
                let retryPending = latestRetryThisRun.map { $0 >= now } ?? false
                if !dueNow && !retryPending && claimedCount == 0 && earliestCapacity == nil { break }
                if retryPending, let latestRetryThisRun { wakeAt = min(wakeAt, latestRetryThisRun) }
            }
            await sleep(until: wakeAt, listeningToStore: !requests.isEmpty)
        }

        summary.released = try await drain(inFlight: &inFlight, states: &states, summary: &summary, latestRetry: &latestRetryThisRun)
        return summary
    }

    /// Sends ready messages into every free slot; returns how many were sent.
    private func launchReady(_ states: inout [String: ChannelRunState], inFlight: inout [MessageID: String], now: Date) -> Int {
        var launched = 0
        for name in states.keys {
            while inFlight.count < configuration.maxInFlight, let next = states[name]!.nextToSend(now: now) {
                inFlight[next.message.id] = name
                start(next, adapter: states[name]!.channel.adapter)
                launched += 1
            }
        }
        return launched
    }

    /// A receiver asked a channel to pause: what it had claimed ahead goes back to the store, so no lease runs out
    /// while the pause lasts and another worker may take the messages when it ends.
    private func releaseReadyOfPausedChannels(_ states: inout [String: ChannelRunState], now: Date) async throws {
        var ids: [MessageID] = []
        for name in states.keys where states[name]!.isPaused(at: now) && !states[name]!.ready.isEmpty {
            ids += states[name]!.ready.map { $0.message.id }
            states[name]!.ready.removeAll()
        }
        if !ids.isEmpty { try await store.release(ids, worker: configuration.workerID, now: now) }
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
        inFlight: inout [MessageID: String], states: inout [String: ChannelRunState], summary: inout Summary, latestRetry: inout Date?
    ) async throws -> Int {
        let deadline = Date().addingTimeInterval(configuration.shutdownGrace)
        while !inFlight.isEmpty {
            let results = finished.takeAll()
            if !results.isEmpty {
                let completions = record(results, states: &states, inFlight: &inFlight, summary: &summary, latestRetry: &latestRetry)
                try await store.complete(completions, worker: configuration.workerID, now: clock.now())
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

    /// Turns finished deliveries into completions and updates the channels' run state.
    private func record(
        _ results: [FinishedDelivery], states: inout [String: ChannelRunState], inFlight: inout [MessageID: String],
        summary: inout Summary, latestRetry: inout Date?
    ) -> [Completion] {
        let now = clock.now()
        return results.map { result in
            let message = result.claimed.message
            inFlight.removeValue(forKey: message.id)
            states[message.channel]?.inFlight -= 1
            if case .retry(_, let after?, true) = result.outcome {
                let current = states[message.channel]?.pausedUntil ?? .distantPast
                states[message.channel]?.pausedUntil = max(current, after)
                logger.info("channel paused by the receiver", metadata: ["channel": "\(message.channel)", "until": "\(RFC3339.format(after))"])
            }
            let policy = states[message.channel]?.channel.retry ?? RetryPolicy()
            let transition = RetryDecision.transition(
                for: result.outcome, attemptsInBudget: result.claimed.attemptsInBudget, policy: policy, deadline: message.deadline, now: now,
                unit: Double.random(in: 0..<1)
            )
            switch transition {
            case .delivered: summary.delivered += 1
            case .retry(let at):
                summary.retried += 1
                latestRetry = max(latestRetry ?? at, at)
            case .dead: summary.dead += 1
            case .unconfirmed: summary.unconfirmed += 1
            case .expired: break
            }
            let detail: String
            switch result.outcome {
            case .delivered(let proof): detail = proof
            case .retry(let reason, _, _), .permanent(let reason), .ambiguous(let reason): detail = reason
            }
            logger.debug(
                "attempt finished",
                metadata: ["message.id": "\(message.id)", "channel": "\(message.channel)", "outcome": "\(result.outcome.label)"]
            )
            let attempt = AttemptRecord(
                number: result.claimed.attemptNumber, startedAt: result.startedAt, duration: result.duration,
                outcome: result.outcome.label, status: result.status, detail: String(detail.prefix(300)), worker: configuration.workerID
            )
            return Completion(messageID: message.id, attempt: attempt, transition: transition)
        }
    }

    /// Builds the request here and hands it to the transport; the transport's thread classifies the result and
    /// leaves it in `finished`, ringing the doorbell.
    private func start(_ claimed: ClaimedMessage, adapter: any ChannelAdapter) {
        let clock = self.clock
        let finished = self.finished
        let doorbell = self.doorbell
        let startedAt = clock.now()
        let started = ContinuousClock.now
        let request: HTTPRequest
        do {
            request = try adapter.request(for: claimed.message, now: startedAt)
        } catch {
            let outcome = DeliveryOutcome.permanent(reason: "could not build the request: \(error)")
            finished.append(FinishedDelivery(claimed: claimed, outcome: outcome, status: nil, startedAt: startedAt, duration: 0))
            doorbell.signal()
            return
        }
        transport.send(request) { result in
            let elapsed = ContinuousClock.now - started
            let duration = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let status = (try? result.get())?.status
            let outcome = adapter.outcome(of: result, now: clock.now())
            finished.append(FinishedDelivery(claimed: claimed, outcome: outcome, status: status, startedAt: startedAt, duration: duration))
            doorbell.signal()
        }
    }
}
