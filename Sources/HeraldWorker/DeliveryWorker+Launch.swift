import Foundation
import HeraldChannels
import HeraldCore
import HeraldRules
import HeraldStore
import HeraldTransport

/// Starting deliveries: the only place the worker hands requests to the transport.
extension DeliveryWorker {
    /// Builds the request and hands it to the transport; the transport's thread classifies the result and leaves it in
    /// the inbox, ringing the doorbell. A channel that logs in goes through its session keeper in a task of its own.
    /// Returns what abandons the transfer, when there is one to abandon.
    func start(_ held: HeldMessage, in group: inout TaskGroup<Void>) -> TransferCancellation? {
        let message = held.claimed.message
        let clock = self.clock
        let inbox = self.inbox
        let startedAt = clock.now()
        let startedUptime = clock.uptime()
        guard let channel = channels.first(where: { $0.name == message.channel }) else { return nil }
        let adapter = channel.adapter
        if let sessionAdapter = adapter as? any SessionChannelAdapter, let keeper = sessions[message.channel] {
            let transport = self.transport
            let rule = LeaseRule(lease: configuration.lease)
            group.addTask {
                let (outcome, result) = await Self.deliver(held, adapter: sessionAdapter, keeper: keeper, transport: transport, clock: clock, rule: rule)
                inbox.deliver(
                    FinishedDelivery(id: message.id, outcome: outcome, result: result, startedAt: startedAt, startedUptime: startedUptime, endedUptime: clock.uptime())
                )
            }
            return nil
        }
        let request: TransferRequest
        do {
            request = try adapter.request(for: message, now: startedAt)
        } catch {
            let outcome = DeliveryOutcome.permanent(reason: "could not build the request: \(error)")
            inbox.deliver(FinishedDelivery(id: message.id, outcome: outcome, status: nil, startedAt: startedAt, startedUptime: startedUptime, endedUptime: startedUptime))
            return nil
        }
        let cancellation = TransferCancellation()
        transport.send(request, cancellation: cancellation) { result in
            let outcome = adapter.outcome(of: result, now: clock.now())
            inbox.deliver(
                FinishedDelivery(id: message.id, outcome: outcome, result: result, startedAt: startedAt, startedUptime: startedUptime, endedUptime: clock.uptime())
            )
        }
        return cancellation
    }

    /// One attempt on a channel that logs in: with the current session, and once more with a renewed one if the
    /// receiver refused the token. Returns the outcome and the last transfer's result (nil when no post was sent).
    /// Logins and renewals take time under the lease, so a post that might not finish before it runs out is not sent:
    /// the attempt is retried instead, and no other worker can claim the message while its post is in the air.
    static func deliver(
        _ held: HeldMessage, adapter: any SessionChannelAdapter, keeper: SessionKeeper<Store>, transport: any Transport, clock: any HeraldClock,
        rule: LeaseRule
    ) async -> (DeliveryOutcome, Result<TransferResponse, TransportError>?) {
        let message = held.claimed.message
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
            let left = held.leaseRemaining(now: clock.now(), uptime: clock.uptime())
            guard rule.mayStart(timeout: request.timeout, remaining: left) else {
                let reason = "the session took so long to obtain that the post (timeout \(Int(request.timeout)) s) could outlast the "
                    + "\(Int(max(0, left))) s left of the lease; it was not sent and goes on the next attempt"
                return (.retry(reason: reason, after: nil, pauseChannel: false), nil)
            }
            let result = await transport.send(request)
            let outcome = adapter.outcome(of: result, now: clock.now())
            if let found = await lookUp(held.claimed, after: outcome, adapter: adapter, session: session, transport: transport, clock: clock) {
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
}
