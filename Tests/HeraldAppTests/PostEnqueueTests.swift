import Foundation
import HeraldCore
import Testing

/// Posts through the real command line: each network's length rule at enqueue (a refusal stores nothing and names
/// the network, the count and the limit), `post.<type>.mustache` variants, and what is stored as the recipient.
///
/// Expected counts (docs/channels.md §3, §4.3, §5, TV-4):
/// - Mastodon: grapheme clusters, each http(s) URL as 23, limit 500.
/// - X: weighted; ASCII 1, CJK 2, an emoji sequence 2, a URL 23; limit 280.
/// - Bluesky: 300 graphemes and 3,000 UTF-8 bytes; URLs count in full.
@Suite struct PostEnqueueTests {
    static let channels = """
          social:
            type: mastodon
            url: http://127.0.0.1:9
            token: test-token
          bird:
            type: x
            url: http://127.0.0.1:9
            consumer_key: test-consumer-key
            consumer_secret: test-consumer-secret
            token: test-access-token
            token_secret: test-token-secret
          tiny:
            type: x
            url: http://127.0.0.1:9
            consumer_key: test-consumer-key
            consumer_secret: test-consumer-secret
            token: test-access-token
            token_secret: test-token-secret
            max_characters: 41
          sky:
            type: bluesky
            url: http://127.0.0.1:9
            identifier: herald.test
            password: test-app-password
          chat:
            type: slack
            url: http://127.0.0.1:9/services/T/B/x
        """

    /// `body`: the post is exactly `{{body}}` (no trailing newline, so nothing is added to the count).
    /// `variant`: a 305-character generic post, and a short `post.x.mustache` for X.
    static let genericPost = "{{topic}}: " + String(repeating: "m", count: 290)

    func cli() throws -> HeraldCLI {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook", extraYAML: Self.channels)
        let templates = cli.directory.appendingPathComponent("templates")
        let body = templates.appendingPathComponent("body")
        try FileManager.default.createDirectory(at: body, withIntermediateDirectories: true)
        try "{{body}}".write(to: body.appendingPathComponent("post.mustache"), atomically: true, encoding: .utf8)
        let variant = templates.appendingPathComponent("variant")
        try FileManager.default.createDirectory(at: variant, withIntermediateDirectories: true)
        try Self.genericPost.write(to: variant.appendingPathComponent("post.mustache"), atomically: true, encoding: .utf8)
        try "{{topic}} on X".write(to: variant.appendingPathComponent("post.x.mustache"), atomically: true, encoding: .utf8)
        return cli
    }

    func enqueue(_ cli: HeraldCLI, _ channel: String, _ body: String, extra: [String] = []) async throws -> HeraldCLI.Result {
        try await cli.run(["enqueue", "--channel", channel, "--kind", "body", "--data", JSONValue.text(of: ["body": .string(body)])] + extra)
    }

    /// Refused: non-zero exit, every expected phrase on stderr, and the store as empty as before.
    func refused(
        _ cli: HeraldCLI, _ channel: String, _ body: String, extra: [String] = [], saying expected: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let result = try await enqueue(cli, channel, body, extra: extra)
        #expect(result.status != 0, "accepted: \(result.stdout)", sourceLocation: sourceLocation)
        for phrase in expected {
            #expect(result.stderr.contains(phrase), "stderr was: \(result.stderr)", sourceLocation: sourceLocation)
        }
        #expect(try await cli.storedCount() == 0, sourceLocation: sourceLocation)
    }

    /// Accepted: one id printed, and the stored post is exactly the text sent.
    @discardableResult
    func accepted(
        _ cli: HeraldCLI, _ channel: String, _ body: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        let result = try await enqueue(cli, channel, body)
        #expect(result.status == 0, "stderr was: \(result.stderr)", sourceLocation: sourceLocation)
        let id = try #require(result.stdout.split(separator: "\n").first.map(String.init), sourceLocation: sourceLocation)
        let shown = try await show(cli, id)
        let content = shown["content"] as? [String: Any]
        #expect(content?["post"] as? String == body, sourceLocation: sourceLocation)
        return shown
    }

    func show(_ cli: HeraldCLI, _ id: String) async throws -> [String: Any] {
        let shown = try await cli.run("show", id, "--json")
        #expect(shown.status == 0, "\(shown.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
    }

    static func repeated(_ text: String, _ count: Int) -> String {
        String(repeating: text, count: count)
    }

