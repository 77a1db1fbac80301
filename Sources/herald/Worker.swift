import ArgumentParser
import Foundation
import HeraldApp
import HeraldConfig
import HeraldCore
import HeraldStore
import HeraldWorker
import Logging

extension Herald {
    struct Worker: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deliver messages as they fall due. SIGTERM or Ctrl-C stops claiming, finishes what is in flight and exits.",
            discussion: """
                A stop waits for transfers in flight up to worker.shutdown_grace (by default the longest channel timeout). One still \
                running after that is recorded as interrupted and handled as its channel handles a timeout; claimed messages whose \
                request never started go back to the queue. If the database is busy, locked or full, the worker keeps its finished \
                attempts, claims nothing new and tries again until it can record them.
                """
        )

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Deliver every channel's due messages, and what becomes sendable within a minute (a retry, the end of a pause), then exit; later ones stay queued.")
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
            for warning in context.configuration.warnings { logger.warning("\(warning)") }
            let summary = try await WorkerRunner.run(context: context, once: once, maxInFlight: maxInFlight, logger: logger)
            print(summary.text)
        }
    }
}
