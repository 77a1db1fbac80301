import ArgumentParser
import HeraldApp

@main
struct Herald: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "herald",
        abstract: "A durable, multi-channel notification dispatcher.",
        subcommands: [
            Check.self, Enqueue.self, Worker.self, Log.self, Show.self, Retry.self, Resolve.self, Cancel.self, Review.self, Campaign.self,
            Approve.self, Audit.self, Bench.self,
        ]
    )
}

/// Where the configuration, templates and database are; every command takes these.
struct GlobalOptions: ParsableArguments {
    @Option(help: "The channels file (default ./channels.yml, or $HERALD_CONFIG).")
    var config: String?

    @Option(help: "The templates folder (default ./templates, or $HERALD_TEMPLATES).")
    var templates: String?

    @Option(help: "The SQLite database (default ./herald.db, or $HERALD_DB).")
    var db: String?

    var paths: AppPaths { AppPaths(config: config, templates: templates, database: db) }
}
