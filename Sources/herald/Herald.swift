import ArgumentParser
import HeraldApp
import HeraldCore

@main
struct Herald: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "herald",
        abstract: "A durable, multi-channel notification dispatcher.",
        subcommands: [
            Check.self, Enqueue.self, Worker.self, Log.self, Show.self, Retry.self, Resolve.self, Cancel.self, Review.self, Campaign.self,
            Approve.self, Audit.self, Export.self, Purge.self, Forget.self, Serve.self, Token.self, Bench.self,
        ]
    )

    /// Refuses arguments that are not UTF-8 before parsing: Swift would turn their bytes into U+FFFD, and a name,
    /// an address or a reason would be stored changed without a word.
    static func main() async {
        for index in 1..<Int(CommandLine.argc) {
            guard let argument = CommandLine.unsafeArgv[index], String(validatingCString: argument) == nil else { continue }
            exit(withError: HeraldError(.invalidInput, "Argument \(index) is not valid UTF-8. Give every argument as UTF-8 text."))
        }
        await main(nil)
    }
}

/// Where the configuration, templates and database are; every command takes these.
struct GlobalOptions: ParsableArguments {
    @Option(help: "The channels file (default ./channels.yml, or $HERALD_CONFIG).")
    var config: String?

    @Option(help: "The templates folder (default ./templates, or $HERALD_TEMPLATES).")
    var templates: String?

    @Option(help: "The database: a file or sqlite:PATH (default ./herald.db, or $HERALD_DB).")
    var db: String?

    var paths: AppPaths { AppPaths(config: config, templates: templates, database: db) }
}
