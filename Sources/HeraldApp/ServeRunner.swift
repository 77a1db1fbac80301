import Foundation
import HeraldConfig
import HeraldAPI
import HeraldCore
import HeraldTransport
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// `herald serve`: the HTTP API and, with `--worker`, the worker, as services of one group in one process, drained
/// together on SIGTERM or SIGINT: the server stops taking requests, the worker finishes what is in flight.
public enum ServeRunner {
    public static func run(
        context: AppContext, host: String, port: Int, worker: Bool, maxInFlight: Int?, limits: APILimits = APILimits(), logger: Logger
    ) async throws {
        let transport = CurlEngine()
        defer { transport.shutdown() }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if worker {
            services += try WorkerRunner.services(context: context, transport: transport, once: false, maxInFlight: maxInFlight, logger: logger)
                .services
        }
        let application = try APIServer.application(
            services: try context.apiServices(), limits: limits, tls: context.configuration.tls, host: host, port: port, logger: logger,
            onListening: { [scheme = context.configuration.tls == nil ? "http" : "https"] port in
                logger.info("herald serve listening on \(scheme)://\(host):\(port)")
            }
        )
        services.append(.init(service: application))
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
