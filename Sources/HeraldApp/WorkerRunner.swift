import Foundation
import HeraldConfig
import HeraldTransport
import HeraldWorker
import HeraldStoreSQLite
import Logging

/// Runs a worker on the embedded store with the libcurl transport, stopping cleanly on SIGTERM/SIGINT.
public enum WorkerRunner {
    public static func run(context: AppContext, once: Bool, maxInFlight: Int?, logger: Logger) async throws -> DeliveryWorker<SQLiteStore>.Summary {
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
        let trap = SignalTrap { signal in
            logger.info("stopping: finishing deliveries in flight", metadata: ["signal": "\(signal)"])
            worker.stop()
        }
        defer { trap.cancel() }
        return try await worker.run()
    }
}
