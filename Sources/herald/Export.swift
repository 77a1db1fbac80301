import ArgumentParser
import Foundation
import HeraldApp
import HeraldServices

extension Herald {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print, as JSON, everything held about one person: their messages with content, attempts and events, and their reviews."
        )

        @OptionGroup var global: GlobalOptions
        @Option(help: "The person's email address.") var recipient: String

        func run() async throws {
            let context = try AppContext.open(global.paths)
            print(try await context.operations.export(recipient: recipient, now: Date()))
        }
    }
}
