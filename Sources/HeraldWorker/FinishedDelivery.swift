import Foundation
import HeraldCore
import HeraldStore
import Synchronization

/// One attempt that has come back from the transport, waiting for the worker to record it.
struct FinishedDelivery: Sendable {
    var claimed: ClaimedMessage
    var outcome: DeliveryOutcome
    var status: Int?
    var startedAt: Date
    var duration: TimeInterval
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
