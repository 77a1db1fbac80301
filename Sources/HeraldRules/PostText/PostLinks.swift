/// Finds the `http://` and `https://` links in post text.
///
/// Every network that limits post length treats links specially: Mastodon and X count each one as a fixed
/// number of characters, and Bluesky shows a link only if it carries a facet with exact UTF-8 offsets. So all of
/// them must agree on where a link starts and ends. The rule follows what twitter-text and Bluesky's own facet
/// detection do with the cases that come up in notifications:
/// - the scheme is matched without regard to case and must not directly follow an ASCII letter or digit, `@`,
///   `$` or `#` (so `xhttps://…` and `@https://…` are not links);
/// - the link runs to the next whitespace;
/// - trailing `.,;:!?'"` and an unbalanced closing `)` or `]` are dropped, because in prose they end the
///   sentence or the parenthesis rather than the address (`(see https://a.example/x).` links `https://a.example/x`);
/// - a bare scheme with nothing after it (`https://`) is not a link.
///
/// Addresses without a scheme (`example.com`) are deliberately not links: Mastodon does not shorten them
/// either, and guessing at domains would make Herald count differently from at least one network.
public enum PostLinks {
    /// One link, with its position in both the forms callers need: a `String` range for rewriting text, and
    /// UTF-8 byte offsets because that is how Bluesky facets address text.
    public struct Link: Sendable, Equatable {
        /// Where the link sits in the searched string.
        public var range: Range<String.Index>
        /// The link exactly as written, trailing punctuation removed.
        public var text: String
        /// UTF-8 byte offsets of the link; start inclusive, end exclusive.
        public var utf8Offsets: Range<Int>

        public init(range: Range<String.Index>, text: String, utf8Offsets: Range<Int>) {
            self.range = range
            self.text = text
            self.utf8Offsets = utf8Offsets
        }
    }

    /// The links in `text`, in order of appearance.
    /// - Parameter text: post text as the user wrote it; it is not normalised here, so offsets stay valid
    ///   for the very string that will be sent.
    public static func find(in text: String) -> [Link] {
        let scalars = text.unicodeScalars
        var links: [Link] = []
        var previous: Unicode.Scalar?
        var index = scalars.startIndex
        while index < scalars.endIndex {
            if mayStartLink(after: previous), let afterScheme = schemeEnd(in: scalars, at: index) {
                var end = afterScheme
                while end < scalars.endIndex, !scalars[end].properties.isWhitespace {
                    end = scalars.index(after: end)
                }
                let trimmed = trimmingTrailingPunctuation(scalars, from: afterScheme, to: end)
                if trimmed > afterScheme {
                    let start = text.utf8.distance(from: text.startIndex, to: index)
                    let length = text.utf8.distance(from: index, to: trimmed)
                    links.append(Link(range: index..<trimmed, text: String(scalars[index..<trimmed]), utf8Offsets: start..<start + length))
                    previous = scalars[scalars.index(before: trimmed)]
                    index = trimmed
                    continue
                }
            }
            previous = scalars[index]
            index = scalars.index(after: index)
        }
        return links
    }

    /// twitter-text's "valid preceding characters": a scheme glued to a word, handle, cashtag or hashtag
    /// is part of that token, not a link.
    private static func mayStartLink(after previous: Unicode.Scalar?) -> Bool {
        guard let previous else { return true }
        if previous.isASCII, previous.properties.isAlphabetic || ("0"..."9").contains(previous) { return false }
        return !"@$#＠＄＃".unicodeScalars.contains(previous)
    }

    /// The index just past `http://` or `https://` (any case) starting at `index`, or nil.
    private static func schemeEnd(in scalars: String.UnicodeScalarView, at index: String.Index) -> String.Index? {
        var cursor = index
        func consume(_ expected: Unicode.Scalar, optional: Bool = false) -> Bool {
            guard cursor < scalars.endIndex else { return optional }
            let scalar = scalars[cursor]
            let sameLetterInUpperCase = expected.properties.isLowercase && scalar.value + 32 == expected.value
            guard scalar == expected || sameLetterInUpperCase else { return optional }
            cursor = scalars.index(after: cursor)
            return true
        }
        guard "http".unicodeScalars.allSatisfy({ consume($0) }) else { return nil }
        _ = consume("s", optional: true)
        guard "://".unicodeScalars.allSatisfy({ consume($0) }) else { return nil }
        return cursor
    }

    /// Drops sentence punctuation and unmatched closing brackets from the end of `start..<end`, repeatedly,
    /// so `…/x).` loses both the full stop and the parenthesis but `…/Swift_(language)` keeps its own.
    private static func trimmingTrailingPunctuation(
        _ scalars: String.UnicodeScalarView, from start: String.Index, to end: String.Index
    ) -> String.Index {
        var unmatched: [Unicode.Scalar: Int] = [:]  // closing bracket -> closers minus openers
        for scalar in scalars[start..<end] {
            switch scalar {
            case "(": unmatched[")", default: 0] -= 1
            case ")": unmatched[")", default: 0] += 1
            case "[": unmatched["]", default: 0] -= 1
            case "]": unmatched["]", default: 0] += 1
            default: break
            }
        }
        var end = end
        while end > start {
            let before = scalars.index(before: end)
            let last = scalars[before]
            if ".,;:!?'\"".unicodeScalars.contains(last) {
                end = before
            } else if unmatched[last, default: 0] > 0 {
                unmatched[last, default: 0] -= 1
                end = before
            } else {
                break
            }
        }
        return end
    }
}
