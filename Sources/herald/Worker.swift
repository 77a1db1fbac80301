import ArgumentParser
import Foundation
import HeraldApp
import HeraldCore
import HeraldStore
import HeraldStoreSQLite
import HeraldWorker
import Logging

extension Herald {
    struct Worker: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deliver messages as they fall due. SIGTERM or Ctrl-C stops claiming, finishes what is in flight and exits."
        )

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Deliver everything due now, and retries or pauses that end within a minute, then exit; later retries stay queued.")
        var once = false
        @Option(help: "At most N transfers in flight across all channels.") var maxInFlight: Int?
        @Flag(help: "Log every attempt.") var verbose = false

        func validate() throws {
            if let maxInFlight, maxInFlight < 1 || maxInFlight > 10_000 {
                throw ValidationError("--max-in-flight must be between 1 and 10000.")
            }
        }

        func run() async throws {
            let context = try AppContext.open(global.paths)
            var logger = Logger(label: "herald.worker")
            logger.logLevel = verbose ? .debug : .info
            let summary = try await WorkerRunner.run(context: context, once: once, maxInFlight: maxInFlight, logger: logger)
            print(
                "attempts \(summary.attempts), delivered \(summary.delivered), retries scheduled \(summary.retried), dead \(summary.dead), unconfirmed \(summary.unconfirmed), released \(summary.released)"
            )
        }
    }
}
