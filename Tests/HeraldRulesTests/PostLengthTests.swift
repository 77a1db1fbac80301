import HeraldRules
import Testing

/// Every count here must equal the network's own, or a post near the limit is refused after Herald accepted it.
/// Expected values come from the test vectors in docs/channels.md (TV-4, TV-5) or were counted by hand; the comments show
/// the sums.
@Suite struct PostLengthTests {
    static let kissCouple = "\u{1F468}\u{200D}\u{2764}\u{FE0F}\u{200D}\u{1F468}"  // 👨‍❤️‍👨
    static let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}"  // 👨‍👩‍👧‍👦
    /// `https://example.com/` (20) + 80 × `x`.
    static let url100 = "https://example.com/" + String(repeating: "x", count: 80)

    // MARK: X weighted length

    @Test(arguments: [
        ("Hello world", 11),
        ("こんにちは world", 16),  // 5 × 2 + 6
        ("Deploy finished 👋 https://example.com/a/very/long/path?with=query", 42),  // 16 + 2 + 1 + 23
        (String(repeating: "a", count: 280), 280),
        (String(repeating: "あ", count: 141), 282),
        (String(repeating: "あ", count: 140), 280),
    ])
    func xWeightedMatchesTV4(text: String, weight: Int) {
        #expect(PostLength.xWeighted(text) == weight)
    }

    @Test(arguments: [
        (PostLengthTests.kissCouple, 1, 2),
        ("\u{1F44D}\u{1F3FD}", 1, 2),  // 👍🏽 skin tone
        ("\u{1F1EC}\u{1F1E7}", 1, 2),  // 🇬🇧
        ("\u{1F1EC}\u{1F1E7}\u{1F1EB}\u{1F1F7}", 2, 4),  // 🇬🇧🇫🇷
        (PostLengthTests.family, 1, 2),
        ("1\u{FE0F}\u{20E3}", 1, 2),  // keycap 1️⃣
        ("\u{1F44B}", 1, 2),  // 👋
        ("\u{2764}\u{FE0F}", 1, 2),  // ❤️
        ("\u{00A9}\u{FE0F}", 1, 2),  // ©️ emoji style: 2, not 1 + 2 for the selector
        ("\u{00A9}", 1, 1),  // © text style is an ordinary Latin-1 code point
        ("1", 1, 1),  // a digit may be an emoji base but is not an emoji
        ("ok \(PostLengthTests.family)!", 5, 6),  // 3 + 2 + 1
    ])
    func eachEmojiSequenceIsOneGraphemeWeighingTwo(text: String, graphemes: Int, weight: Int) {
        #expect(PostLength.graphemes(text) == graphemes)
        #expect(PostLength.xWeighted(text) == weight)
    }

    @Test func emojiByteCounts() {
        #expect(PostLength.utf8Bytes(Self.kissCouple) == 20)  // 4 + 3 + 3 + 3 + 3 + 4
        #expect(PostLength.utf8Bytes(Self.family) == 25)  // 4 × 4 + 3 × 3
    }

    @Test func textIsNFCNormalisedBeforeWeighing() {
        #expect(PostLength.xWeighted("e\u{0301}") == 1)  // → é U+00E9
        #expect(PostLength.xWeighted("cafe\u{0301}") == 4)
        #expect(PostLength.xWeighted("\u{1112}\u{1161}\u{11AB}") == 2)  // three jamo → 한 U+D55C, not 3 × 2
        #expect(PostLength.xWeighted("q\u{0303}") == 2)  // no precomposed form: q + U+0303, both in U+0000–U+10FF
        #expect(PostLength.graphemes("e\u{0301}") == 1)
        #expect(PostLength.utf8Bytes("e\u{0301}") == 3)  // bytes are of the text as given, not normalised
    }

    @Test(arguments: [
        (0x41, 1), (0x10FF, 1), (0x1100, 2), (0x200D, 1), (0x200E, 2), (0x2010, 1), (0x201F, 1), (0x2020, 2),
        (0x2026, 2), (0x2032, 1), (0x2037, 1), (0x2038, 2), (0x3042, 2),
    ])
    func codePointWeightRangeEdges(codePoint: UInt32, weight: Int) throws {
        let scalar = try #require(Unicode.Scalar(codePoint))
        #expect(PostLength.xWeighted(String(Character(scalar))) == weight)
    }

    @Test func xCountsLinksAs23WithoutTheirTrailingPunctuation() {
        #expect(PostLength.xWeighted("Docs: https://example.com/docs.") == 30)  // 6 + 23 + 1
        #expect(PostLength.xWeighted("(see https://en.wikipedia.org/wiki/Swift_(programming_language))") == 29)  // 5 + 23 + 1
        #expect(PostLength.xWeighted("Go HTTPS://EXAMPLE.COM/X") == 26)  // 3 + 23
        #expect(PostLength.xWeighted(Self.url100) == 23)
        #expect(PostLength.xWeighted("example.com") == 11)  // no scheme, so plain text
    }

    // MARK: Mastodon

    @Test func mastodonCountsEveryURLAsTheReservedLength() {
        #expect(Self.url100.count == 100)
        #expect(PostLength.mastodon("See " + Self.url100) == 27)  // 4 + 23
        #expect(PostLength.mastodon("See " + Self.url100, charactersPerURL: 10) == 14)
        #expect(PostLength.mastodon("See " + Self.url100, charactersPerURL: 0) == 4)
        #expect(PostLength.mastodon("a https://x.org b \(Self.url100).") == 52)  // 2 + 23 + 3 + 23 + 1
        #expect(PostLength.mastodon("Go HTTPS://EXAMPLE.COM/X") == 26)
        #expect(PostLength.mastodon("https://a.example/x") == 23)  // shorter links count 23 too
    }

    @Test(arguments: [
        ("Hi @alice@mastodon.social!", 10),  // "Hi " + "@alice" + "!"
        ("@bob@social.example.co.uk hello", 10),  // "@bob" + " hello"
        ("@Alice@Example.ORG", 6),
        ("@alice", 6),
        ("bob@example.com", 15),  // an e-mail address is not a mention
        ("mail=@a@b.org", 13),  // nor is anything right after `=`
        ("https://example.com/@alice@example.org", 23),  // a mention inside a link is just the link
        ("@alice@", 7),  // no domain after the second @
    ])
    func mastodonCountsARemoteMentionAsJustTheUser(text: String, count: Int) {
        #expect(PostLength.mastodon(text) == count)
    }

    @Test func mastodonCountsGraphemesUpToTheDefault500() {
        #expect(PostLength.mastodon(String(repeating: "a", count: 500)) == 500)
        #expect(PostLength.mastodon(String(repeating: "a", count: 501)) == 501)
        #expect(PostLength.mastodon(String(repeating: "a", count: 499) + Self.family) == 500)
        #expect(PostLength.mastodon(String(repeating: "e\u{0301}", count: 500)) == 500)
        let withLink = String(repeating: "a", count: 476) + " " + Self.url100
        #expect(withLink.count == 577)
        #expect(PostLength.mastodon(withLink) == 500)  // 476 + 1 + 23
    }

    @Test func textWithoutLinks() {
        #expect(PostLinks.find(in: "Deploy finished, all green.").isEmpty)
        #expect(PostLength.mastodon("Deploy finished, all green.") == 27)
        #expect(PostLength.xWeighted("Deploy finished, all green.") == 27)
    }

    @Test func emptyText() {
        #expect(PostLength.graphemes("") == 0)
        #expect(PostLength.utf8Bytes("") == 0)
        #expect(PostLength.mastodon("") == 0)
        #expect(PostLength.xWeighted("") == 0)
        #expect(PostLinks.find(in: "").isEmpty)
        #expect(BlueskyFacets.links(in: "").isEmpty)
        #expect(BlueskyFacets.mentions(in: "").isEmpty)
    }
}

