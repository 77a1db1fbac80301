import Foundation
import HeraldChannels
import HeraldCore
import HeraldTransport
import Testing

/// Bluesky posts (docs/channels.md §4.3): `createRecord` at a record key derived from the message id, link facets
/// at UTF-8 byte offsets (TV-5), an expired token that arrives as HTTP 400, and `ratelimit-*` headers in epoch seconds.
/// The session calls are in `BlueskySessionTests`.
@Suite struct BlueskyAdapterTests {
    typealias F = AdapterFixture
    static let did = "did:plc:u5cwb2mwiv2bfq53cjufe6yn"
    /// The id and key pair that `BlueskyRecordKeyTests` checks against the reference encoding.
    static let id = MessageID(rawValue: "01a23350-09f8-7ab8-8041-67ca5dbebf4e")
    static let rkey = "3n3n3scrm2lui"
    static let session = ChannelSession(accessToken: "access.jwt", refreshToken: "refresh.jwt", account: did, login: "herald.example")
    /// TV-5's text, with a ZWJ emoji sequence before the link so character or UTF-16 offsets would come out wrong.
    static let tv5Text = "✨ example mentioning @atproto.com to share the URL 👨\u{200D}❤\u{FE0F}\u{200D}👨 https://en.wikipedia.org/wiki/CBOR."

    static func adapter(language: String? = nil) -> BlueskyAdapter {
        BlueskyAdapter(settings: .init(baseURL: "https://pds.example/", identifier: "herald.example", password: "app-pass", language: language))
    }

    var adapter: BlueskyAdapter { Self.adapter() }

    func record(_ text: String, language: String? = nil) throws -> (request: HTTPRequest, body: [String: Any], record: [String: Any]) {
        let request = try F.http(Self.adapter(language: language).request(for: F.message(text, id: Self.id), session: Self.session, now: F.now))
        let body = try F.json(request.body)
        let record = try #require(body["record"] as? [String: Any])
        return (request, body, record)
    }

    @Test func aBlueskyPostCreatesARecordAtTheMessagesKeyWithTheSessionToken() throws {
        let (request, body, record) = try record("Review published")
        #expect(request.method == "POST")
        #expect(request.url == "https://pds.example/xrpc/com.atproto.repo.createRecord")
        #expect(F.values("Authorization", in: request) == ["Bearer access.jwt"])
        #expect(F.values("Content-Type", in: request) == ["application/json; charset=utf-8"])
        #expect(body["repo"] as? String == Self.did)
        #expect(body["collection"] as? String == "app.bsky.feed.post")
        #expect(body["rkey"] as? String == Self.rkey)
        #expect(record["$type"] as? String == "app.bsky.feed.post")
        #expect(record["text"] as? String == "Review published")
        #expect(record["createdAt"] as? String == "2023-11-14T22:13:20.000Z")
        #expect(record["langs"] == nil)
        #expect(record["facets"] == nil)
    }

    /// A later attempt must land on the same key, or the PDS could not refuse a second copy of the post.
    @Test func everyAttemptOfAMessageUsesTheSameRecordKey() throws {
        let adapter = self.adapter
        let first = try F.json(F.http(adapter.request(for: F.message(id: Self.id), session: Self.session, now: F.now)).body)
        let later = try F.json(F.http(adapter.request(for: F.message(id: Self.id), session: Self.session, now: F.now.addingTimeInterval(900))).body)
        #expect(first["rkey"] as? String == Self.rkey)
        #expect(later["rkey"] as? String == Self.rkey)
    }

    @Test func aConfiguredLanguageIsSentAsLangs() throws {
        #expect(try record("Hallo", language: "de").record["langs"] as? [String] == ["de"])
    }

    @Test func tv5LinkFacetCoversTheURLsUTF8Bytes() throws {
        #expect(Self.tv5Text.utf8.count == 109)
        let facets = try #require(try record(Self.tv5Text).record["facets"] as? [[String: Any]])
        // Mentions need the handle resolved to a DID, which a pure adapter cannot do, so only the link is faceted.
        #expect(facets.count == 1)
        let facet = try #require(facets.first)
        let index = try #require(facet["index"] as? [String: Any])
        #expect(index["byteStart"] as? Int == 74)
        #expect(index["byteEnd"] as? Int == 108)
        let features = try #require(facet["features"] as? [[String: Any]])
        #expect(features.count == 1)
        #expect(features.first?["$type"] as? String == "app.bsky.richtext.facet#link")
        #expect(features.first?["uri"] as? String == "https://en.wikipedia.org/wiki/CBOR")
    }

    @Test func hashtagsGetTagFacetsInTextOrder() throws {
        let facets = try #require(try record("Week #Safeguarding starts: https://example.org/x").record["facets"] as? [[String: Any]])
        #expect(facets.count == 2)
        let starts = facets.compactMap { ($0["index"] as? [String: Any])?["byteStart"] as? Int }
        #expect(starts == [5, 27])
        let tag = try #require((facets.first?["features"] as? [[String: Any]])?.first)
        #expect(tag["$type"] as? String == "app.bsky.richtext.facet#tag")
        #expect(tag["tag"] as? String == "Safeguarding")
        #expect((facets.first?["index"] as? [String: Any])?["byteEnd"] as? Int == 18)
    }

