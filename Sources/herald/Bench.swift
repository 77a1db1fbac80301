import ArgumentParser
import Foundation
import HeraldApp
import HeraldCore
import HeraldStore
import HeraldWorker

extension Herald {
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure enqueue and delivery throughput against a local webhook or SMTP sink (use a release build).",
            discussion: """
                scripts/bench.sh starts the sinks it expects (nginx answering 204 on 127.0.0.1:18080, an SMTP sink counting \
                on 127.0.0.1:2525), runs it and the peers in one sitting, and prints the ratios. --email sends ~1 KB emails \
                to the SMTP sink instead of webhooks.
                """
        )

        @Flag(help: "Deliver email to the SMTP sink instead of webhooks.") var email = false
        @Option(help: "The sink's URL (default http://127.0.0.1:18080/hook, or smtp://127.0.0.1:2525 with --email).") var url: String?
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
            let sink = url ?? (email ? "smtp://127.0.0.1:2525" : "http://127.0.0.1:18080/hook")
            let benchmark = Benchmark(
                mode: email ? .email : .webhook, url: sink, messages: messages, batchSize: batch, maxInFlight: maxInFlight, futureMessages: future, directory: directory
            )
            print(try await benchmark.run().text)
        }
    }
}