    /// 20 + 280 = 300 characters.
    static let longURL = "https://example.org/" + repeated("p", 280)

    // MARK: - Mastodon

    @Test func mastodonCountsGraphemesUpTo500() async throws {
        let cli = try cli()
        // "e" + U+0301: two code points, one grapheme; 501 of them are 501 characters, not 1002.
        try await refused(
            cli, "social", Self.repeated("e\u{301}", 501),
            saying: ["too long for channel 'social'", "Mastodon counts 501 characters (each URL as 23); the limit is 500"]
        )
        try await refused(cli, "social", Self.repeated("a", 501), saying: ["Mastodon counts 501 characters (each URL as 23); the limit is 500"])
        try await accepted(cli, "social", Self.repeated("e\u{301}", 500))
        #expect(try await cli.storedCount() == 1)
    }

    @Test func aLongURLCountsAs23OnMastodon() async throws {
        let cli = try cli()
        // 477 + 1 + 23 = 501 (its 300 characters would make it 778).
        try await refused(
            cli, "social", Self.repeated("a", 477) + " " + Self.longURL,
            saying: ["too long for channel 'social'", "Mastodon counts 501 characters (each URL as 23); the limit is 500"]
        )
        // 470 + 1 + 23 = 494, although the text is 771 characters long.
        let fits = Self.repeated("a", 470) + " " + Self.longURL
        #expect(fits.count == 771)
        try await accepted(cli, "social", fits)
    }

    // MARK: - X

    @Test func xCountsASCIIAsOne() async throws {
        let cli = try cli()
        try await refused(
            cli, "bird", Self.repeated("a", 281),
            saying: ["too long for channel 'bird'", "X counts 281 weighted characters (each URL as 23, emoji and CJK as 2); the limit is 280"]
        )
        try await accepted(cli, "bird", Self.repeated("a", 280))
    }

    @Test func xCountsCJKAsTwo() async throws {
        let cli = try cli()
        try await refused(
            cli, "bird", Self.repeated("あ", 141),
            saying: ["too long for channel 'bird'", "X counts 282 weighted characters", "the limit is 280"]
        )
        try await accepted(cli, "bird", Self.repeated("あ", 140))
    }

    @Test func xCountsAnEmojiSequenceAsTwoAndAURLAs23() async throws {
        let cli = try cli()
        let couple = "👨‍❤️‍👨"  // U+1F468 U+200D U+2764 U+FE0F U+200D U+1F468: six code points, one emoji
        let url = "https://example.com/a/very/long/path?with=query"  // 47 characters
        // TV-4 with this emoji: "Deploy finished " 16 + emoji 2 + space 1 + URL 23 = 42.
        try await refused(cli, "tiny", "Deploy finished \(couple) \(url)", saying: ["too long for channel 'tiny'", "X counts 42 weighted characters", "the limit is 41"])
        // n + 1 + 2 + 1 + 23: 254 gives 281, 253 gives 280.
        try await refused(cli, "bird", Self.repeated("a", 254) + " \(couple) \(url)", saying: ["X counts 281 weighted characters", "the limit is 280"])
        try await accepted(cli, "bird", Self.repeated("a", 253) + " \(couple) \(url)")
        try await accepted(cli, "tiny", "Deploy finished 👋")  // 16 + 2
    }

    // MARK: - Bluesky

    @Test func blueskyCountsGraphemesUpTo300AndURLsInFull() async throws {
        let cli = try cli()
        try await refused(
            cli, "sky", Self.repeated("a", 301), saying: ["too long for channel 'sky'", "Bluesky counts 301 graphemes; the limit is 300"]
        )
        // Bluesky does not shorten links: 250 + 1 + 300 = 551.
        try await refused(cli, "sky", Self.repeated("a", 250) + " " + Self.longURL, saying: ["Bluesky counts 551 graphemes; the limit is 300"])
        try await accepted(cli, "sky", Self.repeated("a", 300))
    }