extension PostLengthTests {
    @Suite struct Links {
        @Test(arguments: [
            ("Docs: https://example.com/docs.", ["https://example.com/docs"]),
            ("(see https://en.wikipedia.org/wiki/Swift_(programming_language))", ["https://en.wikipedia.org/wiki/Swift_(programming_language)"]),
            ("(https://example.com/a).", ["https://example.com/a"]),
            ("[https://example.com/a]", ["https://example.com/a"]),
            ("\"https://example.com/q\"!", ["https://example.com/q"]),
            ("'https://example.com/q';", ["https://example.com/q"]),
            ("Really?! https://example.com/?q=1&r=2!?", ["https://example.com/?q=1&r=2"]),
            ("HTTPS://EXAMPLE.COM/X and Http://example.org", ["HTTPS://EXAMPLE.COM/X", "Http://example.org"]),
            ("two https://a.example/1\thttps://b.example/2\nend", ["https://a.example/1", "https://b.example/2"]),
            ("go to https://example.com/ünï/パス now", ["https://example.com/ünï/パス"]),
            ("xhttps://example.com @https://example.com #https://x.org ftp://example.com https:// https://. http:/x", []),
        ])
        func linksEndBeforeTrailingPunctuationAndUnbalancedBrackets(text: String, links: [String]) {
            #expect(PostLinks.find(in: text).map(\.text) == links)
        }

