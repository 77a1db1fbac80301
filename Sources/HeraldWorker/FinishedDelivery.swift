import Foundation
import HeraldChannels
import HeraldCore
import HeraldStore
import HeraldTransport

/// One attempt that has come back from the transport, waiting for the scheduler to turn it into a completion.
struct FinishedDelivery: Sendable {
    var id: MessageID
    var outcome: DeliveryOutcome
    /// The HTTP status or SMTP reply code; nil when no answer came (or no request was made).
    var status: Int?
    /// When the attempt began, on the wall clock (what is stored) and in uptime (what its duration is reckoned on).
    var startedAt: Date
    var startedUptime: TimeInterval
    var endedUptime: TimeInterval

    init(id: MessageID, outcome: DeliveryOutcome, status: Int?, startedAt: Date, startedUptime: TimeInterval, endedUptime: TimeInterval) {
        self.id = id
        self.outcome = outcome
        self.status = status
        self.startedAt = startedAt
        self.startedUptime = startedUptime
        self.endedUptime = endedUptime
    }

    /// A finished transfer (nil: none was made).
    init(
        id: MessageID, outcome: DeliveryOutcome, result: Result<TransferResponse, TransportError>?, startedAt: Date, startedUptime: TimeInterval,
        endedUptime: TimeInterval
    ) {
        self.init(
            id: id, outcome: outcome, status: (try? result?.get())?.status, startedAt: startedAt, startedUptime: startedUptime,
            endedUptime: endedUptime
        )
    }

    var duration: TimeInterval { max(0, endedUptime - startedUptime) }
}
