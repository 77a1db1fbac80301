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
        let transport = CurlEngine()
        defer { transport.shutdown() }
        let parts = try services(context: context, transport: transport, once: once, maxInFlight: maxInFlight, logger: logger)
        let group = ServiceGroup(configuration: .init(services: parts.services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        if once { await parts.housekeeping.runOnce() }
        return parts.summary.value ?? WorkerSummary()
    }

    /// The worker and its chores as services of a group, which `herald serve --worker` shares with the HTTP server.
    static func services(
        context: AppContext, transport: CurlEngine, once: Bool, maxInFlight: Int?, logger: Logger
    ) throws -> (services: [ServiceGroupConfiguration.ServiceConfiguration], summary: Summary, housekeeping: Housekeeping) {
        guard context.configuration.audit.chainKey != nil else { throw HeraldError(.audit, AuditKey.missingAdvice) }
        let channels = try WorkerAssembly.channels(from: context.configuration)
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
        let housekeeping = Housekeeping(context: context, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: SummarisingWorker(worker: worker, summary: summary), successTerminationBehavior: .gracefullyShutdownGroup)
        ]
        // A chore that ends or fails never takes delivery down with it.
        if !once { services.append(.init(service: housekeeping, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore)) }
        return (services, summary, housekeeping)
    }

    /// Keeps the summary of the worker's run, which a service's `run()` cannot return.
    final class Summary: Sendable {
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
