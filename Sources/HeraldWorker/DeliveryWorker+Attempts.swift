import Foundation
import HeraldChannels
import HeraldCore
import HeraldRules
import HeraldStore
import HeraldTransport
import Logging

/// Starting deliveries and turning their results into completions: the parts of a worker's turn that touch
/// messages one by one.
extension DeliveryWorker {
    /// Sends ready messages into every free slot; returns how many were sent.
    func launchReady(_ states: inout [String: ChannelRunState], inFlight: inout [MessageID: String], now: Date) -> Int {
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
    func releaseReadyOfPausedChannels(_ states: inout [String: ChannelRunState], now: Date) async throws {
        var ids: [MessageID] = []
        for name in states.keys where states[name]!.isPaused(at: now) && !states[name]!.ready.isEmpty {
            ids += states[name]!.ready.map { $0.message.id }
            states[name]!.ready.removeAll()
        }
        if !ids.isEmpty { try await store.release(ids, worker: configuration.workerID, now: now) }
    }

    /// Turns finished deliveries into completions and updates the channels' run state.
    func record(
        _ results: [FinishedDelivery], states: inout [String: ChannelRunState], inFlight: inout [MessageID: String],
        summary: inout Summary, retries: inout [Date]
    ) -> [Completion] {
        let now = clock.now()
        return results.map { result in
            let message = result.claimed.message
            inFlight.removeValue(forKey: message.id)
            states[message.channel]?.inFlight -= 1
            if let until = result.pauseChannelUntil {
                states[message.channel]?.pause(until: until, reason: "the receiver asked: \(result.outcome.detail.prefix(120))")
                logger.info("channel paused by the receiver", metadata: ["channel": "\(message.channel)", "until": "\(RFC3339.format(until))"])
            }
            recordHealth(of: result, channel: message.channel, states: &states, now: now)
            let channel = states[message.channel]?.channel
            var unansweredSince = message.unansweredSince
            if case .ambiguous = result.outcome, unansweredSince == nil { unansweredSince = result.startedAt }
            let transition = RetryDecision.transition(
                for: result.outcome, attemptsInBudget: result.claimed.attemptsInBudget, policy: channel?.retry ?? RetryPolicy(),
                deadline: message.deadline, repeats: channel?.adapter.repeatRecognition ?? .none, unansweredSince: unansweredSince, now: now,
                unit: Double.random(in: 0..<1)
            )
            switch transition {
            case .delivered: summary.delivered += 1
            case .retry(let at):
                summary.retried += 1
                if configuration.once { retries.append(at) }
            case .dead: summary.dead += 1
            case .unconfirmed: summary.unconfirmed += 1
            case .expired: break
            }
            logger.debug(
                "attempt finished",
                metadata: ["message.id": "\(message.id)", "channel": "\(message.channel)", "outcome": "\(result.outcome.label)"]
            )
            let attempt = AttemptRecord(
                number: result.claimed.attemptNumber, startedAt: result.startedAt, duration: result.duration,
                outcome: result.outcome.label, status: result.status, detail: String(result.outcome.detail.prefix(300)), worker: configuration.workerID,
                post: result.outcome.post
            )
            return Completion(messageID: message.id, attempt: attempt, transition: transition, unansweredSince: unansweredSince)
        }
    }

    /// Feeds an attempt to its channel's circuit. Opening it pauses the channel, so what was claimed ahead goes back
    /// to the store and nothing is sent until the probe.
    private func recordHealth(of result: FinishedDelivery, channel: String, states: inout [String: ChannelRunState], now: Date) {
        guard var state = states[channel] else { return }
        let wasProbing = state.circuit.isProbing
        let signal = CircuitBreaker.signal(of: result.outcome, answered: result.status != nil)
        if let until = state.circuit.record(signal, now: now) {
            state.pause(until: until, reason: "circuit opened: the receiver keeps failing; last: \(result.outcome.detail.prefix(120))")
            logger.warning(
                "circuit opened: the receiver keeps failing, so the channel sends nothing until the probe",
                metadata: ["channel": "\(channel)", "probe_at": "\(RFC3339.format(until))", "last": "\(result.outcome.detail.prefix(120))"]
            )
        } else if wasProbing, !state.circuit.isProbing {
            logger.info("circuit closed: the receiver answered the probe", metadata: ["channel": "\(channel)"])
        }
        states[channel] = state
    }

    /// After an attempt that may not be the first to reach the network — this one went unanswered, or it failed after
    /// earlier attempts (one may have posted and gone unanswered, or its worker died before recording it) — looks for
    /// the post: found, the message is delivered instead of being tried again.
    static func lookUp(
        _ claimed: ClaimedMessage, after outcome: DeliveryOutcome, adapter: any SessionChannelAdapter, session: ChannelSession,
        transport: any Transport, clock: any HeraldClock
    ) async -> DeliveryOutcome? {
        let mayExist: Bool
        switch outcome {
        case .ambiguous: mayExist = true
        case .retry: mayExist = claimed.message.unansweredSince != nil || claimed.attemptNumber > 1
        default: mayExist = false
        }
        guard mayExist, let lookup = adapter.lookupRequest(for: claimed.message, session: session, now: clock.now()) else { return nil }
        return adapter.lookedUp(await transport.send(lookup), for: claimed.message, now: clock.now())
    }

    /// Writes the pauses this worker was told of to the store, which then gives no worker anything of that channel
    /// until the pause ends: a receiver's "wait" holds for every worker, not only the one that heard it.
    func sharePauses(_ states: inout [String: ChannelRunState], now: Date) async throws {
        for name in states.keys {
            guard let shared = states[name]!.pauseToShare else { continue }
            states[name]!.pauseToShare = nil
            if shared.until > now { try await store.pauseChannel(name, until: shared.until, reason: shared.reason, now: now) }
        }
    }

    /// Builds the request here and hands it to the transport; the transport's thread classifies the result and
    /// leaves it in `finished`, ringing the doorbell. A channel that logs in goes through its session keeper instead.
    func start(_ claimed: ClaimedMessage, adapter: any ChannelAdapter) {
        let clock = self.clock
        let finished = self.finished
        let doorbell = self.doorbell
        let startedAt = clock.now()
        let started = ContinuousClock.now
        if let sessionAdapter = adapter as? any SessionChannelAdapter, let keeper = sessions[claimed.message.channel] {
            let transport = self.transport
            Task {
                let (outcome, result) = await Self.deliver(claimed, adapter: sessionAdapter, keeper: keeper, transport: transport, clock: clock)
                finished.append(
                    FinishedDelivery(
                        claimed: claimed, outcome: outcome, result: result, adapter: adapter, startedAt: startedAt, since: started, now: clock.now()
                    )
                )
                doorbell.signal()
            }
            return
        }
        let request: TransferRequest
        do {
            request = try adapter.request(for: claimed.message, now: startedAt)
        } catch {
            let outcome = DeliveryOutcome.permanent(reason: "could not build the request: \(error)")
            finished.append(FinishedDelivery(claimed: claimed, outcome: outcome, status: nil, startedAt: startedAt, duration: 0))
            doorbell.signal()
            return
        }
        transport.send(request) { result in
            let outcome = adapter.outcome(of: result, now: clock.now())
            finished.append(
                FinishedDelivery(claimed: claimed, outcome: outcome, result: result, adapter: adapter, startedAt: startedAt, since: started, now: clock.now())
            )
            doorbell.signal()
        }
    }

    /// One attempt on a channel that logs in: with the current session, and once more with a renewed one if the
    /// receiver refused the token. Returns the outcome and the last transfer's result (nil when no post was sent).
    /// Logins and renewals take time under the lease, so a post that might not finish before it runs out is not sent:
    /// the attempt is retried instead, and no other worker can claim the message while its post is in the air.
    static func deliver(
        _ claimed: ClaimedMessage, adapter: any SessionChannelAdapter, keeper: SessionKeeper<Store>, transport: any Transport, clock: any HeraldClock
    ) async -> (DeliveryOutcome, Result<TransferResponse, TransportError>?) {
        let message = claimed.message
        var session: ChannelSession
        switch await keeper.current() {
        case .success(let current): session = current
        case .failure(let refusal): return (refusal.outcome, nil)
        }
        var replayed = false
        while true {
            let request: TransferRequest
            do {
                request = try adapter.request(for: message, session: session, now: clock.now())
            } catch {
                return (.permanent(reason: "could not build the request: \(error)"), nil)
            }
            let now = clock.now()
            if now.addingTimeInterval(request.timeout) >= claimed.leaseExpires {
                let left = max(0, claimed.leaseExpires.timeIntervalSince(now))
                let reason = "the session took so long to obtain that the post (timeout \(Int(request.timeout)) s) could outlast the \(Int(left)) s "
                    + "left of the lease; it was not sent and goes on the next attempt"
                return (.retry(reason: reason, after: nil, pauseChannel: false), nil)
            }
            let result = await transport.send(request)
            let outcome = adapter.outcome(of: result, now: clock.now())
            if let found = await lookUp(claimed, after: outcome, adapter: adapter, session: session, transport: transport, clock: clock) {
                return (found, result)
            }
            guard case .reauthenticate = outcome, !replayed else { return (outcome, result) }
            replayed = true
            switch await keeper.renew(after: session) {
            case .success(let renewed): session = renewed
            case .failure(let refusal): return (refusal.outcome, nil)
            }
        }
    }
}
