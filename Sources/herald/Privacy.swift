import ArgumentParser
import Foundation
import HeraldApp
import HeraldCore
import HeraldServices
import HeraldStore

extension Herald {
    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the content and recipients that channels.yml's retention policy no longer allows (the worker does it daily)."
        )

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Only say what would be removed.") var dryRun = false

        func run() async throws {
            let context = try AppContext.open(global.paths)
            let report = try await context.audit.purge(dryRun: dryRun, now: Date())
            let verb = dryRun ? "would remove" : "removed"
            print("\(verb) the content of \(report.contentRemoved.count) message(s) and the recipient of \(report.recipientsRemoved.count)")
            for id in report.contentRemoved { print("  content    \(id)") }
            for id in report.recipientsRemoved { print("  recipient  \(id)") }
        }
    }

    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase one person's address, name and message content everywhere, keeping only digests; audited with who and why."
        )

        @OptionGroup var global: GlobalOptions
        @Option(help: "The person's email address.") var recipient: String
        @Option(help: "Why: the request's reference or the legal ground (kept as an erasable note).") var reason: String

        func run() async throws {
            let context = try AppContext.open(global.paths)
            let report = try await context.audit.forget(recipient: recipient, actor: Output.operatorName(), reason: reason, now: Date())
            print("erased the person's data from \(report.contentRemoved.count) message(s); \(report.cancelled.count) not yet sent were cancelled")
            for id in report.contentRemoved { print("  \(id)") }
        }
    }
}
