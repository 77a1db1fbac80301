import ArgumentParser
import Foundation
import HeraldApp
import HeraldCore
import HeraldStore
import HeraldStoreSQLite
import HeraldWorker

extension Herald {
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure enqueue and delivery throughput against a local webhook sink (use a release build).",
            discussion: "Run it under ../shared/bench/peers.sh sinks -- so nginx answers 204 on 127.0.0.1:18080."
        )

        @Option(help: "The sink's URL.") var url = "http://127.0.0.1:18080/hook"
        @Option(help: "Messages to deliver.") var messages = 100_000
        @Option(help: "Messages per enqueue transaction.") var batch = 1000
        @Option(help: "Transfers in flight.") var maxInFlight = 64
        @Option(help: "Messages scheduled a day ahead first, to measure memory with a backlog.") var future = 0
        @Option(help: "Working directory for the database.") var directory = NSTemporaryDirectory() + "herald-bench"

        func validate() throws {
            guard messages > 0, batch > 0, maxInFlight > 0, future >= 0 else {
                throw ValidationError("--messages, --batch and --max-in-flight must be positive; --future zero or more.")
            }
        }

        func run() async throws {
            let benchmark = Benchmark(
                url: url, messages: messages, batchSize: batch, maxInFlight: maxInFlight, futureMessages: future, directory: directory
            )
            print(try await benchmark.run().text)
        }
    }
}
