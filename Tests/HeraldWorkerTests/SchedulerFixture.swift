import Foundation
import HeraldCore
import HeraldRules
import HeraldStore
import HeraldTesting
@testable import HeraldWorker

/// A scheduler with named webhook channels at a fixed time, and the store answers a test would otherwise need a
/// database for.
struct SchedulerFixture {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    var now = Self.start
    var uptime: TimeInterval = 1000
    var scheduler: WorkerScheduler

    /// - Parameters:
    ///   - channels: each channel's name and `max_in_flight`.
    ///   - maxInFlight: the worker's global cap.
    init(
        _ channels: [(String, Int)], maxInFlight: Int = 256, lease: TimeInterval = 60, grace: TimeInterval = 30, once: Bool = false,
        rate: RateLimit? = nil, timeout: TimeInterval = 30
    ) throws {
        let workerChannels = try channels.map { name, slots in
            try WorkerHarness.webhookChannel(name, maxInFlight: slots, rate: rate, timeout: timeout)
        }
        scheduler = WorkerScheduler(
            settings: .init(workerID: "w", lease: lease, maxInFlight: maxInFlight, shutdownGrace: grace, once: once, onceWaitLimit: 60),
            channels: workerChannels, now: Self.start
        )
    }

    /// Decides at the fixture's time.
    mutating func decide() -> WorkerScheduler.Decision {
        scheduler.decide(now: now, uptime: uptime)
    }

    /// Lets time pass on both clocks.
    mutating func advance(_ seconds: TimeInterval) {
        now = now.addingTimeInterval(seconds)
        uptime += seconds
    }

    /// Answers the turn under way as the store would: claiming what was asked (up to what `due` holds) and reporting
    /// each channel's backlog as `due` says after the claims.
    mutating func answer(_ turn: WorkerTurn, due: [String: Int], nextDue: [String: Date] = [:], renewAll: Bool = true) {
        var remaining = due
        var claimed: [ClaimedMessage] = []
        for request in turn.claims {
            let count = min(request.limit, remaining[request.channel] ?? 0)
            remaining[request.channel, default: 0] -= count
            claimed += (0..<count).map { _ in Self.claimed(on: request.channel, at: now, lease: turn.lease) }
        }
        var backlog: [String: ChannelBacklog] = [:]
        for name in turn.survey {
            let left = remaining[name] ?? 0
            backlog[name] = ChannelBacklog(due: min(left, turn.surveyLimit), nextDue: left > 0 ? now : nextDue[name])
        }
        let renewed = renewAll ? turn.renewals : []
        scheduler.absorb(
            WorkerTurnResult(
                claimed: claimed, renewed: renewed, renewedUntil: renewed.isEmpty ? nil : now.addingTimeInterval(turn.lease), backlog: backlog
            ),
            now: now, uptime: uptime
        )
    }

    /// A claimed message of `channel`, leased from `at`.
    static func claimed(on channel: String, at: Date, lease: TimeInterval = 60, attempt: Int = 1) -> ClaimedMessage {
        let id = MessageID.make(at: at)
        let message = Message(
            id: id, groupID: id.rawValue, channel: channel, kind: "notice", recipient: "r", content: ["text": "hello"], dataJSON: "{}",
            state: .sending, notBefore: at, deadline: nil, attempts: attempt, createdAt: at
        )
        return ClaimedMessage(message: message, attemptNumber: attempt, attemptsInBudget: attempt, leaseExpires: at.addingTimeInterval(lease))
    }

    /// A delivery of `id` that came back with `outcome`.
    func finished(_ id: MessageID, _ outcome: DeliveryOutcome, status: Int? = 204) -> FinishedDelivery {
        FinishedDelivery(id: id, outcome: outcome, status: status, startedAt: now, startedUptime: uptime, endedUptime: uptime)
    }
}

extension WorkerTurn {
    /// The claims as a dictionary, for comparing with a table's expectations.
    var claimed: [String: Int] {
        Dictionary(uniqueKeysWithValues: claims.map { ($0.channel, $0.limit) })
    }
}
