import Foundation

/// The length of a post as each network counts it.
///
/// A post over the limit is refused outright (Mastodon 422, X 400, Bluesky `InvalidRequest`) and retrying can
/// never help, so Herald checks length before queueing. The check is only useful if it counts exactly as the
/// network does; otherwise posts near the limit are refused by the network after passing here, or are cut
/// when they would have fitted. The networks count differently: Bluesky uses grapheme clusters and UTF-8
/// bytes; Mastodon uses grapheme clusters but counts links and remote mentions short; X weighs code points.
///
/// The limits themselves (500, 300, 3,000, 280 by default) are not here. Instances and providers change them,
/// so they belong in configuration.
public enum PostLength {
    /// What X charges for any link, however long. Its t.co wrapper makes every link this long.
    private static let xURLWeight = 23

    /// User-perceived characters (Swift `Character`s). Bluesky's 300-character limit counts these.
    /// - Parameter text: the post text.
    public static func graphemes(_ text: String) -> Int {
        text.count
    }

    /// UTF-8 bytes. This is Bluesky's second limit (3,000), which text in non-Latin scripts or with many emoji
    /// can reach before the grapheme limit.
    /// - Parameter text: the post text.
    public static func utf8Bytes(_ text: String) -> Int {
        text.utf8.count
    }

    /// Mastodon's count for `status` (add `spoiler_text`, which shares the limit). It counts grapheme clusters,
    /// as the server's `StatusLengthValidator` does, but counts each http(s) link as a fixed number of
    /// characters and a mention `@user@domain` as just `@user`. Writers should not be penalised for long URLs
    /// or for the instance a contact happens to be on.
    /// - Parameters:
    ///   - text: the post text.
    ///   - charactersPerURL: the instance's `configuration.statuses.characters_reserved_per_url`
    ///     (23 unless the instance says otherwise); a negative value is treated as 0.
    public static func mastodon(_ text: String, charactersPerURL: Int = 23) -> Int {
        let scalars = text.unicodeScalars
        let placeholder = String(repeating: "x", count: max(0, charactersPerURL)).unicodeScalars
        var links = PostLinks.find(in: text)[...]
        var countable = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        var index = scalars.startIndex
        // Rewrite the text the way the server does before counting, so that grapheme clusters are the same.
        while index < scalars.endIndex {
            if let link = links.first, link.range.lowerBound == index {
                countable.append(contentsOf: placeholder)
                links.removeFirst()
                previous = scalars[scalars.index(before: link.range.upperBound)]
                index = link.range.upperBound
            } else if let mention = MastodonMention.match(in: scalars, at: index, after: previous) {
                countable.append(contentsOf: scalars[index..<mention.userEnd])
                previous = scalars[scalars.index(before: mention.end)]
                index = mention.end
            } else {
                countable.append(scalars[index])
                previous = scalars[index]
                index = scalars.index(after: index)
            }
        }
        return String(countable).count
    }

    /// X's weighted length (twitter-text configuration v3), compared against 280. X weighs code points rather
    /// than characters so that scripts it considers dense, such as CJK, fill the post at half the count:
    /// - the text is NFC-normalised first, because X counts what it stores, so a decomposed `e` + U+0301
    ///   costs the same as `é`;
    /// - each http(s) link weighs 23;
    /// - each emoji weighs 2, however many code points it is built from (ZWJ sequences, skin tones, flags,
    ///   keycaps); a text-style symbol such as `©` or a digit counts as an emoji only when followed by U+FE0F,
    ///   a keycap or a skin tone, or joined by U+200D;
    /// - any other code point weighs 1 in U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F and U+2032–U+2037,
    ///   and 2 elsewhere.
    ///
    /// Emoji are recognised per grapheme cluster, so a combining mark written after an emoji is absorbed into
    /// it; twitter-text would charge it separately. Links are found by ``PostLinks``, so bare domains such as
    /// `example.com` are counted as text, where X would count 23.
    /// - Parameter text: the post text.
    public static func xWeighted(_ text: String) -> Int {
        let normalized = text.precomposedStringWithCanonicalMapping
        let scalars = normalized.unicodeScalars
        var weight = 0
        var cursor = scalars.startIndex
        for link in PostLinks.find(in: normalized) {
            weight += xWeight(of: Substring(scalars[cursor..<link.range.lowerBound])) + xURLWeight
            cursor = link.range.upperBound
        }
        return weight + xWeight(of: Substring(scalars[cursor...]))
    }

