import Foundation
import HeraldCore
import Logging

extension DeliveryWorker {
    /// Writes what the scheduler reported, one line each, with the facts as metadata.
    func log(_ notices: [WorkerNotice]) {
        for notice in notices {
            switch notice {
            case .channelPaused(let channel, let until, let reason):
                logger.info("channel paused", metadata: ["channel": "\(channel)", "until": "\(RFC3339.format(until))", "reason": "\(reason)"])
            case .circuitOpened(let channel, let probeAt, let last):
                logger.warning(
                    "circuit opened: the receiver keeps failing, so the channel sends nothing until the probe",
                    metadata: ["channel": "\(channel)", "probe_at": "\(RFC3339.format(probeAt))", "last": "\(last)"]
                )
            case .circuitClosed(let channel):
                logger.info("circuit closed: the receiver answered the probe", metadata: ["channel": "\(channel)"])
            case .storeUnavailable(let message, let holding):
                logger.warning(
                    "the store cannot be written; claiming nothing new, keeping the finished attempts and trying again",
                    metadata: ["error": "\(message)", "attempts_held": "\(holding)"]
                )
            case .storeRecovered(let after, let recorded):
                logger.info(
                    "the store is writable again; the attempts held are recorded",
                    metadata: ["after_s": "\(String(format: "%.1f", after))", "attempts_recorded": "\(recorded)"]
                )
            case .wallClockStepped(let step):
                logger.warning(
                    "the wall clock stepped; leases held are renewed before anything more is sent",
                    metadata: ["step_s": "\(String(format: "%.1f", step))"]
                )
            case .interrupted(let count, let grace):
                logger.warning(
                    "shutdown grace over with transfers still running: recorded as interrupted, handled as each channel handles a timeout",
                    metadata: ["count": "\(count)", "grace_s": "\(grace)"]
                )
            case .leasesLost(let count):
                logger.warning(
                    "messages claimed ahead are held by another worker now (this worker's leases ran out): not sent here",
                    metadata: ["count": "\(count)"]
                )
            }
        }
    }
}
