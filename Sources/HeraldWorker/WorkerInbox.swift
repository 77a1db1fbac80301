import HeraldCore
import HeraldStore
import Synchronization

/// Where everything that happens outside the worker's loop is left for it: finished deliveries (from the
/// transport's thread), the answer to the store turn, news from the store, the request to stop. The loop takes it
/// all at once at the top of every round, and each arrival rings the doorbell.
final class WorkerInbox: Sendable {
    struct Contents: Sendable {
        var finished: [FinishedDelivery] = []
        var turn: Result<WorkerTurnResult, HeraldError>?
        var storeChanged = false
        var stop = false
    }

    private let contents = Mutex(Contents())
    let doorbell = WakeSignal()
    /// Marked awake at every arrival, before the ring: a test looking in between sees a worker with news to act on.
    let activity: WorkerActivity

    init() {
        activity = WorkerActivity(doorbell: doorbell)
    }

    func deliver(_ item: FinishedDelivery) {
        contents.withLock { $0.finished.append(item) }
        ring()
    }

    func answer(_ turn: Result<WorkerTurnResult, HeraldError>) {
        contents.withLock { $0.turn = turn }
        ring()
    }

    func storeChanged() {
        contents.withLock { $0.storeChanged = true }
        ring()
    }

    func stop() {
        contents.withLock { $0.stop = true }
        ring()
    }

    private func ring() {
        activity.awake()
        doorbell.signal()
    }

    func takeAll() -> Contents {
        contents.withLock { contents in
            defer {
                contents.finished.removeAll(keepingCapacity: true)
                contents.turn = nil
                contents.storeChanged = false
            }
            return contents
        }
    }
}
