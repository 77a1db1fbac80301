import Foundation
import HeraldConfig
import HeraldCore
import Testing

/// The chat and social channel types (slack, teams, mastodon, bluesky, x, facebook, linkedin): what a valid one loads
/// into, the networks' defaults, and every refusal with its file, line and key path.
@Suite struct PostChannelConfigurationTests {
    typealias Support = ConfigTestSupport

    /// Credentials as the environment gives them; each value is distinctive so a leak into a message is visible.
    static let environment = Support.environment.merging([
        "SLACK_URL": "https://hooks.slack.com/services/T0001/B0002/slackWebhookCredential",
        "TEAMS_URL": "https://tenant.webhook.office.com/webhookb2/abc@def/IncomingWebhook/teamsWebhookCredential/ghi",
        "MASTODON_TOKEN": "mastodonTokenValue-1",
        "X_CONSUMER_KEY": "xConsumerKeyValue",
        "X_CONSUMER_SECRET": "xConsumerSecretValue",
        "X_TOKEN": "xAccessTokenValue",
        "X_TOKEN_SECRET": "xTokenSecretValue",
        "BSKY_ID": "herald.bsky.social",
        "FB_TOKEN": "facebookPageTokenValue",
        "LI_TOKEN": "linkedinMemberTokenValue",
    ]) { $1 }

    // MARK: - Loading

    @Test func eachOfTheSevenTypesLoadsItsCredentialsFromSecrets() throws {
        let folder = try Support.temporaryDirectory("post-channels")
        defer { try? FileManager.default.removeItem(at: folder) }
        try "bsky-app-pass-word\n".write(to: folder.appendingPathComponent("bsky.password"), atomically: true, encoding: .utf8)
        let yaml = """
            channels:
              chat:
                type: slack
                url: ${SLACK_URL}
              room:
                type: teams
                url: ${TEAMS_URL}
              toot:
                type: mastodon
                url: https://mastodon.example.org
                token: ${MASTODON_TOKEN}
                visibility: unlisted
                language: en
              sky:
                type: bluesky
                identifier: ${BSKY_ID}
                password: file:bsky.password
              bird:
                type: x
                consumer_key: ${X_CONSUMER_KEY}
                consumer_secret: ${X_CONSUMER_SECRET}
                token: ${X_TOKEN}
                token_secret: ${X_TOKEN_SECRET}
              page:
                type: facebook
                page_id: "1234567890"
                token: ${FB_TOKEN}
              company:
                type: linkedin
                token: ${LI_TOKEN}
                author: urn:li:organization:2414183
                api_version: "202611"

            """
        let channels = try Support.load(yaml, environment: Self.environment, baseDirectory: folder.path).channels

        let chat = try #require(channels["chat"])
        #expect(chat.type == .slack)
        #expect(chat.url == "https://hooks.slack.com/services/T0001/B0002/slackWebhookCredential")
        #expect(chat.post == PostSettings(maxCharacters: 4_000))

        let room = try #require(channels["room"])
        #expect(room.type == .teams)
        #expect(room.url == Self.environment["TEAMS_URL"])
        #expect(room.post == PostSettings(maxCharacters: 28_000))

        let toot = try #require(channels["toot"])
        #expect(toot.type == .mastodon)
        #expect(toot.url == "https://mastodon.example.org")
        #expect(toot.post == PostSettings(token: "mastodonTokenValue-1", visibility: "unlisted", language: "en", maxCharacters: 500))

        let sky = try #require(channels["sky"])
        #expect(sky.type == .bluesky)
        #expect(sky.url == "https://bsky.social")
        #expect(sky.post == PostSettings(identifier: "herald.bsky.social", password: "bsky-app-pass-word", maxCharacters: 300))

        let bird = try #require(channels["bird"])
        #expect(bird.type == .x)
        #expect(bird.url == "https://api.x.com")
        #expect(
            bird.post
                == PostSettings(
                    token: "xAccessTokenValue", consumerKey: "xConsumerKeyValue", consumerSecret: "xConsumerSecretValue",
                    tokenSecret: "xTokenSecretValue", maxCharacters: 280
                )
        )

