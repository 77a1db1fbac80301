import Foundation
import HeraldConfig
import HeraldCore
import HeraldPlanner
import Testing

/// Campaign files: what a valid one loads into, and every refusal with its file, line and key path, as channels.yml's.
/// Line numbers are those of the inline YAML (line 1 is the first line of the string).
@Suite struct CampaignLoaderTests {
    static func load(_ yaml: String) throws -> CampaignFile {
        try CampaignLoader.load(yaml: yaml, fileName: "campaign.yml")
    }

    /// The message of the error loading `yaml` raises, or a marker if it loads.
    static func message(_ yaml: String) -> String {
        do {
            _ = try load(yaml)
            return "loaded without error"
        } catch let error as HeraldError {
            return error.message
        } catch {
            return "not a HeraldError: \(error)"
        }
    }

    // MARK: - Loading

    @Test func aFileWithATextPostAndATemplatePostLoads() throws {
        let yaml = """
            campaign: awareness-week-2026
            timezone: Europe/London
            posts:
              - name: launch
                networks: [mastodon, bluesky]
                at: "2026-11-16 09:00"
                text: "Safeguarding Awareness Week starts today: https://example.org/week"
              - name: day-two
                networks:
                  - x
                at: 2026-11-17T12:30
                template: campaign_post
                data:
                  topic: online safety
                  day: 2
                  urgent: false
                  quoted: "42"
                  ratio: 1.5
                  links: ["https://example.org/a", "https://example.org/b"]
                  speaker: { name: Dr Jo Bloggs, sessions: [1, 2], deputy: null }

            """
        let campaign = try Self.load(yaml)
        #expect(campaign.name == "awareness-week-2026")
        #expect(campaign.timeZone?.identifier == "Europe/London")
        try #require(campaign.posts.count == 2)

        let launch = campaign.posts[0]
        #expect(launch.name == "launch")
        #expect(launch.channels == ["mastodon", "bluesky"])
        #expect(launch.date == LocalDate(year: 2026, month: 11, day: 16))
        #expect(launch.hour == 9)
        #expect(launch.minute == 0)
        #expect(launch.text == "Safeguarding Awareness Week starts today: https://example.org/week")
        #expect(launch.template == nil)
        #expect(launch.data.isEmpty)
        #expect(launch.location == "campaign.yml:4: posts[0]")

        let dayTwo = campaign.posts[1]
        #expect(dayTwo.name == "day-two")
        #expect(dayTwo.channels == ["x"])
        #expect(dayTwo.date == LocalDate(year: 2026, month: 11, day: 17))
        #expect(dayTwo.hour == 12)
        #expect(dayTwo.minute == 30)
        #expect(dayTwo.text == nil)
        #expect(dayTwo.template == "campaign_post")
        #expect(dayTwo.location == "campaign.yml:8: posts[1]")
        let expected: [String: JSONValue] = [
            "topic": .string("online safety"),
            "day": .number(2),
            "urgent": .bool(false),
            "quoted": .string("42"),
            "ratio": .number(1.5),
            "links": .array([.string("https://example.org/a"), .string("https://example.org/b")]),
            "speaker": .object(["name": .string("Dr Jo Bloggs"), "sessions": .array([.number(1), .number(2)]), "deputy": .null]),
        ]
        #expect(dayTwo.data == expected)
    }

    @Test func withoutATimezoneTheClockIsLeftToThePlanner() throws {
        let campaign = try Self.load(Self.valid)
        #expect(campaign.timeZone == nil)
        #expect(campaign.posts.map(\.name) == ["launch"])
    }

    @Test(arguments: ["Europe/London", "America/New_York", "UTC", "Asia/Tokyo"])
    func aTimezoneIsAnIANAName(_ identifier: String) throws {
        let campaign = try Self.load("campaign: week\ntimezone: \(identifier)\n" + Self.validPosts)
        #expect(campaign.timeZone == TimeZone(identifier: identifier))
    }

    @Test(arguments: ["2026-11-16 09:00", "2026-11-16T09:00", "\"2026-11-16 09:00\"", "'2026-11-16T09:00'"])
    func aLocalTimeIsADateAndHourAndMinute(_ at: String) throws {
        let post = try #require(try Self.load(Self.valid.replacingOccurrences(of: "\"2026-11-16 09:00\"", with: at)).posts.first)
        #expect(post.date == LocalDate(year: 2026, month: 11, day: 16))
        #expect(post.hour == 9)
        #expect(post.minute == 0)
    }

