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
