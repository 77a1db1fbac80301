import ArgumentParser
import Foundation
import HeraldAPI
import HeraldApp
import HeraldConfig
import HeraldRules
import Logging

extension Herald {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the HTTP API (docs/api.md); with --worker, deliver in the same process. SIGTERM drains both.",
            discussion: """
                Every /v1 route needs a token from 'herald token create'. The server listens on loopback, or on any address \
                over HTTPS with tls: { cert, key } in channels.yml; --insecure-listen listens elsewhere in clear (behind a \
                proxy that terminates TLS).
                """
        )

        @OptionGroup var global: GlobalOptions
        @Option(help: "HOST:PORT to listen on (port 0 picks a free one).") var listen = "127.0.0.1:8080"
        @Flag(help: "Deliver messages in this process too.") var worker = false
        @Flag(help: "Allow a non-loopback --listen without TLS (behind a proxy that terminates TLS on this address).")
        var insecureListen = false
        @Option(help: "With --worker: at most N transfers in flight.") var maxInFlight: Int?
        @Option(help: "The largest request body accepted, in bytes.") var bodyLimit = 1 << 20
        @Option(help: "The most messages one batch may hold.") var batchLimit = 1000
        @Option(help: "Requests one token may make: N/s, N/m or N/h; more are answered 429.") var tokenRate = "100/s"

        func validate() throws {
            if let maxInFlight, maxInFlight < 1 || maxInFlight > 10_000 { throw ValidationError("--max-in-flight must be between 1 and 10000.") }
            if bodyLimit < 1024 || bodyLimit > 64 << 20 { throw ValidationError("--body-limit must be between 1024 and 67108864 bytes.") }
            if batchLimit < 1 || batchLimit > 100_000 { throw ValidationError("--batch-limit must be between 1 and 100000.") }
            if RateLimit(text: tokenRate).map({ $0.count <= 1_000_000 }) != true {
                throw ValidationError("--token-rate '\(tokenRate.prefix(40))' is not N/s, N/m or N/h with N from 1 to 1000000, e.g. 600/m.")
            }
        }

        func run() async throws {
            let context = try AppContext.open(global.paths)
            let (host, port) = try APIServer.checkListenAddress(listen, insecure: insecureListen, tls: context.configuration.tls != nil)
            var logger = Logger(label: "herald.serve")
            logger.logLevel = .info
            for warning in context.configuration.warnings { logger.warning("\(warning)") }
            var limits = APILimits()
            limits.bodyBytes = bodyLimit
            limits.batchMessages = batchLimit
            if let rate = RateLimit(text: tokenRate) { limits.tokenRate = rate }
            try await ServeRunner.run(context: context, host: host, port: port, worker: worker, maxInFlight: maxInFlight, limits: limits, logger: logger)
        }
    }
}
