import ArgumentParser
import Foundation
import HeraldApp
import HeraldConfig
import HeraldCore
import HeraldServices

extension Herald {
    struct Campaign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Campaign posts across chat and social channels, each held until an approver agrees.",
            subcommands: [Load.self, Preview.self]
        )

        struct Load: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Store every post of a campaign file, held until 'herald approve ID --as NAME'. All or nothing."
            )

            @OptionGroup var global: GlobalOptions
            @Argument(help: "The campaign file (YAML).") var file: String

            func run() async throws {
                let campaign = try CampaignLoader.load(path: file)
                let context = try AppContext.open(global.paths)
                let loaded = try await context.campaigns().load(campaign, actor: Output.operatorName(), now: Date())
                for post in loaded {
                    let ids = post.ids.map(\.rawValue).joined(separator: " ")
                    print("\(post.post): \(post.alreadyLoaded ? "already loaded" : "held for approval") \(ids)")
                }
                let fresh = loaded.filter { !$0.alreadyLoaded }
                if let first = fresh.first?.ids.first {
                    print("approve a post (all its networks) with: herald approve \(first) --as NAME")
                }
            }
        }

        struct Preview: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Render every post for each of its networks with its length; fails on the first post over a limit."
            )

            @OptionGroup var global: GlobalOptions
            @Argument(help: "The campaign file (YAML).") var file: String

            func run() async throws {
                let campaign = try CampaignLoader.load(path: file)
                let context = try AppContext.open(global.paths)
                let timeZone = campaign.timeZone ?? context.configuration.planner.timeZone
                for post in try context.campaigns().render(campaign) {
                    let lengths = post.measures.map { "\($0.length)/\($0.limit) \($0.unit)" }.joined(separator: ", ")
                    print("\(post.post) → \(post.channel) (\(post.network)) at \(LocalTimeText.human(post.at, in: timeZone)): \(lengths)")
                    for line in post.text.split(separator: "\n", omittingEmptySubsequences: false) { print("    \(line)") }
                    if let over = post.measures.first(where: { !$0.fits }) {
                        throw HeraldError(.invalidInput, "Post '\(post.post)' is too long for channel '\(post.channel)': \(over). Shorten it.")
                    }
                }
            }
        }
    }
}