    @Test func aMessageWhoseIdIsNotAUUIDv7CannotBePosted() {
        let message = F.message(id: MessageID(rawValue: "01a23350-09f8-4ab8-8041-67ca5dbebf4e"))
        #expect(throws: HeraldError.self) { try adapter.request(for: message, session: Self.session, now: F.now) }
    }

    /// Without a session there is no token to post with; the worker must never take this path.
    @Test func postingWithoutASessionIsRefused() {
        #expect(throws: HeraldError.self) { try adapter.request(for: F.message(id: Self.id), now: F.now) }
    }

    @Test func aCreatedRecordDeliversWithTheTV5WebURL() {
        let uri = "at://did:plc:u5cwb2mwiv2bfq53cjufe6yn/app.bsky.feed.post/3k4duaz5vfs2b"
        let body = "{\"uri\":\"\(uri)\",\"cid\":\"bafyreibsmfdm\",\"validationStatus\":\"valid\"}"
        let outcome = adapter.outcome(of: F.answer(200, body: body), now: F.now)
        #expect(outcome.post == PublishedPost(id: uri, url: "https://bsky.app/profile/did:plc:u5cwb2mwiv2bfq53cjufe6yn/post/3k4duaz5vfs2b"))
        #expect(outcome.proof?.contains(uri) == true)
        #expect(outcome.pauseChannelUntil == nil)
    }

    @Test func aSuccessThatSpendsTheBudgetPausesTheChannelUntilTheEpochReset() {
        let headers = [
            F.serverDate, HTTPHeader("ratelimit-limit", "5000"), HTTPHeader("ratelimit-remaining", "0"),
            HTTPHeader("ratelimit-reset", F.resetEpoch), HTTPHeader("ratelimit-policy", "5000;w=3600"),
        ]
        let body = "{\"uri\":\"at://\(Self.did)/app.bsky.feed.post/\(Self.rkey)\",\"cid\":\"bafy\"}"
        let outcome = adapter.outcome(of: F.answer(200, headers, body: body), now: F.now)
        #expect(outcome.post?.url == "https://bsky.app/profile/\(Self.did)/post/\(Self.rkey)")
        #expect(outcome.pauseChannelUntil == F.resumeAt)
    }

    @Test func aRateLimitRetriesAtTheResetAndPausesTheChannel() throws {
        let headers = [F.serverDate, HTTPHeader("ratelimit-remaining", "0"), HTTPHeader("ratelimit-reset", F.resetEpoch)]
        let outcome = adapter.outcome(of: F.answer(429, headers, body: #"{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}"#), now: F.now)
        let retry = try #require(outcome.retried)
        #expect(retry.after == F.resumeAt)
        #expect(retry.pauseChannel)
        #expect(retry.reason.contains("429"))
        #expect(outcome.pauseChannelUntil == F.resumeAt)
    }

    /// Bluesky reports an expired access token as HTTP 400, not 401; either way the session, not the post, is at fault.
    @Test(arguments: [(400, "ExpiredToken"), (401, "ExpiredToken"), (401, "InvalidToken"), (401, "AuthenticationRequired")])
    func aRefusedSessionTokenAsksForReauthentication(status: Int, error: String) throws {
        let body = "{\"error\":\"\(error)\",\"message\":\"Token has expired\"}"
        let reason = try #require(adapter.outcome(of: F.answer(status, body: body), now: F.now).reauthenticateReason)
        #expect(reason.contains("HTTP \(status)"))
        #expect(reason.contains(error))
    }

    @Test(arguments: [
        (400, #"{"error":"InvalidRequest","message":"Record/text must not be longer than 300 graphemes"}"#), (400, "not json"),
        (403, #"{"error":"AccountTakedown"}"#), (413, ""),
    ])
    func refusalsOfTheRecordArePermanent(status: Int, body: String) throws {
        let reason = try #require(adapter.outcome(of: F.answer(status, body: body), now: F.now).permanentReason)
        #expect(reason.contains("Bluesky"))
        #expect(reason.contains("HTTP \(status)"))
    }

    @Test(arguments: [500, 502, 503, 504])
    func serverErrorsRetryWithoutPausingTheChannel(status: Int) throws {
        let retry = try #require(adapter.outcome(of: F.answer(status, body: #"{"error":"InternalServerError"}"#), now: F.now).retried)
        #expect(retry.after == nil)
        #expect(!retry.pauseChannel)
    }

    /// The fixed record key means a repeat can never make a second post, so an unanswered one is always safe to repeat.
    @Test func anUnansweredPostIsAmbiguousAndAlwaysRecognisedAsARepeat() throws {
        let reason = try #require(adapter.outcome(of: F.timeout, now: F.now).ambiguousReason)
        #expect(reason.contains("Bluesky"))
        #expect(adapter.repeatRecognition == .always)
    }

    /// The record's URI goes into the stored proof: escaped line breaks in it must not forge a second line there.
    @Test func aHostileRecordURIGivesAShortSingleLineProof() {
        let uri = "at://x\r\nX-Forged: yes\u{7}/" + String(repeating: "p", count: 5_000)
        F.expectSafe(adapter.outcome(of: F.answer(200, body: "{\"uri\":\(JSONText.string(uri))}"), now: F.now))
    }
}
