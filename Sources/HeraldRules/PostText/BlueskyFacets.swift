/// A Bluesky `app.bsky.richtext.facet#link`: the byte range of a link in the post text and where it points.
///
/// Bluesky neither shortens nor auto-links URLs. Without a facet a link shows as plain text, so every link in a
/// post needs one.
public struct BlueskyLinkFacet: Sendable, Equatable {
    /// UTF-8 offset of the first byte of the link (`index.byteStart`), inclusive.
    public var byteStart: Int
    /// UTF-8 offset just past the link (`index.byteEnd`), exclusive.
    public var byteEnd: Int
    /// The complete link (`features[0].uri`), even if the displayed text is later shortened.
    public var uri: String

    public init(byteStart: Int, byteEnd: Int, uri: String) {
        self.byteStart = byteStart
        self.byteEnd = byteEnd
        self.uri = uri
    }
}

/// A handle mentioned in a Bluesky post, at its UTF-8 byte range.
///
/// A `#mention` facet needs the account's DID, and finding that means resolving the handle over the network.
/// So this is only the text half: the adapter resolves `handle` and leaves out any mention that does not
/// resolve, as the Bluesky app does.
public struct BlueskyMention: Sendable, Equatable {
    /// UTF-8 offset of the `@`, inclusive.
    public var byteStart: Int
    /// UTF-8 offset just past the handle, exclusive.
    public var byteEnd: Int
    /// The handle without its `@`, e.g. `atproto.com`.
    public var handle: String

    public init(byteStart: Int, byteEnd: Int, handle: String) {
        self.byteStart = byteStart
        self.byteEnd = byteEnd
        self.handle = handle
    }
}

/// A Bluesky `app.bsky.richtext.facet#tag`: a hashtag's byte range (its `#` included) and the tag without the `#`.
/// Without the facet a hashtag shows as plain text and cannot be followed.
public struct BlueskyTagFacet: Sendable, Equatable {
    public var byteStart: Int
    public var byteEnd: Int
    public var tag: String

    public init(byteStart: Int, byteEnd: Int, tag: String) {
        self.byteStart = byteStart
        self.byteEnd = byteEnd
        self.tag = tag
    }
}

/// Builds Bluesky rich-text facets from plain post text.
///
/// Facet offsets are UTF-8 byte positions. Offsets counted in characters or UTF-16 units come out wrong
/// after the first emoji or accented letter, and the link then covers the wrong text.
public enum BlueskyFacets {
    /// A link facet for each http(s) link, found by the same rule as ``PostLinks`` so that Herald's own
    /// counts and the facets agree. A full stop or closing parenthesis after the link is not part of it.
    /// - Parameter text: the exact `text` that will be sent in the record; offsets are only valid for it.
    public static func links(in text: String) -> [BlueskyLinkFacet] {
        PostLinks.find(in: text).map { link in
            BlueskyLinkFacet(byteStart: link.utf8Offsets.lowerBound, byteEnd: link.utf8Offsets.upperBound, uri: link.text)
        }
    }

    /// Mentions written as `@handle`, where the handle is a domain name (`alice.bsky.social`). As in Bluesky's
    /// own detection, the `@` must start the text or follow whitespace or `(`, so e-mail addresses are not
    /// mentions, and a trailing `.` ends the sentence rather than the handle.
    /// - Parameter text: the exact `text` that will be sent in the record.
    public static func mentions(in text: String) -> [BlueskyMention] {
        let scalars = text.unicodeScalars
        var mentions: [BlueskyMention] = []
        var previous: Unicode.Scalar?
        for index in scalars.indices {
            defer { previous = scalars[index] }
            guard scalars[index] == "@", previous.map({ $0.properties.isWhitespace || $0 == "(" }) ?? true else { continue }
            let handleStart = scalars.index(after: index)
            var runEnd = handleStart
            while runEnd < scalars.endIndex, isHandleScalar(scalars[runEnd]) { runEnd = scalars.index(after: runEnd) }
            // Back off to a word boundary, as the `\b` in Bluesky's pattern does: `@atproto.com.` ends before the
            // full stop, and `@a.com_x` backs off to `a.`, which then fails validation.
            var handleEnd = runEnd
            while handleEnd > handleStart, !isWordBoundary(in: scalars, at: handleEnd) { handleEnd = scalars.index(before: handleEnd) }
            let handle = String(scalars[handleStart..<handleEnd])
            guard isValidHandle(handle) else { continue }
            let start = text.utf8.distance(from: text.startIndex, to: index)
            mentions.append(BlueskyMention(byteStart: start, byteEnd: start + 1 + handle.utf8.count, handle: handle))
        }
        return mentions
    }

    /// Hashtags as the Bluesky app detects them: `#` (or `＃`) at the start or after whitespace, then a run up to the
    /// next whitespace or invisible separator, less any trailing punctuation; the tag must hold something other than
    /// digits and punctuation (`#1` is not a tag) and be at most 64 UTF-16 units.
    /// - Parameter text: the exact `text` that will be sent in the record.
    public static func tags(in text: String) -> [BlueskyTagFacet] {
        let scalars = text.unicodeScalars
        var tags: [BlueskyTagFacet] = []
        var previous: Unicode.Scalar?
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let startsTag = (scalar == "#" || scalar == "\u{FF03}") && (previous.map { $0.properties.isWhitespace } ?? true)
            previous = scalar
            index = scalars.index(after: index)
            guard startsTag else { continue }
            var run: [Unicode.Scalar] = []
            var end = index
            while end < scalars.endIndex, !scalars[end].properties.isWhitespace, !tagSeparators.contains(scalars[end]) {
                run.append(scalars[end])
                end = scalars.index(after: end)
            }
            guard run.first != "\u{FE0F}" else { continue }
            while let last = run.last, isPunctuation(last) { run.removeLast() }
            let tag = String(String.UnicodeScalarView(run))
            guard run.contains(where: { !("0"..."9").contains($0) && !isPunctuation($0) }), tag.utf16.count <= 64 else { continue }
            let start = text.utf8.distance(from: text.startIndex, to: scalars.index(before: index))
            tags.append(BlueskyTagFacet(byteStart: start, byteEnd: start + String(scalar).utf8.count + tag.utf8.count, tag: tag))
        }
        return tags
    }

    /// Invisible characters the Bluesky app does not let into a tag.
    private static let tagSeparators: Set<Unicode.Scalar> = ["\u{00AD}", "\u{2060}", "\u{200A}", "\u{200B}", "\u{200C}", "\u{200D}", "\u{20E2}"]

    private static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation,
            .otherPunctuation:
            true
        default:
            false
        }
    }

    private static func isHandleScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-")
    }

    /// JavaScript's `\b` without the `u` flag: word characters are `[A-Za-z0-9_]` only.
    private static func isWordBoundary(in scalars: String.UnicodeScalarView, at index: String.Index) -> Bool {
        func isWord(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
        }
        let before = index > scalars.startIndex && isWord(scalars[scalars.index(before: index)])
        let after = index < scalars.endIndex && isWord(scalars[index])
        return before != after
    }

    /// The atproto handle syntax: two or more DNS labels of letters, digits and inner hyphens, each at most
    /// 63 characters, with a top-level label that does not start with a digit.
    private static func isValidHandle(_ handle: String) -> Bool {
        let labels = handle.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, handle.utf8.count <= 253, let last = labels.last, let first = last.first, !first.isNumber else {
            return false
        }
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
        }
    }
}