    @Test func theEdgesOfTheDayAndALeapDayAreAccepted() throws {
        let midnight = try #require(try Self.load(Self.valid.replacingOccurrences(of: "2026-11-16 09:00", with: "2028-02-29 00:00")).posts.first)
        #expect(midnight.date == LocalDate(year: 2028, month: 2, day: 29))
        #expect(midnight.hour == 0 && midnight.minute == 0)
        let late = try #require(try Self.load(Self.valid.replacingOccurrences(of: "2026-11-16 09:00", with: "2026-12-31 23:59")).posts.first)
        #expect(late.hour == 23 && late.minute == 59)
    }

    // MARK: - Refusals

    /// A valid post on lines 3–6 of a campaign; `valid` is lines 1–6, and a case may append to the post at line 7.
    static let validPosts = "posts:\n  - name: launch\n    networks: [mastodon]\n    at: \"2026-11-16 09:00\"\n    text: Hello\n"
    static let valid = "campaign: week\n" + validPosts
    /// 465 bytes that describe 9^7 values: each list repeats the one before nine times.
    static let billionLaughs = valid + "    data:\n      a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + ["b", "c", "d", "e", "f", "g"].enumerated().map { index, name in
            let previous = ["a", "b", "c", "d", "e", "f"][index]
            return "      \(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
        }.joined()

    static func at(_ value: String) -> String {
        valid.replacingOccurrences(of: "\"2026-11-16 09:00\"", with: value)
    }

    static let refusals: [Refusal] = [
        Refusal(rule: "empty file", yaml: "", location: "campaign.yml:1: (top level):", problem: "the file is empty. Give 'campaign:' and 'posts:'."),
        Refusal(rule: "aliases that expand to millions of values", yaml: billionLaughs, location: "campaign.yml:", problem: "more than 100000 values, most likely through YAML aliases"),
        Refusal(rule: "comments only", yaml: "# to do\n", location: "campaign.yml:1: (top level):", problem: "the file is empty"),
        Refusal(rule: "root is a list", yaml: "- launch\n", location: "campaign.yml:1: (top level):", problem: "expected a mapping of keys (campaign, timezone, posts), found a list"),
        Refusal(rule: "missing campaign", yaml: validPosts, location: "campaign.yml:1: (top level):", problem: "no 'campaign'. Name the campaign, e.g. campaign: awareness-week-2026."),
        Refusal(rule: "missing posts", yaml: "campaign: week\n", location: "campaign.yml:1: (top level):", problem: "no 'posts'. List the campaign's posts under 'posts:'."),
        Refusal(rule: "empty posts", yaml: "campaign: week\nposts: []\n", location: "campaign.yml:2: posts:", problem: "the list is empty. A campaign needs at least one post."),
        Refusal(rule: "posts with no value", yaml: "campaign: week\nposts:\n", location: "campaign.yml:2: posts:", problem: "expected a list, found nothing"),
        Refusal(rule: "posts as a mapping", yaml: "campaign: week\nposts:\n  launch:\n    text: Hello\n", location: "campaign.yml:2: posts:", problem: "expected a list, found a mapping"),
        Refusal(rule: "bad campaign name", yaml: "campaign: awareness week\n" + validPosts, location: "campaign.yml:1: campaign:", problem: "'awareness week' is not a campaign name. Use 1 to 64 letters, digits, '_' or '-'."),
        Refusal(rule: "post without name", yaml: "campaign: week\nposts:\n  - networks: [mastodon]\n    at: \"2026-11-16 09:00\"\n    text: Hello\n", location: "campaign.yml:3: posts[0]:", problem: "no 'name'. Give each post a short name, e.g. name: launch."),
        Refusal(rule: "post without networks", yaml: "campaign: week\nposts:\n  - name: launch\n    at: \"2026-11-16 09:00\"\n    text: Hello\n", location: "campaign.yml:3: posts[0]:", problem: "no 'networks'. List the channels this post goes to"),
        Refusal(rule: "post without at", yaml: "campaign: week\nposts:\n  - name: launch\n    networks: [mastodon]\n    text: Hello\n", location: "campaign.yml:3: posts[0]:", problem: "no 'at'. Say when to post, as local date and time"),
        Refusal(rule: "post with empty networks", yaml: valid.replacingOccurrences(of: "[mastodon]", with: "[]"), location: "campaign.yml:4: posts[0].networks:", problem: "the list is empty. Name at least one channel from channels.yml."),
        Refusal(rule: "networks as a single value", yaml: valid.replacingOccurrences(of: "[mastodon]", with: "mastodon"), location: "campaign.yml:4: posts[0].networks:", problem: "expected a list"),
        Refusal(rule: "bad post name", yaml: valid.replacingOccurrences(of: "name: launch", with: "name: launch day"), location: "campaign.yml:3: posts[0].name:", problem: "'launch day' is not a post name"),
        Refusal(rule: "bad network name", yaml: valid.replacingOccurrences(of: "[mastodon]", with: "[mastodon, \"my channel\"]"), location: "campaign.yml:4: posts[0].networks[1]:", problem: "'my channel' is not a channel name"),
        Refusal(rule: "both text and template", yaml: valid + "    template: campaign_post\n", location: "campaign.yml:3: posts[0]:", problem: "both 'text' and 'template'. Give one of them."),
        Refusal(rule: "neither text nor template", yaml: "campaign: week\nposts:\n  - name: launch\n    networks: [mastodon]\n    at: \"2026-11-16 09:00\"\n", location: "campaign.yml:3: posts[0]:", problem: "no 'text' or 'template'. Give the post's text, or a template and its data."),
        Refusal(rule: "data with text", yaml: valid + "    data: { topic: safety }\n", location: "campaign.yml:7: posts[0].data:", problem: "'data' goes with 'template'; a literal 'text' has no variables."),
        Refusal(rule: "data that is not a mapping", yaml: valid.replacingOccurrences(of: "text: Hello", with: "template: campaign_post") + "    data: [safety]\n", location: "campaign.yml:7: posts[0].data:", problem: "expected a mapping of template variables."),
        Refusal(rule: "empty text", yaml: valid.replacingOccurrences(of: "text: Hello", with: "text: \"   \""), location: "campaign.yml:6: posts[0].text:", problem: "the text is empty."),
        Refusal(rule: "bad template name", yaml: valid.replacingOccurrences(of: "text: Hello", with: "template: ../etc"), location: "campaign.yml:6: posts[0].template:", problem: "'../etc' is not a template name"),
        Refusal(rule: "day first", yaml: at("\"16/11/2026 09:00\""), location: "campaign.yml:5: posts[0].at:", problem: "'16/11/2026 09:00' is not a local date and time. Write YYYY-MM-DD HH:MM, e.g. \"2026-11-16 09:00\"."),
        Refusal(rule: "hour 25", yaml: at("\"2026-11-16 25:00\""), location: "campaign.yml:5: posts[0].at:", problem: "'2026-11-16 25:00' is not a local date and time"),
        Refusal(rule: "minute 60", yaml: at("\"2026-11-16 09:60\""), location: "campaign.yml:5: posts[0].at:", problem: "'2026-11-16 09:60' is not a local date and time"),
        Refusal(rule: "30 February", yaml: at("\"2026-02-30 09:00\""), location: "campaign.yml:5: posts[0].at:", problem: "'2026-02-30 09:00' is not a local date and time"),
        Refusal(rule: "29 February outside a leap year", yaml: at("\"2026-02-29 09:00\""), location: "campaign.yml:5: posts[0].at:", problem: "is not a local date and time"),
        Refusal(rule: "single-digit hour", yaml: at("\"2026-11-16 9:00\""), location: "campaign.yml:5: posts[0].at:", problem: "is not a local date and time"),
        Refusal(rule: "date without time", yaml: at("2026-11-16"), location: "campaign.yml:5: posts[0].at:", problem: "'2026-11-16' is not a local date and time"),
        Refusal(rule: "with seconds", yaml: at("\"2026-11-16 09:00:00\""), location: "campaign.yml:5: posts[0].at:", problem: "is not a local date and time"),
        Refusal(rule: "with an offset", yaml: at("\"2026-11-16T09:00Z\""), location: "campaign.yml:5: posts[0].at:", problem: "is not a local date and time"),
        Refusal(rule: "with a dot for a colon", yaml: at("\"2026-11-16 09.00\""), location: "campaign.yml:5: posts[0].at:", problem: "is not a local date and time"),
        Refusal(rule: "duplicate post names", yaml: valid + "  - name: launch\n    networks: [x]\n    at: \"2026-11-17 09:00\"\n    text: Again\n", location: "campaign.yml:7: posts[1]:", problem: "a second post named 'launch' (the first is at campaign.yml:3: posts[0]). Post names must differ."),
        Refusal(rule: "duplicate network in a post", yaml: valid.replacingOccurrences(of: "[mastodon]", with: "[mastodon, x, mastodon]"), location: "campaign.yml:4: posts[0].networks:", problem: "a channel is listed twice."),
        Refusal(rule: "unknown top-level key", yaml: "campain: week\n" + validPosts, location: "campaign.yml:1: campain:", problem: "unknown key 'campain'. Allowed here: campaign, timezone, posts."),
        Refusal(rule: "unknown post key", yaml: valid + "    colour: blue\n", location: "campaign.yml:7: posts[0].colour:", problem: "unknown key 'colour'. Allowed here: name, networks, at, text, template, data."),
        Refusal(rule: "channels instead of networks", yaml: valid.replacingOccurrences(of: "networks:", with: "channels:"), location: "campaign.yml:4: posts[0].channels:", problem: "unknown key 'channels'"),
        Refusal(rule: "bad timezone", yaml: "campaign: week\ntimezone: Europe/Londn\n" + validPosts, location: "campaign.yml:2: timezone:", problem: "'Europe/Londn' is not a time zone. Use an IANA name such as Europe/London."),
        Refusal(rule: "timezone as an offset", yaml: "campaign: week\ntimezone: \"+01:00\"\n" + validPosts, location: "campaign.yml:2: timezone:", problem: "is not a time zone"),
        Refusal(rule: "unclosed quote", yaml: "campaign: week\nposts:\n  - name: \"launch\n    networks: [x]\n", location: "campaign.yml:3:", problem: "this is not valid YAML"),
        Refusal(rule: "bad indentation", yaml: "campaign: week\nposts:\n  - name: launch\n   networks: [x]\n", location: "campaign.yml:4:", problem: "not valid YAML"),
        Refusal(rule: "unclosed flow list", yaml: "campaign: week\nposts:\n  - name: launch\n    networks: [x, mastodon\n    at: \"2026-11-16 09:00\"\n", location: "campaign.yml:", problem: "not valid YAML"),
        Refusal(rule: "duplicate top-level key", yaml: valid + "campaign: again\n", location: "campaign.yml:7: campaign:", problem: "'campaign' is given twice in the same mapping (also on line 1)"),
    ]

    @Test(arguments: refusals)
    func refusalNamesFileLineAndKey(_ refusal: Refusal) {
        let text = Self.message(refusal.yaml)
        #expect(text.hasPrefix(refusal.location), "\(text)")
        #expect(text.contains(refusal.problem), "\(text)")
        #expect(text.hasSuffix("."), "\(text)")
    }

    @Test func aFileThatCannotBeReadIsNamed() {
        #expect {
            try CampaignLoader.load(path: "/nonexistent/campaign.yml")
        } throws: { error in
            (error as? HeraldError)?.message.contains("/nonexistent/campaign.yml") == true
        }
    }

    /// Yams refuses a repeated key itself; YAMLSyntaxError recovers the key path from indentation, naming the post by
    /// its index so the reader can tell which one it is, also when the list sits at its key's own indentation.
    @Test(arguments: [
        (valid + "    text: Again\n", "campaign.yml:7:", "campaign.yml:7: posts[0].text:", "'text' is given twice in the same mapping (also on line 6)"),
        (
            valid + "  - name: second\n    networks: [x]\n    at: \"2026-11-17 09:00\"\n    at: \"2026-11-18 09:00\"\n    text: Again\n",
            "campaign.yml:10:", "campaign.yml:10: posts[1].at:", "'at' is given twice in the same mapping (also on line 9)"
        ),
        (
            "campaign: week\nposts:\n- name: a\n  networks: [x]\n  at: \"2026-11-16 09:00\"\n  text: Hi\n- name: b\n  networks: [x]\n  text: One\n  text: Two\n",
            "campaign.yml:10:", "campaign.yml:10: posts[1].text:", "'text' is given twice in the same mapping (also on line 9)"
        ),
    ])
    func aKeyRepeatedInAPostNamesThePost(yaml: String, line: String, location: String, problem: String) {
        let text = Self.message(yaml)
        #expect(text.hasPrefix(line), "\(text)")
        #expect(text.contains(problem), "\(text)")
        #expect(text.hasPrefix(location), "\(text)")
    }

    /// A sign is not a digit: `+9` is not an hour.
    @Test(arguments: ["\"2026-11-16 +9:00\"", "\"2026-11-16 09:+5\"", "\"2026-11-16 -0:00\""])
    func aSignedHourOrMinuteIsRefused(_ at: String) {
        let text = Self.message(Self.at(at))
        #expect(text.hasPrefix("campaign.yml:5: posts[0].at:"), "\(text)")
    }

    /// JSON has no infinity or NaN, so such data is refused rather than lost.
    @Test(arguments: [".inf", "-.inf", ".nan"])
    func dataThatJSONCannotHoldIsRefused(_ value: String) {
        let yaml = "campaign: week\nposts:\n  - name: a\n    networks: [x]\n    at: \"2026-11-16 09:00\"\n    template: t\n    data: { ratio: \(value) }\n"
        let text = Self.message(yaml)
        #expect(text.hasPrefix("campaign.yml:7: posts[0].data.ratio:"), "\(text)")
    }
}
