import Foundation
import HeraldTesting
import Testing

/// The operator's side of a post whose fate is unknown, through the real command line: `show` explains it, `resolve`
/// records a post found by hand (and never sends it again), `retry` sends it once more on the operator's word.
@Suite struct UnconfirmedPostTests {
    func enqueue(_ cli: HeraldCLI, _ text: String) async throws -> String {
        let result = try await cli.run("enqueue", "--channel", "x", "--kind", "announcement", "--data", "{\"text\":\"\(text)\"}")
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func anUnconfirmedPostIsExplainedResolvedByHandOrRetriedOnTheOperatorsWord() async throws {
        // X refuses a repeated text as a duplicate; this fake stands for the case where the lost post never arrived.
        let fake = try await SocialFake(.init(network: "x", credentials: ["duplicate_check": "off"], script: ["silence", "silence"], silenceSeconds: 3))
        let cli = try HeraldCLI.posting(to: fake, channelTimeout: "1s")
        let found = try await enqueue(cli, "First announcement")
        let lost = try await enqueue(cli, "Second announcement")
        let worker = try await cli.run("worker", "--once")
        #expect(worker.status == 0, "\(worker.stderr)")
        #expect(try fake.posts().count == 2)

        let shown = try await cli.run("show", found)
        #expect(shown.stdout.contains("state     unconfirmed"))
        #expect(shown.stdout.contains("UNCONFIRMED"))
        #expect(shown.stdout.contains("herald resolve \(found) --delivered URL"))
        #expect(shown.stdout.contains("herald retry \(found)"))

        let badURL = try await cli.run("resolve", found, "--delivered", "javascript:alert(1)")
        #expect(badURL.status != 0)
        #expect(badURL.stderr.contains("public URL"))
        let url = "https://x.com/partnership/status/1234567890123456789"
        let resolved = try await cli.run("resolve", found, "--delivered", url)
        #expect(resolved.status == 0, "\(resolved.stderr)")
        let again = try await cli.run("resolve", found, "--delivered", url)
        #expect(again.status != 0)
        #expect(again.stderr.contains("is delivered, not unconfirmed"))

        let json = try await cli.run("show", found, "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["state"] as? String == "delivered")
        #expect(object["post_url"] as? String == url)
        let events = (object["events"] as? [[String: Any]] ?? []).compactMap { $0["event"] as? String }
        #expect(events.suffix(2) == ["unconfirmed", "resolved"])
        let log = try await cli.run("log", "--state", "delivered")
        #expect(log.stdout.contains(url))

        // The other one is sent again only when the operator says so; the fake answers this time.
        #expect(try await cli.run("worker", "--once").status == 0)
        #expect(try fake.posts().count == 2)
        let retried = try await cli.run("retry", lost)
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(try await cli.run("worker", "--once").status == 0)
        let posts = try fake.posts()
        #expect(posts.count == 3)
        let lostJSON = try await cli.run("show", lost, "--json")
        let lostObject = try #require(try JSONSerialization.jsonObject(with: Data(lostJSON.stdout.utf8)) as? [String: Any])
        #expect(lostObject["state"] as? String == "delivered")
        #expect(lostObject["post_url"] as? String == "https://x.com/i/web/status/\(posts[2].postID ?? "?")")
        let audit = try await cli.run("audit", "verify")
        #expect(audit.status == 0, "\(audit.stderr)")
    }
}
