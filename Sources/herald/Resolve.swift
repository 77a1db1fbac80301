import ArgumentParser
import Foundation
import HeraldApp
import HeraldCore
import HeraldStore
import HeraldStoreSQLite

extension Herald {
    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that an unconfirmed post was published after all, found by hand at URL; it is never sent again."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The unconfirmed message's id.") var id: String
        @Option(help: "The public URL of the post found on the network.") var delivered: String

        func run() async throws {
            let messageID = try Output.messageID(id)
            let url = try Output.postURL(delivered)
            let context = try AppContext.open(global.paths)
            if try await context.store.resolveDelivered(messageID, url: url, actor: Output.operatorName(), now: Date()) {
                print("\(messageID) delivered: \(url)")
                return
            }
            guard let detail = try await context.store.message(messageID) else {
                throw HeraldError(.notFound, "No message has the id \(messageID). List unconfirmed ones with 'herald log --state unconfirmed'.")
            }
            throw HeraldError(
                .conflict,
                "Message \(messageID) is \(detail.message.state.rawValue), not unconfirmed: only a post whose fate is unknown can be resolved by hand."
            )
        }
    }
}
