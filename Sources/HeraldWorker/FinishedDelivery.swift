import Foundation
import HeraldChannels
import HeraldCore
import HeraldStore
import HeraldTransport
import Synchronization

/// One attempt that has come back from the transport, waiting for the worker to record it.
struct FinishedDelivery: Sendable {
    var claimed: ClaimedMessage
    var outcome: DeliveryOutcome
    var status: Int?
    var startedAt: Date
    var duration: TimeInterval
    /// The receiver asked for the whole channel to wait until then: a 429's reset, or a budget spent to zero.
    var pauseChannelUntil: Date?

    init(claimed: ClaimedMessage, outcome: DeliveryOutcome, status: Int?, startedAt: Date, duration: TimeInterval, pauseChannelUntil: Date? = nil) {
        self.claimed = claimed
        self.outcome = outcome
        self.status = status
        self.startedAt = startedAt
        self.duration = duration
        self.pauseChannelUntil = pauseChannelUntil
    }

    /// A finished transfer (nil: none was made), with the pause read from the outcome and the adapter.
    init(
        claimed: ClaimedMessage, outcome: DeliveryOutcome, result: Result<TransferResponse, TransportError>?, adapter: any ChannelAdapter,
        startedAt: Date, since started: ContinuousClock.Instant, now: Date
    ) {
        let elapsed = ContinuousClock.now - started
        var pause: Date?
        if case .retry(_, let after?, true) = outcome { pause = after }
        if let result, let budgetPause = adapter.channelPause(after: result, now: now) { pause = max(pause ?? budgetPause, budgetPause) }
        self.init(
            claimed: claimed, outcome: outcome, status: (try? result?.get())?.status, startedAt: startedAt,
            duration: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, pauseChannelUntil: pause
        )
    }
}

/// Where delivery tasks leave their results; the worker takes them all at once and records them in one transaction.
final class FinishedDeliveries: Sendable {
    private let items = Mutex<[FinishedDelivery]>([])

    func append(_ item: FinishedDelivery) {
        items.withLock { $0.append(item) }
    }

    func takeAll() -> [FinishedDelivery] {
        items.withLock { items in
            defer { items.removeAll(keepingCapacity: true) }
            return items
        }
    }
}

extension FinishedDeliveries {
    var isEmpty: Bool { items.withLock { $0.isEmpty } }
}