    @Test func blueskyAlsoLimitsUTF8BytesTo3000() async throws {
        let cli = try cli()
        let family = "👨‍👩‍👧‍👦"  // four 4-byte code points and three 3-byte ZWJs: 25 bytes, one grapheme
        #expect(family.utf8.count == 25)
        // 300 graphemes fit, but 300 × 25 = 7,500 bytes.
        try await refused(
            cli, "sky", Self.repeated(family, 300), saying: ["too long for channel 'sky'", "Bluesky counts 7500 UTF-8 bytes; the limit is 3000"]
        )
        // 121 × 25 = 3,025.
        try await refused(cli, "sky", Self.repeated(family, 121), saying: ["Bluesky counts 3025 UTF-8 bytes; the limit is 3000"])
        // 120 × 25 = 3,000 exactly.
        try await accepted(cli, "sky", Self.repeated(family, 120))
    }

    // MARK: - Every post channel

    @Test func anEmptyPostIsRefused() async throws {
        let cli = try cli()
        try await refused(cli, "social", "", saying: ["for channel 'social' is empty", "Mastodon needs some text"])
        try await refused(cli, "bird", " \n\t ", saying: ["for channel 'bird' is empty", "X needs some text"])
        try await refused(cli, "chat", "\n", saying: ["for channel 'chat' is empty", "Slack needs some text"])
    }

    @Test func toIsRefusedOnAPostChannel() async throws {
        let cli = try cli()
        try await refused(
            cli, "social", "Hello", extra: ["--to", "someone@example.org"],
            saying: ["Channel 'social' posts to Mastodon as its configured account, so --to is not used. Remove --to."]
        )
        try await refused(cli, "chat", "Hello", extra: ["--to", "#general"], saying: ["Channel 'chat' posts to Slack", "--to is not used"])
    }

    @Test func aNetworksOwnPostTemplateIsWhatIsStoredForIt() async throws {
        let cli = try cli()
        let data = ["--kind", "variant", "--data", "{\"topic\":\"online safety\"}"]
        let generic = "online safety: " + Self.repeated("m", 290)  // 305 characters

        let mastodon = try await cli.run(["enqueue", "--channel", "social"] + data)
        #expect(mastodon.status == 0, "\(mastodon.stderr)")
        // The generic post would be 305 weighted characters on X; its own variant fits.
        let x = try await cli.run(["enqueue", "--channel", "bird"] + data)
        #expect(x.status == 0, "\(x.stderr)")

        let mastodonID = try #require(mastodon.stdout.split(separator: "\n").first.map(String.init))
        let xID = try #require(x.stdout.split(separator: "\n").first.map(String.init))
        let mastodonContent = try await show(cli, mastodonID)["content"] as? [String: String]
        let xContent = try await show(cli, xID)["content"] as? [String: String]
        #expect(mastodonContent == ["post": generic])
        #expect(xContent == ["post": "online safety on X"])

        // Bluesky has no variant here, so it is measured on the generic post, and told how to get one.
        let bluesky = try await cli.run(["enqueue", "--channel", "sky"] + data)
        #expect(bluesky.status != 0)
        #expect(bluesky.stderr.contains("Bluesky counts 305 graphemes; the limit is 300"), "\(bluesky.stderr)")
        #expect(bluesky.stderr.contains("post.bluesky.mustache"), "\(bluesky.stderr)")
        #expect(try await cli.storedCount() == 2)
    }

    /// A Slack webhook's url is its credential: what is stored and shown as the recipient is only the host.
    @Test func theSlackRecipientDoesNotCarryTheWebhookPath() async throws {
        let cli = try cli()
        let shown = try await accepted(cli, "chat", "Deploy finished")
        let recipient = try #require(shown["recipient"] as? String)
        #expect(recipient == "slack:127.0.0.1")
        #expect(!recipient.contains("/services/T/B/x"))
        let log = try await cli.run("log", "--json", "--limit", "100")
        #expect(log.status == 0)
        #expect(log.stdout.contains("slack:127.0.0.1"), "\(log.stdout)")
        #expect(!log.stdout.contains("services/T/B"), "\(log.stdout)")
        let id = try #require(shown["id"] as? String)
        let text = try await cli.run("show", id)
        #expect(text.status == 0)
        #expect(!text.stdout.contains("services/T/B"), "\(text.stdout)")
    }

    @Test func theOtherNetworksStoreTheirAccountAsTheRecipient() async throws {
        let cli = try cli()
        for (channel, recipient) in [("social", "mastodon:127.0.0.1"), ("bird", "x:127.0.0.1"), ("sky", "bluesky:herald.test")] {
            let shown = try await accepted(cli, channel, "Hello")
            #expect(shown["recipient"] as? String == recipient, "\(channel)")
        }
    }
}