        @Test func rangesAndByteOffsetsPointAtTheLink() throws {
            let text = "Grüße https://example.com!"
            let link = try #require(PostLinks.find(in: text).first)
            #expect(String(text[link.range]) == "https://example.com")
            #expect(link.utf8Offsets == 8..<27)  // G r ü(2) ß(2) e space = 8; + 19
        }
    }

    @Suite struct Bluesky {
        /// TV-5, the Bluesky documentation's worked example.
        static let tv5 = "\u{2728} example mentioning @atproto.com to share the URL \(PostLengthTests.kissCouple) https://en.wikipedia.org/wiki/CBOR."

        @Test func tv5Counts() {
            #expect(PostLength.utf8Bytes(Self.tv5) == 109)
            #expect(PostLength.graphemes(Self.tv5) == 88)
        }

        @Test func tv5LinkFacetLeavesOutTheFullStop() {
            #expect(BlueskyFacets.links(in: Self.tv5) == [BlueskyLinkFacet(byteStart: 74, byteEnd: 108, uri: "https://en.wikipedia.org/wiki/CBOR")])
        }

        @Test func tv5MentionIsAMentionNotALink() {
            #expect(BlueskyFacets.mentions(in: Self.tv5) == [BlueskyMention(byteStart: 23, byteEnd: 35, handle: "atproto.com")])
        }

        @Test func linkFacetsCountBytesNotCharacters() {
            let facet = BlueskyLinkFacet(byteStart: 8, byteEnd: 27, uri: "https://example.com")
            #expect(BlueskyFacets.links(in: "Grüße https://example.com!") == [facet])
            #expect(BlueskyFacets.links(in: "HTTPS://EXAMPLE.COM") == [BlueskyLinkFacet(byteStart: 0, byteEnd: 19, uri: "HTTPS://EXAMPLE.COM")])
        }

        @Test func mentionsNeedAHandleAfterSpaceOrParenthesis() {
            let text = "(@bob.bsky.social) and bob@example.com and @alice and @carol.example.com."
            #expect(
                BlueskyFacets.mentions(in: text) == [
                    BlueskyMention(byteStart: 1, byteEnd: 17, handle: "bob.bsky.social"),
                    BlueskyMention(byteStart: 54, byteEnd: 72, handle: "carol.example.com"),
                ]
            )
            #expect(BlueskyFacets.mentions(in: "@a.com_x @1.2 @-a.com @a..com").isEmpty)
        }

        /// As the Bluesky app detects them: after a space or at the start, trailing punctuation left out, not all digits.
        @Test func hashtagsBecomeTagFacetsAtByteOffsets() {
            let text = "#SafeguardingWeek: join us! Grüße #Wellbeing, #2026 #Week_2 not#this https://a.example/#frag #"
            #expect(
                BlueskyFacets.tags(in: text) == [
                    BlueskyTagFacet(byteStart: 0, byteEnd: 17, tag: "SafeguardingWeek"),
                    BlueskyTagFacet(byteStart: 36, byteEnd: 46, tag: "Wellbeing"),
                    BlueskyTagFacet(byteStart: 54, byteEnd: 61, tag: "Week_2"),
                ]
            )
        }

        @Test func aFullwidthSignAndNonLatinTagsCount() {
            #expect(BlueskyFacets.tags(in: "\u{FF03}日本 #café") == [
                BlueskyTagFacet(byteStart: 0, byteEnd: 9, tag: "日本"), BlueskyTagFacet(byteStart: 10, byteEnd: 16, tag: "café"),
            ])
        }

        @Test func aTagOver64UnitsIsNoTag() {
            #expect(BlueskyFacets.tags(in: "#" + String(repeating: "a", count: 64)).count == 1)
            #expect(BlueskyFacets.tags(in: "#" + String(repeating: "a", count: 65)).isEmpty)
        }
    }
}
