import Foundation
import HeraldChannels
import HeraldCore
import HeraldRules
import HeraldStore
import HeraldTransport
import Logging
import ServiceLifecycle

/// Claims due messages, delivers them through the transport, and records every attempt and its consequence.
///
/// Every decision is the `WorkerScheduler`'s; this loop only carries them out. It takes in what happened (finished
/// deliveries, the store's answer, news from the store, a request to stop), asks the scheduler what to do, starts
/// deliveries and at most one store turn, and sleeps on its doorbell until something happens or the scheduler's wake
/// time comes — on the injected clock, so a manual clock drives it in tests. A freed slot starts its next claimed
/// message at once: recording the last attempt happens in a store turn beside it, never in front of it.
///
/// It is a `Service`: in a `ServiceGroup`, graceful shutdown (SIGTERM) stops claiming and drains what is in flight.
/// `docs/worker.md` describes the whole design and the promises it keeps.
public final class DeliveryWorker<Store: MessageQueue>: Service, Sendable {
    public struct Configuration: Sendable {
        /// Names this worker's leases in the store.
        public var workerID: String
        public var lease: TimeInterval
        /// How long a stopping worker waits for transfers in flight before recording them as interrupted; nil waits
        /// as long as the longest channel timeout, so every transfer finishes (or times out) by itself.
        public var shutdownGrace: TimeInterval?
        /// A cap on transfers in flight across all channels.
        public var maxInFlight: Int
        /// Deliver what is due now, and what falls due or becomes sendable within `onceWaitLimit`, then return; what
        /// would take longer stays queued for the next run.
        public var once: Bool
        public var onceWaitLimit: TimeInterval

