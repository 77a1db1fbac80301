import Foundation
import HeraldApp
import HeraldConfig
import HeraldCore
import HeraldServices
import HeraldStore
import HeraldStoreSQLite
import HeraldTesting
import HeraldTransport
import HeraldWorker
import Testing

/// A campaign from file to fakes: loaded held, previewed per network, two of three posts approved, the worker run on a
/// clock past every post's time: the approved posts reach the fakes (checked as the real APIs would), one stays held.
///
/// The worker runs on a frozen manual clock, where a retry would never fall due: a time limit turns such a bug into
/// a failure instead of a hung run.
@Suite(.timeLimit(.minutes(2))) struct CampaignEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let campaignYAML = """
        campaign: awareness-week
        timezone: Europe/London
        posts:
          - name: launch
            networks: [mastodon, bluesky]
            at: "2026-11-16 09:00"
            text: "Safeguarding Awareness Week starts today 💙 https://partnership.example.org/week"
          - name: online-safety
            networks: [mastodon, x]
            at: "2026-11-17 12:30"
            template: campaign_post
            data:
              headline: "Talk to the children in your life about staying safe online."
              detail: "Our guide has conversation starters for every age."
              link: https://partnership.example.org/week/online
              hashtag: SafeguardingWeek
          - name: thank-you
            networks: [bluesky]
            at: "2026-11-20 16:00"
            text: "Thank you to everyone who took part."
        """

    @Test func twoApprovedPostsReachTheNetworksAndTheThirdStaysHeld() async throws {
        let mastodon = try await SocialFake(.init(network: "mastodon"))
        let bluesky = try await SocialFake(.init(network: "bluesky"))
        let x = try await SocialFake(.init(network: "x"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-campaign-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let yaml = """
            channels:
              mastodon: { type: mastodon, url: "\(mastodon.baseURL)", token: "${MASTODON_TOKEN}" }
              bluesky: { type: bluesky, url: "\(bluesky.baseURL)", identifier: "\(bluesky.credential("identifier")!)", password: "${BLUESKY_PASSWORD}" }
              x:
                type: x
                url: \(x.baseURL)
                consumer_key: \(x.credential("consumer_key")!)
                consumer_secret: ${X_CONSUMER_SECRET}
                token: ${X_TOKEN}
                token_secret: ${X_TOKEN_SECRET}
            approvers: ["Executive"]
            """
        let file = directory.appendingPathComponent("channels.yml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let configuration = try ConfigurationLoader.load(
            path: file.path,
            environment: [
                "MASTODON_TOKEN": mastodon.credential("token")!, "BLUESKY_PASSWORD": bluesky.credential("password")!,
                "X_CONSUMER_SECRET": x.credential("consumer_secret")!, "X_TOKEN": x.credential("token")!,
                "X_TOKEN_SECRET": x.credential("token_secret")!,
            ]
        )
        let workers = try WorkerHarness(clock: ManualClock(RFC3339.parse("2026-11-21T12:00:00Z")!))
        let store = workers.store
        let templates = try TemplateLibrary(directory: Self.root.appendingPathComponent("templates").path)
        let campaigns = CampaignService(configuration: configuration, templates: templates, store: store)
        let campaign = try CampaignLoader.load(yaml: Self.campaignYAML, fileName: "campaign.yml")

        // Preview: one rendering per network, X's from post.x.mustache.
        let rendered = try campaigns.render(campaign)
        #expect(rendered.map { "\($0.post)/\($0.channel)" } == [
            "launch/mastodon", "launch/bluesky", "online-safety/mastodon", "online-safety/x", "thank-you/bluesky",
        ])
        #expect(rendered.allSatisfy { $0.fits })
        let onlineX = try #require(rendered.first { $0.post == "online-safety" && $0.channel == "x" })
        let onlineMastodon = try #require(rendered.first { $0.post == "online-safety" && $0.channel == "mastodon" })
        #expect(!onlineX.text.contains("conversation starters"))
        #expect(onlineMastodon.text.contains("conversation starters"))

        let loadedAt = RFC3339.parse("2026-11-10T10:00:00Z")!
        let loaded = try await campaigns.load(campaign, actor: "test", now: loadedAt)
        #expect(loaded.map(\.ids.count) == [2, 2, 1])
        for id in loaded.flatMap(\.ids) { #expect(try await store.message(id)?.message.state == .held) }
        let again = try await campaigns.load(campaign, actor: "test", now: loadedAt)
        #expect(again.allSatisfy { $0.alreadyLoaded })
        #expect(again.map { Set($0.ids) } == loaded.map { Set($0.ids) })

        // London is on GMT in November: 09:00 local is 09:00Z.
        #expect(try await store.message(loaded[0].ids[0])?.message.notBefore == RFC3339.parse("2026-11-16T09:00:00Z"))

        let reviews = Approvals(approvers: configuration.approvers, store: store)
        await #expect(throws: HeraldError.self) { try await reviews.approve(loaded[0].ids[0], as: "Somebody Else", now: loadedAt) }
        #expect(try await reviews.approve(loaded[0].ids[1], as: "executive", now: loadedAt).count == 2)
        #expect(try await reviews.approve(loaded[1].ids[0], as: "Executive", now: loadedAt).count == 2)

        let summary = try await workers.worker(
            try WorkerAssembly.channels(from: configuration), id: "campaign-test", lease: configuration.worker.lease, shutdownGrace: 2, once: true
        ).deliver()
        #expect(summary.delivered == 4)

        for fake in [mastodon, bluesky, x] {
            let rejected = try fake.requests().filter { $0.verdict == "rejected" }
            #expect(rejected.isEmpty, "\(fake.options.network) refused: \(rejected.map(\.reason))")
        }
        #expect(try mastodon.posts().compactMap { $0.bodyJSON?["status"] as? String } == [rendered[0].text, onlineMastodon.text])
        #expect(try bluesky.posts().compactMap { ($0.bodyJSON?["record"] as? [String: Any])?["text"] as? String } == [rendered[1].text])
        #expect(try x.posts().compactMap { $0.bodyJSON?["text"] as? String } == [onlineX.text])

        let held = try #require(try await store.message(loaded[2].ids[0]))
        #expect(held.message.state == .held)
        #expect(held.attempts.isEmpty)
        for id in loaded[0].ids + loaded[1].ids {
            let detail = try #require(try await store.message(id))
            #expect(detail.message.state == .delivered)
            #expect(detail.message.postURL != nil)
        }
    }

    @Test func previewFailsOnTheFirstPostOverALimitAndLoadStoresNothing() async throws {
        let cli = try HeraldCLI(
            sinkURL: "http://127.0.0.1:9/hook",
            extraYAML: """
                  mastodon: { type: mastodon, url: "http://127.0.0.1:9", token: test-token }
                  x:
                    type: x
                    url: http://127.0.0.1:9
                    consumer_key: ck
                    consumer_secret: cs
                    token: tk
                    token_secret: ts
                approvers: ["Executive"]
                """
        )
        let long = String(repeating: "あ", count: 141)
        let file = try cli.write(
            """
            campaign: too-long
            posts:
              - name: fine
                networks: [mastodon]
                at: "2099-01-05 09:00"
                text: "A short post"
              - name: wordy
                networks: [mastodon, x]
                at: "2099-01-06 09:00"
                text: "\(long)"
              - name: never-reached
                networks: [x]
                at: "2099-01-07 09:00"
                text: "\(long)"
            """,
            to: "campaign.yml"
        )
        let preview = try await cli.run("campaign", "preview", file)
        #expect(preview.status != 0)
        #expect(preview.stdout.contains("fine → mastodon"))
        #expect(preview.stdout.contains("141/500"))
        #expect(!preview.stdout.contains("never-reached"))
        #expect(preview.stderr.contains("Post 'wordy' is too long for channel 'x': X counts 282 weighted characters"), "\(preview.stderr)")
        #expect(preview.stderr.contains("the limit is 280"))

        let load = try await cli.run("campaign", "load", file)
        #expect(load.status != 0)
        #expect(load.stderr.contains("Post 'wordy' is too long for channel 'x'"), "\(load.stderr)")
        #expect(try await cli.storedCount() == 0)
    }

    @Test func loadHoldsEveryPostAndApprovalReleasesOnePostOnEveryNetwork() async throws {
        let cli = try HeraldCLI(
            sinkURL: "http://127.0.0.1:9/hook",
            extraYAML: """
                  mastodon: { type: mastodon, url: "http://127.0.0.1:9", token: test-token }
                  bluesky: { type: bluesky, url: "http://127.0.0.1:9", identifier: herald.test, password: pw }
                approvers: ["Executive"]
                """
        )
        let file = try cli.write(
            """
            campaign: week
            posts:
              - name: one
                networks: [mastodon, bluesky]
                at: "2099-01-05 09:00"
                text: "Post one"
              - name: two
                networks: [mastodon]
                at: "2099-01-06 09:00"
                text: "Post two"
            """,
            to: "campaign.yml"
        )
        let load = try await cli.run("campaign", "load", file)
        #expect(load.status == 0, "\(load.stderr)")
        #expect(load.stdout.contains("one: held for approval"))
        let firstID = try #require(load.stdout.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
        let held = try await cli.run("log", "--state", "held", "--json")
        #expect((try JSONSerialization.jsonObject(with: Data(held.stdout.utf8)) as? [Any])?.count == 3)
        let shown = try await cli.run("show", firstID)
        #expect(shown.stdout.contains("HELD: waiting for an approver"))

        let refused = try await cli.run("approve", firstID, "--as", "Intern")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("not an approver"))
        let approved = try await cli.run("approve", firstID, "--as", "Executive")
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(approved.stdout.contains("2 message(s) released"))
        let scheduled = try await cli.run("log", "--state", "scheduled", "--json")
        #expect((try JSONSerialization.jsonObject(with: Data(scheduled.stdout.utf8)) as? [Any])?.count == 2)

        let second = try await cli.run("campaign", "load", file)
        #expect(second.stdout.contains("one: already loaded"))
        #expect(try await cli.storedCount() == 3)
        // The approval's event binds the state the approval left each post in.
        let verified = try await cli.run("audit", "verify")
        #expect(verified.status == 0, "\(verified.stderr)")
    }
}