        let page = try #require(channels["page"])
        #expect(page.type == .facebook)
        #expect(page.url == "https://graph.facebook.com/v21.0")
        #expect(page.post == PostSettings(token: "facebookPageTokenValue", pageID: "1234567890", maxCharacters: 63_206))

        let company = try #require(channels["company"])
        #expect(company.type == .linkedin)
        #expect(company.url == "https://api.linkedin.com")
        #expect(
            company.post
                == PostSettings(token: "linkedinMemberTokenValue", author: "urn:li:organization:2414183", apiVersion: "202611", maxCharacters: 3_000)
        )

        for channel in channels.values {
            #expect(channel.maxInFlight == 1, "\(channel.name)")
            #expect(channel.post?.charactersPerURL == 23, "\(channel.name)")
            #expect(channel.secrets.isEmpty, "\(channel.name)")
            #expect(channel.email == nil, "\(channel.name)")
        }
    }

    /// One minimal channel of each type, the default url it gets (nil: the one given) and its default limit.
    struct Minimal: Sendable, CustomTestStringConvertible {
        let type: ChannelType
        let keys: String
        let url: String
        let maxCharacters: Int
        var testDescription: String { type.rawValue }
    }

    static let minimal: [Minimal] = [
        Minimal(type: .slack, keys: "    url: ${SLACK_URL}\n", url: "https://hooks.slack.com/services/T0001/B0002/slackWebhookCredential", maxCharacters: 4_000),
        Minimal(type: .teams, keys: "    url: https://tenant.webhook.office.com/webhookb2/x\n", url: "https://tenant.webhook.office.com/webhookb2/x", maxCharacters: 28_000),
        Minimal(type: .mastodon, keys: "    url: https://mastodon.social\n    token: ${MASTODON_TOKEN}\n", url: "https://mastodon.social", maxCharacters: 500),
        Minimal(type: .bluesky, keys: "    identifier: ${BSKY_ID}\n    password: app-pass\n", url: "https://bsky.social", maxCharacters: 300),
        Minimal(
            type: .x, keys: "    consumer_key: ck\n    consumer_secret: cs\n    token: ${X_TOKEN}\n    token_secret: ts\n", url: "https://api.x.com",
            maxCharacters: 280
        ),
        Minimal(type: .facebook, keys: "    page_id: 42\n    token: ${FB_TOKEN}\n", url: "https://graph.facebook.com/v21.0", maxCharacters: 63_206),
        Minimal(
            type: .linkedin, keys: "    token: ${LI_TOKEN}\n    author: urn:li:person:abc-123_X\n    api_version: 202611\n", url: "https://api.linkedin.com",
            maxCharacters: 3_000
        ),
    ]

    static func yaml(_ minimal: Minimal, extra: String = "", top: String = "") -> String {
        top + "channels:\n  social:\n    type: \(minimal.type.rawValue)\n" + minimal.keys + extra
    }

    @Test(arguments: minimal)
    func defaultsOfEachNetwork(_ minimal: Minimal) throws {
        let channel = try #require(try Support.load(Self.yaml(minimal), environment: Self.environment).channels["social"])
        #expect(channel.type == minimal.type)
        #expect(channel.url == minimal.url)
        #expect(channel.maxInFlight == 1)
        #expect(channel.post?.maxCharacters == minimal.maxCharacters)
        #expect(channel.post?.charactersPerURL == 23)
        #expect(channel.timeout == 30)
        #expect(channel.connectTimeout == 10)
    }

    @Test(arguments: minimal)
    func maxCharactersAndMaxInFlightCanBeOverridden(_ minimal: Minimal) throws {
        let yaml = Self.yaml(minimal, extra: "    max_characters: 11000\n    max_in_flight: 4\n")
        let channel = try #require(try Support.load(yaml, environment: Self.environment).channels["social"])
        #expect(channel.post?.maxCharacters == 11_000)
        #expect(channel.maxInFlight == 4)
    }

    @Test func aMastodonInstanceMayCountURLsDifferently() throws {
        let yaml = Self.yaml(Self.minimal[2], extra: "    max_characters: 5000\n    characters_per_url: 30\n    visibility: direct\n")
        let post = try #require(try Support.load(yaml, environment: Self.environment).channels["social"]?.post)
        #expect(post.maxCharacters == 5_000)
        #expect(post.charactersPerURL == 30)
        #expect(post.visibility == "direct")
    }

    /// Post channels go one at a time unless the channel itself says otherwise; `defaults.max_in_flight` is for the
    /// webhook and smtp channels (current behaviour, see ConfigurationLoader+Channel.swift).
    @Test func defaultsMaxInFlightDoesNotApplyToPostChannelsButOtherDefaultsDo() throws {
        let yaml = Self.yaml(Self.minimal[2], top: "defaults:\n  max_in_flight: 8\n  timeout: 12s\n")
            + "  partners:\n    type: webhook\n    url: https://x.example/h\n    secret: ${PARTNER_SECRET}\n"
        let channels = try Support.load(yaml, environment: Self.environment).channels
        #expect(channels["social"]?.maxInFlight == 1)
        #expect(channels["social"]?.timeout == 12)
        #expect(channels["partners"]?.maxInFlight == 8)
    }

    @Test func aGivenURLReplacesTheNetworksDefaultAndLoopbackMayBePlainHTTP() throws {
        let bluesky = Self.yaml(Self.minimal[3], extra: "    url: https://pds.example.org\n")
        #expect(try Support.load(bluesky, environment: Self.environment).channels["social"]?.url == "https://pds.example.org")
        let x = Self.yaml(Self.minimal[4], extra: "    url: http://127.0.0.1:8080\n")
        #expect(try Support.load(x, environment: Self.environment).channels["social"]?.url == "http://127.0.0.1:8080")
        let mastodon = "channels:\n  toot:\n    type: mastodon\n    url: http://localhost:3000\n    token: t\n"
        #expect(try Support.load(mastodon, environment: Self.environment).channels["toot"]?.url == "http://localhost:3000")
    }

    @Test func anAudienceOverAPostChannelWithoutRecipientsIsAccepted() throws {
        let yaml = Self.mastodon + "audiences:\n  followers:\n    channel: toot\n"
        let audience = try #require(try Support.load(yaml, environment: Self.environment).audiences["followers"])
        #expect(audience.channel == "toot")
        #expect(audience.recipients.isEmpty)
    }

    // MARK: - Refusals

    /// A valid Mastodon channel on lines 1–5, to which a case appends (line 6 onwards).
    static let mastodon = "channels:\n  toot:\n    type: mastodon\n    url: https://mastodon.example.org\n    token: ${MASTODON_TOKEN}\n"
    /// A valid X channel on lines 1–7.
    static let x = "channels:\n  bird:\n    type: x\n    consumer_key: ${X_CONSUMER_KEY}\n    consumer_secret: ${X_CONSUMER_SECRET}\n    token: ${X_TOKEN}\n    token_secret: ${X_TOKEN_SECRET}\n"
    /// A valid Slack channel on lines 1–4.
    static let slack = "channels:\n  chat:\n    type: slack\n    url: ${SLACK_URL}\n"
    /// A LinkedIn channel on lines 1–4, author on line 5 and version on line 6.
    static func linkedIn(author: String = "urn:li:organization:2414183", version: String = "\"202611\"") -> String {
        "channels:\n  company:\n    type: linkedin\n    token: ${LI_TOKEN}\n    author: \(author)\n    api_version: \(version)\n"
    }
    /// A Facebook channel, page_id on line 4.
    static func facebook(pageID: String) -> String {
        "channels:\n  page:\n    type: facebook\n    page_id: \(pageID)\n    token: ${FB_TOKEN}\n"
    }

    static let refusals: [Refusal] = [
        // Missing required keys: named at the channel, with everything the type needs.
        Refusal(rule: "mastodon without token", yaml: "channels:\n  toot:\n    type: mastodon\n    url: https://mastodon.example.org\n", location: "channels.yml:2: channels.toot:", problem: "a channel of type mastodon needs 'token' (token). Give secrets as ${NAME} or file:PATH."),
        Refusal(rule: "x without token_secret", yaml: "channels:\n  bird:\n    type: x\n    consumer_key: ${X_CONSUMER_KEY}\n    consumer_secret: ${X_CONSUMER_SECRET}\n    token: ${X_TOKEN}\n", location: "channels.yml:2: channels.bird:", problem: "needs 'token_secret' (consumer_key, consumer_secret, token, token_secret)"),
        Refusal(rule: "x without consumer_key", yaml: "channels:\n  bird:\n    type: x\n    consumer_secret: cs\n    token: t\n    token_secret: ts\n", location: "channels.yml:2: channels.bird:", problem: "needs 'consumer_key'"),
        Refusal(rule: "linkedin without api_version", yaml: "channels:\n  company:\n    type: linkedin\n    token: ${LI_TOKEN}\n    author: urn:li:organization:1\n", location: "channels.yml:2: channels.company:", problem: "a channel of type linkedin needs 'api_version' (token, author, api_version)"),
        Refusal(rule: "linkedin without author", yaml: "channels:\n  company:\n    type: linkedin\n    token: ${LI_TOKEN}\n    api_version: \"202611\"\n", location: "channels.yml:2: channels.company:", problem: "needs 'author'"),
        Refusal(rule: "bluesky without password", yaml: "channels:\n  sky:\n    type: bluesky\n    identifier: ${BSKY_ID}\n", location: "channels.yml:2: channels.sky:", problem: "a channel of type bluesky needs 'password' (identifier, password)"),
        Refusal(rule: "facebook without page_id", yaml: "channels:\n  page:\n    type: facebook\n    token: ${FB_TOKEN}\n", location: "channels.yml:2: channels.page:", problem: "a channel of type facebook needs 'page_id' (page_id, token)"),
        Refusal(rule: "mastodon without url", yaml: "channels:\n  toot:\n    type: mastodon\n    token: ${MASTODON_TOKEN}\n", location: "channels.yml:2: channels.toot:", problem: "no 'url'. A mastodon channel needs the address it posts to, e.g. https://mastodon.social."),
        Refusal(rule: "slack without url", yaml: "channels:\n  chat:\n    type: slack\n", location: "channels.yml:2: channels.chat:", problem: "no 'url'. A slack channel needs the address it posts to, as a secret: url: ${NAME}."),
        Refusal(rule: "teams without url", yaml: "channels:\n  room:\n    type: teams\n    max_characters: 20000\n", location: "channels.yml:2: channels.room:", problem: "no 'url'"),
        Refusal(rule: "empty token", yaml: "channels:\n  toot:\n    type: mastodon\n    url: https://mastodon.example.org\n    token: \"\"\n", location: "channels.yml:5: channels.toot.token:", problem: "the value is empty"),
        Refusal(rule: "token from an unset variable", yaml: "channels:\n  toot:\n    type: mastodon\n    url: https://mastodon.example.org\n    token: ${NOPE_TOKEN}\n", location: "channels.yml:5: channels.toot.token:", problem: "the environment variable NOPE_TOKEN is not set"),
        Refusal(rule: "unreadable password file", yaml: "channels:\n  sky:\n    type: bluesky\n    identifier: ${BSKY_ID}\n    password: file:bsky.password\n", location: "channels.yml:5: channels.sky.password:", problem: "cannot read the secret file /nonexistent/bsky.password"),
        // Keys of another type.
        Refusal(rule: "page_id on mastodon", yaml: mastodon + "    page_id: \"123\"\n", location: "channels.yml:6: channels.toot.page_id:", problem: "'page_id' does not apply to a channel of type mastodon. It takes: token, visibility, language, max_characters, characters_per_url."),
        Refusal(rule: "from on slack", yaml: slack + "    from: comms@example.org\n", location: "channels.yml:5: channels.chat.from:", problem: "'from' does not apply to a channel of type slack. It takes: max_characters."),
        Refusal(rule: "token on slack", yaml: slack + "    token: abc\n", location: "channels.yml:5: channels.chat.token:", problem: "'token' does not apply to a channel of type slack"),
        Refusal(rule: "password on teams", yaml: "channels:\n  room:\n    type: teams\n    url: https://t.example/w\n    password: pw\n", location: "channels.yml:5: channels.room.password:", problem: "'password' does not apply to a channel of type teams"),
        Refusal(rule: "characters_per_url on x", yaml: x + "    characters_per_url: 23\n", location: "channels.yml:8: channels.bird.characters_per_url:", problem: "'characters_per_url' does not apply to a channel of type x. It takes: consumer_key, consumer_secret, token, token_secret, max_characters."),
        Refusal(rule: "visibility on bluesky", yaml: "channels:\n  sky:\n    type: bluesky\n    identifier: i\n    password: p\n    visibility: public\n", location: "channels.yml:6: channels.sky.visibility:", problem: "'visibility' does not apply to a channel of type bluesky"),
        Refusal(rule: "unknown key on a post channel", yaml: mastodon + "    access_token: abc\n", location: "channels.yml:6: channels.toot.access_token:", problem: "unknown key 'access_token'"),
        Refusal(rule: "secret on slack", yaml: slack + "    secret: ${PARTNER_SECRET}\n", location: "channels.yml:5: channels.chat.secret:", problem: "signing secrets apply to webhook channels only. A slack channel authenticates with its own keys."),
        Refusal(rule: "secrets on mastodon", yaml: mastodon + "    secrets: [\"${PARTNER_SECRET}\"]\n", location: "channels.yml:6: channels.toot.secrets:", problem: "signing secrets apply to webhook channels only"),
        Refusal(rule: "max_characters on smtp", yaml: "channels:\n  mail:\n    type: smtp\n    url: smtps://smtp.example.org\n    from: a@example.org\n    max_characters: 500\n", location: "channels.yml:6: channels.mail.max_characters:", problem: "'max_characters' applies to chat and social channels only"),
        // Values.
        Refusal(rule: "bad visibility", yaml: mastodon + "    visibility: friends\n", location: "channels.yml:6: channels.toot.visibility:", problem: "'friends' is not a Mastodon visibility. Use public, unlisted, private or direct."),
        Refusal(rule: "visibility in capitals", yaml: mastodon + "    visibility: Public\n", location: "channels.yml:6: channels.toot.visibility:", problem: "is not a Mastodon visibility"),
        Refusal(rule: "language not a code", yaml: mastodon + "    language: English\n", location: "channels.yml:6: channels.toot.language:", problem: "'English' is not an ISO 639-1 language code"),
        Refusal(rule: "max_characters zero", yaml: mastodon + "    max_characters: 0\n", location: "channels.yml:6: channels.toot.max_characters:", problem: "'0' is not a whole number from 1 to 1000000"),
        Refusal(rule: "max_characters a word", yaml: x + "    max_characters: lots\n", location: "channels.yml:8: channels.bird.max_characters:", problem: "'lots' is not a whole number"),
        Refusal(rule: "characters_per_url too large", yaml: mastodon + "    characters_per_url: 1001\n", location: "channels.yml:6: channels.toot.characters_per_url:", problem: "'1001' is not a whole number from 1 to 1000"),
        Refusal(rule: "linkedin author of another kind", yaml: linkedIn(author: "urn:li:company:123"), location: "channels.yml:5: channels.company.author:", problem: "'urn:li:company:123' is not a LinkedIn author. Write urn:li:organization:<id> for a page, or urn:li:person:<id>."),
        Refusal(rule: "linkedin author without an id", yaml: linkedIn(author: "\"urn:li:organization:\""), location: "channels.yml:5: channels.company.author:", problem: "is not a LinkedIn author"),
        Refusal(rule: "linkedin author with a space", yaml: linkedIn(author: "\"urn:li:organization:12 34\""), location: "channels.yml:5: channels.company.author:", problem: "is not a LinkedIn author"),
        Refusal(rule: "linkedin version with a dash", yaml: linkedIn(version: "\"2026-11\""), location: "channels.yml:6: channels.company.api_version:", problem: "'2026-11' is not a LinkedIn-Version. Write the year and month of an active version, quoted, e.g. \"202611\"."),
        Refusal(rule: "linkedin version with month 13", yaml: linkedIn(version: "\"202613\""), location: "channels.yml:6: channels.company.api_version:", problem: "'202613' is not a LinkedIn-Version"),
        Refusal(rule: "linkedin version with month 00", yaml: linkedIn(version: "\"202600\""), location: "channels.yml:6: channels.company.api_version:", problem: "'202600' is not a LinkedIn-Version"),
        Refusal(rule: "linkedin version before 2023", yaml: linkedIn(version: "\"202212\""), location: "channels.yml:6: channels.company.api_version:", problem: "'202212' is not a LinkedIn-Version"),
        Refusal(rule: "page_id with a letter", yaml: facebook(pageID: "\"12a4\""), location: "channels.yml:4: channels.page.page_id:", problem: "'12a4' is not a Facebook Page id: digits only."),
        Refusal(rule: "page_id negative", yaml: facebook(pageID: "-42"), location: "channels.yml:4: channels.page.page_id:", problem: "is not a Facebook Page id"),
        Refusal(rule: "page_id in non-ASCII digits", yaml: facebook(pageID: "\"١٢٣\""), location: "channels.yml:4: channels.page.page_id:", problem: "is not a Facebook Page id"),
        Refusal(rule: "plain http to a remote mastodon", yaml: "channels:\n  toot:\n    type: mastodon\n    url: http://mastodon.example.org\n    token: t\n", location: "channels.yml:4: channels.toot.url:", problem: "plain http:// to mastodon.example.org would send messages unencrypted. Use https://"),
        Refusal(rule: "plain http to a remote slack", yaml: "channels:\n  chat:\n    type: slack\n    url: http://hooks.slack.com/services/T/B/x\n", location: "channels.yml:4: channels.chat.url:", problem: "Use https://"),
        Refusal(rule: "plain http overriding a default url", yaml: x + "    url: http://api.x.com\n", location: "channels.yml:8: channels.bird.url:", problem: "Use https://"),
        Refusal(rule: "url not http(s)", yaml: "channels:\n  toot:\n    type: mastodon\n    url: ftp://mastodon.example.org\n    token: t\n", location: "channels.yml:4: channels.toot.url:", problem: "the scheme 'ftp' is not supported"),
        Refusal(rule: "timeout not shorter than the lease", yaml: mastodon + "    timeout: 2m\n", location: "channels.yml:6: channels.toot.timeout:", problem: "worker lease"),
        Refusal(rule: "recipients on an audience over a post channel", yaml: mastodon + "audiences:\n  followers:\n    channel: toot\n    recipients: [a@example.org]\n", location: "channels.yml:9: audiences.followers.recipients:", problem: "channel 'toot' is a mastodon channel: it delivers to its configured place. Remove 'recipients'."),
        Refusal(rule: "recipients as a block list over slack", yaml: slack + "audiences:\n  team:\n    channel: chat\n    recipients:\n      - someone\n", location: "channels.yml:8: audiences.team.recipients:", problem: "channel 'chat' is a slack channel"),
    ]

    @Test(arguments: refusals)
    func refusalNamesFileLineAndKey(_ refusal: Refusal) {
        let text = Support.message(refusal.yaml, environment: Self.environment)
        #expect(text.hasPrefix(refusal.location), "\(text)")
        #expect(text.contains(refusal.problem), "\(text)")
        #expect(text.hasSuffix("."), "\(text)")
    }

    // MARK: - Credentials never echoed

    /// Header injection: a credential with CR/LF would add a header to every request. Refused, and not quoted back.
    @Test(arguments: [
        ("MASTODON_TOKEN", mastodon, "channels.yml:5: channels.toot.token:"),
        ("X_TOKEN_SECRET", x, "channels.yml:7: channels.bird.token_secret:"),
        ("X_CONSUMER_KEY", x, "channels.yml:4: channels.bird.consumer_key:"),
        ("LI_TOKEN", linkedIn(), "channels.yml:4: channels.company.token:"),
        ("BSKY_ID", "channels:\n  sky:\n    type: bluesky\n    identifier: ${BSKY_ID}\n    password: p\n", "channels.yml:4: channels.sky.identifier:"),
    ])
    func aCredentialWithALineBreakIsRefusedWithoutQuotingIt(variable: String, yaml: String, location: String) {
        let environment = Self.environment.merging([variable: "abc\r\nX-Injected: 1"]) { $1 }
        let text = Support.message(yaml, environment: environment)
        #expect(text.hasPrefix(location), "\(text)")
        #expect(text.contains("line break"), "\(text)")
        #expect(!text.contains("X-Injected"), "\(text)")
        #expect(!text.contains("abc"), "\(text)")
    }

    @Test func aPasswordFileWithALineBreakInsideIsRefusedWithoutQuotingIt() throws {
        let folder = try Support.temporaryDirectory("post-password")
        defer { try? FileManager.default.removeItem(at: folder) }
        try "first-half\r\nX-Injected: 1\n".write(to: folder.appendingPathComponent("pw"), atomically: true, encoding: .utf8)
        let yaml = "channels:\n  sky:\n    type: bluesky\n    identifier: i.bsky.social\n    password: file:pw\n"
        let text = Support.message(yaml, environment: Self.environment, baseDirectory: folder.path)
        #expect(text.hasPrefix("channels.yml:5: channels.sky.password:"), "\(text)")
        #expect(text.contains("line break"), "\(text)")
        #expect(!text.contains("first-half"), "\(text)")
        #expect(!text.contains("X-Injected"), "\(text)")
    }

    static let leak = "hunter2-NEVER-PRINT"

    /// Whatever is wrong, near a secret or with it, the secret's text never appears in the message.
    @Test(arguments: [
        mastodon.replacingOccurrences(of: "${MASTODON_TOKEN}", with: "${LEAKY}") + "    visibility: friends\n",  // a valid secret next to another error
        mastodon.replacingOccurrences(of: "${MASTODON_TOKEN}", with: "${LEAKY}") + "    page_id: \"1\"\n",
        mastodon.replacingOccurrences(of: "${MASTODON_TOKEN}", with: "${LEAKY}").replacingOccurrences(of: "https:", with: "http:"),
        "channels:\n  toot:\n    type: mastodon\n    token: ${LEAKY}\n",  // no url
        mastodon.replacingOccurrences(of: "${MASTODON_TOKEN}", with: "[\(leak)]"),  // a list where a value is expected
        mastodon.replacingOccurrences(of: "${MASTODON_TOKEN}", with: "{ \(leak): 1 }"),
        mastodon.replacingOccurrences(of: "${MASTODON_TOKEN}", with: "\"${\(leak) }\""),  // a reference that is not a variable name
        mastodon.replacingOccurrences(of: "${MASTODON_TOKEN}", with: "\(leak)${"),
        x.replacingOccurrences(of: "${X_CONSUMER_SECRET}", with: "[\(leak)]"),
        x.replacingOccurrences(of: "${X_TOKEN_SECRET}", with: "{ \(leak): 1 }"),
        x.replacingOccurrences(of: "${X_TOKEN_SECRET}", with: "${LEAKY}") + "    max_characters: 0\n",
        "channels:\n  sky:\n    type: bluesky\n    identifier: i.bsky.social\n    password: [\(leak)]\n",
        "channels:\n  sky:\n    type: bluesky\n    identifier: i.bsky.social\n    password: ${LEAKY}\n    language: Welsh\n",
        "channels:\n  chat:\n    type: slack\n    url: ${LEAKY_URL}\n",  // the url of a Slack webhook is its credential
        "channels:\n  chat:\n    type: slack\n    url: ${LEAKY_HTTP_URL}\n",
        "channels:\n  chat:\n    type: slack\n    url: ${SLACK_URL}\n    max_characters: -1\n",
    ])
    func errorsNeverQuoteASecret(yaml: String) {
        let environment = Self.environment.merging([
            "LEAKY": Self.leak, "LEAKY_URL": "hooks.slack.com/services/T/B/\(Self.leak)",
            "LEAKY_HTTP_URL": "http://hooks.slack.com/services/T/B/\(Self.leak)",
        ]) { $1 }
        let text = Support.message(yaml, environment: environment)
        #expect(text.hasPrefix("channels.yml:"), "\(text)")
        #expect(!text.contains("hunter2"), "\(text)")
        #expect(!text.contains("slackWebhookCredential"), "\(text)")
    }

    /// A post key on a webhook channel is named as a chat and social key, not an smtp one.
    @Test func aPostKeyOnAWebhookChannelIsNotCalledAnSMTPKey() {
        let yaml = "channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secret: ${PARTNER_SECRET}\n    token: abc\n"
        let text = Support.message(yaml, environment: Self.environment)
        #expect(text.hasPrefix("channels.yml:6: channels.partners.token:"), "\(text)")
        #expect(!text.contains("applies to smtp channels only"), "\(text)")
    }
}