        public init(
            workerID: String, lease: TimeInterval = 60, shutdownGrace: TimeInterval? = nil, maxInFlight: Int = 256, once: Bool = false,
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

    public typealias Summary = WorkerSummary

    let store: Store
    let transport: any Transport
    let channels: [WorkerChannel]
    let configuration: Configuration
    let clock: any HeraldClock
    let logger: Logger
    let inbox = WorkerInbox()
    /// One session keeper per channel that logs in, shared by all its deliveries.
    let sessions: [String: SessionKeeper<Store>]
    /// Whether the loop sleeps with nothing under way: for tests that drive the worker with a manual clock.
    public var activity: WorkerActivity { inbox.activity }

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

    /// The grace a stop waits for transfers in flight: the configured one, or the longest channel timeout.
    public var shutdownGrace: TimeInterval {
        configuration.shutdownGrace ?? channels.map(\.timeout).max() ?? 0
    }

    /// Asks a running worker to stop claiming, finish what is in flight (up to the grace) and return.
    public func stop() {
        inbox.stop()
    }

    /// Tells the worker the store may hold something new (an enqueue in this process): it reads its backlog again.
    public func storeChanged() {
        inbox.storeChanged()
    }

    /// Runs until graceful shutdown or `stop()`, or with `once` until nothing is left to do.
    public func run() async throws {
        _ = try await deliver()
    }

    /// Runs like `run()` and returns what the run did.
    public func deliver() async throws -> WorkerSummary {
        try checkLeases()
        warnOfShortGrace()
        return try await withGracefulShutdownHandler {
            try await loop()
        } onGracefulShutdown: { [inbox] in
            inbox.stop()
        }
    }

    private func loop() async throws -> WorkerSummary {
        let settings = WorkerScheduler.Settings(
            workerID: configuration.workerID, lease: configuration.lease, maxInFlight: configuration.maxInFlight, shutdownGrace: shutdownGrace,
            once: configuration.once, onceWaitLimit: configuration.onceWaitLimit
        )
        var scheduler = WorkerScheduler(settings: settings, channels: channels, now: clock.now())
        var failure: HeraldError?
        var unrecorded = 0
        await withTaskGroup(of: Void.self) { group in
            var watching = false
            var cancellations: [MessageID: TransferCancellation] = [:]
            while true {
                let contents = inbox.takeAll()
                let now = clock.now()
                let uptime = clock.uptime()
                if contents.stop, scheduler.stopRequested == nil {
                    logger.info("stopping: no more claims; waiting for deliveries in flight", metadata: ["grace_s": "\(shutdownGrace)"])
                    scheduler.stop(uptime: uptime)
                }
                if contents.storeChanged {
                    watching = false
                    scheduler.storeChanged()
                }
                for delivery in contents.finished {
                    cancellations[delivery.id] = nil
                    scheduler.finish(delivery, now: now, unit: Double.random(in: 0..<1))
                }
                switch contents.turn {
                case .success(let result)?: scheduler.absorb(result, now: now, uptime: uptime)
                case .failure(let error)?:
                    if !scheduler.turnFailed(error, uptime: uptime) { failure = error }
                case nil: break
                }
                if failure != nil { break }
                let decision = scheduler.decide(now: now, uptime: uptime)
                log(scheduler.notices)
                scheduler.notices.removeAll()
                for id in decision.abandon { cancellations.removeValue(forKey: id)?.cancel() }
                for held in decision.launch { cancellations[held.id] = start(held, in: &group) }
                if let turn = decision.turn {
                    group.addTask { [store, inbox, configuration] in
                        do {
                            inbox.answer(.success(try await store.workerTurn(turn, worker: configuration.workerID, now: now)))
                        } catch {
                            inbox.answer(.failure(error as? HeraldError ?? HeraldError(.storage, "The store failed: \(error).", cause: error)))
                        }
                    }
                }
                if decision.done {
                    unrecorded = decision.unrecorded
                    break
                }
                if decision.listenToStore, !watching {
                    watching = true
                    group.addTask { [store, inbox] in
                        await store.waitForChange()
                        if !Task.isCancelled { inbox.storeChanged() }
                    }
                }
                activity.sleeping(until: decision.wakeAt, turnUnderWay: scheduler.turnIsUnderWay, inFlight: scheduler.inFlight.count)
                await inbox.doorbell.wait(untilUptime: decision.wakeAt, clock: clock)
                activity.awake()
            }
            group.cancelAll()
        }
        activity.finished()
        if let failure {
            logger.error("stopping: the store failed in a way waiting cannot cure", metadata: ["error": "\(failure.message)"])
            throw failure
        }
        if unrecorded > 0 {
            throw HeraldError(
                .storageUnavailable,
                "Stopped with \(unrecorded) finished attempt(s) unrecorded: the store could not be written. Those messages will be sent again "
                    + "under the same ids once their leases run out."
            )
        }
        return scheduler.summary
    }

    /// A lease that cannot cover a channel's timeout would let a second worker take a message while it is sent.
    private func checkLeases() throws {
        for channel in channels where configuration.lease < LeaseRule.minimumLease(forTimeout: channel.timeout) {
            throw HeraldError(
                .configuration,
                "The worker's lease (\(WorkerScheduler.seconds(configuration.lease))) is not comfortably longer than channel '\(channel.name)'s "
                    + "timeout (\(WorkerScheduler.seconds(channel.timeout))): make the lease at least "
                    + "\(WorkerScheduler.seconds(LeaseRule.minimumLease(forTimeout: channel.timeout))), or the timeout shorter."
            )
        }
    }

    private func warnOfShortGrace() {
        guard let grace = configuration.shutdownGrace, let longest = channels.max(by: { $0.timeout < $1.timeout }), grace < longest.timeout
        else { return }
        logger.warning(
            "shutdown_grace is shorter than the longest channel timeout: a transfer still running that long after SIGTERM is recorded as interrupted and handled as a timeout",
            metadata: [
                "shutdown_grace_s": "\(grace)", "channel": "\(longest.name)", "timeout_s": "\(longest.timeout)",
            ]
        )
    }
}
