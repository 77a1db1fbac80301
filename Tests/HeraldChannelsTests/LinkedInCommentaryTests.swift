import HeraldChannels
import Testing

/// LinkedIn cuts a post at the first unescaped reserved character of its "little" text format, yet a link must stay
/// as written to be linked and a hashtag must stay a hashtag.
@Suite struct LinkedInCommentaryTests {
    @Test(arguments: [
        ("Review published (Adult C) today", ##"Review published \(Adult C\) today"##),
        ("Ask @comms or mail a_b@example.org", ##"Ask \@comms or mail a\_b\@example.org"##),
        (#"a\b|c{d}e[f]g<h>i*j~k"#, ##"a\\b\|c\{d\}e\[f\]g\<h\>i\*j\~k"##),
        ("See https://example.org/safe_guarding_(2026)?a=b#part now", "See https://example.org/safe_guarding_(2026)?a=b#part now"),
        ("(see https://example.org/x).", ##"\(see https://example.org/x\)."##),
        ("#SafeguardingWeek starts #Day_1", "#SafeguardingWeek starts #Day_1"),
        ("Join us!#NotAHashtag and item #3 and # alone", ##"Join us!\#NotAHashtag and item \#3 and \# alone"##),
        ("#Week(2026)", ##"#Week\(2026\)"##),
        ("", ""),
    ] as [(String, String)])
    func reservedCharactersAreEscapedOutsideLinksAndHashtags(text: String, commentary: String) {
        #expect(LinkedInAdapter.commentary(text) == commentary)
    }
}
