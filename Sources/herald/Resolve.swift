import ArgumentParser
import Foundation
import HeraldApp
import HeraldCore
import HeraldServices
import HeraldStore

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
            try await context.operations.resolve(messageID, url: url, actor: Output.operatorName(), now: Date())
            print("\(messageID) delivered: \(url)")
        }
    }
}
