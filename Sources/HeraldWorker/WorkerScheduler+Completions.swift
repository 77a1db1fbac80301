import Foundation
import HeraldChannels
import HeraldCore
import HeraldRules
import HeraldStore
import HeraldTransport

/// Turning what came back into completions: the retry rules, the circuit, the pause a receiver asked for, and the
/// interrupted attempts of a worker that could not wait any longer.
extension WorkerScheduler {
    /// Takes in a finished delivery; `unit` is a random number in [0, 1) for the retry's jitter. A delivery the
    /// scheduler no longer counts as in flight (it was abandoned and recorded as interrupted) is ignored.
    mutating func finish(_ delivery: FinishedDelivery, now: Date, unit: Double) {
        guard let flight = inFlight.removeValue(forKey: delivery.id), let lane = lanes[flight.held.channel] else { return }
        lanes[lane.name]!.inFlight -= 1
        var pause: ChannelPause?
        if let until = delivery.outcome.pauseChannelUntil, until > now {
            let reason = "the receiver asked: \(delivery.outcome.detail.prefix(120))"
            if pauseLane(lane.name, until: until, reason: reason, now: now, announce: true) { pause = ChannelPause(until: until, reason: reason) }
        }
        if let opened = recordHealth(of: delivery, channel: lane.name, now: now) {
            pause = ChannelPause(until: max(opened.until, pause?.until ?? opened.until), reason: opened.reason)
        }
        pending.append(completion(for: flight.held.claimed, delivery: delivery, channel: lane.channel, pause: pause, now: now, unit: unit))
    }

    /// Feeds an attempt to its channel's circuit; returns the pause when this attempt opened it.
    private mutating func recordHealth(of delivery: FinishedDelivery, channel: String, now: Date) -> ChannelPause? {
        let wasProbing = lanes[channel]!.circuit.isProbing
        let signal = CircuitBreaker.signal(of: delivery.outcome, answered: delivery.status != nil)
        if let until = lanes[channel]!.circuit.record(signal, now: now) {
            let last = String(delivery.outcome.detail.prefix(120))
            let reason = "\(ChannelPause.circuitReasonPrefix): the receiver keeps failing; last: \(last)"
            pauseLane(channel, until: until, reason: reason, now: now, announce: false)
            notices.append(.circuitOpened(channel: channel, probeAt: until, last: last))
            return ChannelPause(until: until, reason: reason)
        }
        if wasProbing, !lanes[channel]!.circuit.isProbing { notices.append(.circuitClosed(channel: channel)) }
        return nil
    }

    private mutating func completion(
        for claimed: ClaimedMessage, delivery: FinishedDelivery, channel: WorkerChannel, pause: ChannelPause?, now: Date, unit: Double
    ) -> Completion {
        let message = claimed.message
        var unansweredSince = message.unansweredSince
        if case .ambiguous = delivery.outcome, unansweredSince == nil { unansweredSince = delivery.startedAt }
        let transition = RetryDecision.transition(
            for: delivery.outcome, attemptsInBudget: claimed.attemptsInBudget, policy: channel.retry, deadline: message.deadline,
            repeats: channel.adapter.repeatRecognition, unansweredSince: unansweredSince, now: now, unit: unit
        )
        switch transition {
        case .delivered: summary.delivered += 1
        case .retry: summary.retried += 1
        case .dead: summary.dead += 1
        case .unconfirmed: summary.unconfirmed += 1
        case .expired: break
        }
        let attempt = AttemptRecord(
            number: claimed.attemptNumber, startedAt: delivery.startedAt, duration: delivery.duration, outcome: delivery.outcome.label,
            status: delivery.status, detail: String(delivery.outcome.detail.prefix(300)), worker: settings.workerID, post: delivery.outcome.post
        )
        return Completion(messageID: message.id, attempt: attempt, transition: transition, unansweredSince: unansweredSince, channelPause: pause)
    }

    /// The shutdown grace ran out: every transfer still in flight may have reached its receiver, so each is recorded
    /// as an attempt interrupted without an answer and handled exactly as its channel handles a timeout — retried
    /// under the same key where the receiver recognises repeats (webhooks, Mastodon, Bluesky) and as the same
    /// message for email, left unconfirmed where a repeat could post twice. Returns the transfers to abandon.
    mutating func interruptAll(now: Date, uptime: TimeInterval) -> [MessageID] {
        let grace = settings.shutdownGrace
        let error = TransportError(
            code: .timeout,
            message: "interrupted: the worker stopped after its shutdown grace (\(Self.seconds(grace))) with the request in flight, so it may have arrived",
            requestMayHaveArrived: true
        )
        let ids = inFlight.keys.sorted { $0.rawValue < $1.rawValue }
        for id in ids {
            let flight = inFlight.removeValue(forKey: id)!
            guard let lane = lanes[flight.held.channel] else { continue }
            lanes[lane.name]!.inFlight -= 1
            let delivery = FinishedDelivery(
                id: id, outcome: lane.channel.adapter.outcome(of: .failure(error), now: now), status: nil, startedAt: flight.startedAt,
                startedUptime: flight.startedUptime, endedUptime: uptime
            )
            pending.append(completion(for: flight.held.claimed, delivery: delivery, channel: lane.channel, pause: nil, now: now, unit: 0.5))
            summary.interrupted += 1
        }
        if !ids.isEmpty { notices.append(.interrupted(count: ids.count, grace: grace)) }
        return ids
    }

    static func seconds(_ interval: TimeInterval) -> String {
        interval == interval.rounded() ? "\(Int(interval)) s" : String(format: "%.1f s", interval)
    }
}