    private static func xWeight(of text: Substring) -> Int {
        text.reduce(0) { total, character in
            total + (isEmoji(character) ? 2 : character.unicodeScalars.reduce(0) { $0 + xWeight(of: $1) })
        }
    }

    private static func xWeight(of scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x0000...0x10FF, 0x2000...0x200D, 0x2010...0x201F, 0x2032...0x2037: 1
        default: 2
        }
    }

    /// Emoji-presentation characters (👋, regional-indicator flags, 🏴 tag sequences) are emoji on their own.
    /// Characters that merely may be emoji (❤, ☝, `1`, `©`) are emoji only when the sequence asks for emoji
    /// display, or a plain digit would cost 2.
    private static func isEmoji(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return false }
        if first.properties.isEmojiPresentation { return true }
        guard first.properties.isEmoji else { return false }
        return scalars.dropFirst().contains { scalar in
            scalar == "\u{FE0F}" || scalar == "\u{20E3}" || scalar == "\u{200D}" || scalar.properties.isEmojiModifier
        }
    }
}

/// Mastodon's `Account::MENTION_RE`: `@user` or `@user@domain`, not directly after a word character, `=` or
/// `/` (so e-mail addresses and URL paths are not mentions).
private enum MastodonMention {
    /// Where the `@user` part ends and where the whole mention, domain included, ends.
    struct Match {
        var userEnd: String.Index
        var end: String.Index
    }

    static func match(in scalars: String.UnicodeScalarView, at index: String.Index, after previous: Unicode.Scalar?) -> Match? {
        guard scalars[index] == "@" else { return nil }
        if let previous, previous == "=" || previous == "/" || isWord(previous) { return nil }
        let userStart = scalars.index(after: index)
        let userEnd = dottedRun(in: scalars, from: userStart, where: isUsername)
        guard userEnd > userStart else { return nil }
        guard userEnd < scalars.endIndex, scalars[userEnd] == "@" else { return Match(userEnd: userEnd, end: userEnd) }
        let domainStart = scalars.index(after: userEnd)
        let domainEnd = dottedRun(in: scalars, from: domainStart, where: isWord)
        return Match(userEnd: userEnd, end: domainEnd > domainStart ? domainEnd : userEnd)
    }

    /// `part+([.-]+part+)*`, greedily, as the server's regular expression matches it.
    private static func dottedRun(
        in scalars: String.UnicodeScalarView, from start: String.Index, where part: (Unicode.Scalar) -> Bool
    ) -> String.Index {
        func skip(from index: String.Index, while matches: (Unicode.Scalar) -> Bool) -> String.Index {
            var index = index
            while index < scalars.endIndex, matches(scalars[index]) { index = scalars.index(after: index) }
            return index
        }
        var end = skip(from: start, while: part)
        guard end > start else { return start }
        while true {
            let afterSeparators = skip(from: end, while: { $0 == "." || $0 == "-" })
            let afterPart = skip(from: afterSeparators, while: part)
            guard afterSeparators > end, afterPart > afterSeparators else { return end }
            end = afterPart
        }
    }

    /// `[a-z0-9_]`, case-insensitively.
    private static func isUsername(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
    }

    /// Ruby's `[[:word:]]`: letters, marks, decimal digits and connector punctuation in any script.
    private static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .decimalNumber, .connectorPunctuation, .nonspacingMark, .spacingMark, .enclosingMark: true
        default: scalar.properties.isAlphabetic
        }
    }
}
