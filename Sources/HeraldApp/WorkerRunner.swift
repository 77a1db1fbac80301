import Foundation
import HeraldConfig
import HeraldCore
import HeraldStore
import HeraldStoreSQLite
import HeraldTransport
import HeraldWorker
import Logging
import ServiceLifecycle
import UnixSignals
import Synchronization

/// Runs a worker on the embedded store with the libcurl transport, as a service of one `ServiceGroup` that turns
/// SIGTERM and SIGINT into a graceful shutdown: stop claiming, finish (or, after the grace, record as interrupted)
/// what is in flight, give back what never started.
public enum WorkerRunner {
    public static func run(context: AppContext, once: Bool, maxInFlight: Int?, logger: Logger) async throws -> WorkerSummary {
        guard context.configuration.audit.chainKey != nil else { throw HeraldError(.audit, AuditKey.missingAdvice) }
        let channels = try WorkerAssembly.channels(from: context.configuration)
        let transport = CurlEngine()
        defer { transport.shutdown() }
        let settings = context.configuration.worker
        let worker = DeliveryWorker(
            store: context.store, transport: transport, channels: channels,
            configuration: .init(
                workerID: WorkerAssembly.workerID(), lease: settings.lease, shutdownGrace: settings.shutdownGrace,
                maxInFlight: maxInFlight ?? 256, once: once
            ),
            logger: logger
        )
        let summary = Summary()
        let service = SummarisingWorker(worker: worker, summary: summary)
        let housekeeping = Housekeeping(context: context, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)
        ]
        // A chore that ends or fails never takes delivery down with it.
        if !once { services.append(.init(service: housekeeping, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore)) }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        if once { await housekeeping.runOnce() }
        return summary.value ?? WorkerSummary()
    }

    /// Keeps the summary of the worker's run, which a service's `run()` cannot return.
    private final class Summary: Sendable {
        private let stored = Mutex<WorkerSummary?>(nil)
        var value: WorkerSummary? { stored.withLock { $0 } }
        func set(_ summary: WorkerSummary) { stored.withLock { $0 = summary } }
    }

    private struct SummarisingWorker: Service {
        let worker: DeliveryWorker<SQLiteStore>
        let summary: Summary

        func run() async throws {
            summary.set(try await worker.deliver())
        }
    }
}
