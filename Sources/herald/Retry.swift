import ArgumentParser
import Foundation
import HeraldApp
import HeraldCore
import HeraldServices
import HeraldStore
import HeraldWorker

extension Herald {
    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send dead, unconfirmed, expired or cancelled messages again, with a fresh retry budget."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Message ids.") var ids: [String] = []
        @Flag(help: "Retry every dead message.") var dead = false
        @Option(help: "With --dead: only this channel.") var channel: String?

        func validate() throws {
            if dead == !ids.isEmpty { throw ValidationError("Give message ids, or --dead (optionally with --channel).") }
            if channel != nil && !dead { throw ValidationError("--channel goes with --dead.") }
        }

        func run() async throws {
            let context = try AppContext.open(global.paths)
            let actor = Output.operatorName()
            if dead {
                let outcomes = try await context.operations.retryDead(channel: channel, actor: actor, now: Date())
                let rescheduled = outcomes.filter { $0.result == .moved(.scheduled, gate: nil) }
                print("rescheduled \(rescheduled.count) dead message(s)")
                try Output.report(outcomes.filter { $0.result != .moved(.scheduled, gate: nil) }, verb: "rescheduled")
                return
            }
            let wanted = try ids.map(Output.messageID)
            try Output.report(try await context.operations.retry(wanted, actor: actor, now: Date()), verb: "rescheduled")
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel messages that have not been sent.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Message ids.") var ids: [String]

        func run() async throws {
            let wanted = try ids.map(Output.messageID)
            let context = try AppContext.open(global.paths)
            try Output.report(try await context.operations.cancel(wanted, actor: Output.operatorName(), now: Date()), verb: "cancelled")
        }
    }
}
