import Foundation
import HeraldConfig
import HeraldCore
import HeraldServices
import HeraldStore
import Logging
import ServiceLifecycle

/// What a running worker does besides delivering: once a day it removes what the retention policy no longer allows,
/// and on `audit.checkpoint.every` it signs a checkpoint, appends it to `audit.checkpoint.file` and sends it to
/// `audit.checkpoint.channel`. A failure is logged and tried again next time; it never stops delivery.
struct Housekeeping: Service {
    static let purgeInterval: Duration = .seconds(86_400)

    let context: AppContext
    let logger: Logger

    func run() async {
        await cancelWhenGracefulShutdown { await loop() }
    }

    private func loop() async {
        let every = Duration.seconds(context.configuration.audit.checkpointEvery)
        var nextPurge = ContinuousClock.now
        var nextCheckpoint: ContinuousClock.Instant? = checkpointsWanted ? ContinuousClock.now : nil
        do {
            while !Task.isCancelled {
                let now = ContinuousClock.now
                if now >= nextPurge {
                    await purge()
                    nextPurge = now + Self.purgeInterval
                }
                if let next = nextCheckpoint, now >= next {
                    await checkpoint()
                    nextCheckpoint = now + every
                }
                try await Task.sleep(until: min(nextPurge, nextCheckpoint ?? nextPurge), clock: .continuous)
            }
        } catch {
            // Cancelled: the worker is stopping.
        }
    }

    /// Both chores once, for `worker --once` (after its deliveries).
    func runOnce() async {
        await purge()
        if checkpointsWanted { await checkpoint() }
    }

    private var checkpointsWanted: Bool {
        let audit = context.configuration.audit
        return audit.signingKey != nil && (audit.checkpointFile != nil || audit.checkpointChannel != nil)
    }

    private func purge() async {
        do {
            let report = try await context.audit.purge(dryRun: false, now: Date())
            if report != PurgeReport() {
                logger.info(
                    "retention: removed the content of \(report.contentRemoved.count) message(s) and the recipient of \(report.recipientsRemoved.count)"
                )
            }
        } catch {
            logger.warning("retention purge failed, tried again in a day or by `herald purge`: \(Self.describe(error))")
        }
    }

    private func checkpoint() async {
        let audit = context.configuration.audit
        do {
            let checkpoint = try await context.audit.checkpoint(now: Date())
            if let file = audit.checkpointFile { try CheckpointFile.append(checkpoint, to: file) }
            if let channel = audit.checkpointChannel {
                let data: [String: JSONValue] = [
                    "sequence": .number(Double(checkpoint.sequence)), "head": .string(checkpoint.head), "at": .string(checkpoint.at),
                    "messages": .number(Double(checkpoint.messages)), "checkpoint": .string(checkpoint.jsonLine),
                ]
                let request = EnqueueRequest(
                    channel: channel, kind: "audit_checkpoint", to: audit.checkpointTo.map { [$0] } ?? [], data: data,
                    dedupeKey: "audit-checkpoint-\(checkpoint.sequence)-\(checkpoint.head.prefix(16))"
                )
                _ = try await context.enqueue([request], now: Date()) { _ in "the audit checkpoint" }
            }
            logger.info("audit checkpoint at event \(checkpoint.sequence)")
        } catch {
            logger.warning("audit checkpoint failed, tried again at the next interval: \(Self.describe(error))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        (error as? HeraldError)?.message ?? String(describing: error)
    }
}
