import Foundation
import HeraldChannels
import HeraldCore
import HeraldStore
import HeraldStoreSQLite
import HeraldTesting
import HeraldWorker
import Testing

/// Every chat and social network against its fake (which checks tokens, the recomputed OAuth signature, required
/// headers and the body schema as the real API does): the receipt, the token expiry, the rate limit, the server
/// error and the silence.
@Suite struct PostDeliveryTests {
    static let all = ["slack", "teams", "mastodon", "bluesky", "x", "facebook", "linkedin"]
    /// The networks that name the post they created.
    static let publishing = ["mastodon", "bluesky", "x", "facebook", "linkedin"]

    @Test(arguments: all)
    func aPostIsDeliveredAndItsURLRecorded(network: String) async throws {
        let harness = try await PostHarness(network)
        let ids = try await harness.enqueue(["Safeguarding Awareness Week starts today 👋 https://partnership.example.org/week?from=herald"])
        let summary = try await harness.runOnce(harness.channel())
        #expect(summary.delivered == 1)
        let rejected = try harness.fake.requests().filter { $0.verdict == "rejected" }
        #expect(rejected.isEmpty, "the fake refused: \(rejected.map(\.reason))")
        let posts = try harness.fake.posts()
        #expect(posts.count == 1)
        let detail = try await harness.detail(ids[0])
        #expect(detail.message.state == .delivered)
        if Self.publishing.contains(network) {
            let post = try #require(posts.first)
            let expected = try #require(harness.expectedURL(of: post))
            #expect(detail.message.postURL == expected)
            #expect(detail.attempts.last?.post?.url == expected)
            #expect(detail.attempts.last?.post?.id == posts.first?.postID)
        } else {
            #expect(detail.message.postURL == nil)
        }
    }

    @Test(arguments: all)
    func aServerErrorIsRetriedThenDelivered(network: String) async throws {
        let harness = try await PostHarness(network, script: ["error"])
        let ids = try await harness.enqueue(["A notice"])
        let summary = try await harness.runOnce(harness.channel())
        #expect(summary.retried == 1)
        #expect(summary.delivered == 1)
        #expect(try harness.postAttempts().map(\.status) == [500, network == "teams" ? 202 : network == "x" || network == "linkedin" ? 201 : 200])
        #expect(try await harness.detail(ids[0]).message.state == .delivered)
    }

    /// A 429 pauses the whole channel until the network's own reset: the second post is not even tried meanwhile. The
    /// worker runs on a manual clock: fifty seconds pass in an instant, inside every network's window (LinkedIn names
    /// no reset, so its pause is the default minute).
    @Test(arguments: all)
    func aRateLimitPausesTheChannelAndNothingIsSentInTheWindow(network: String) async throws {
        let clock = ManualClock(Date())
        let harness = try await PostHarness(network, script: ["throttle"], resetSeconds: 120, clock: clock)
        let ids = try await harness.enqueue(["First post", "Second post"])
        let started = clock.now()
        let run = harness.start(harness.channel())
        await run.settled()
        clock.advance(by: 50)
        await run.settled()
        _ = try await run.stop()
        let attempts = try harness.postAttempts()
        #expect(attempts.count == 1, "sent in the window: \(attempts.map(\.reason))")
        #expect(attempts.first?.status == (network == "facebook" ? 400 : 429))
        let first = try await harness.detail(ids[0])
        #expect(first.message.state == .retrying)
        // Reckoned from the network's reset (120 s; Facebook's estimate is whole minutes; LinkedIn sends none).
        let earliest = started.addingTimeInterval(network == "facebook" ? 55 : network == "linkedin" ? 59 : 100)
        #expect(first.message.notBefore >= earliest, "retry at \(first.message.notBefore)")
        #expect(try await harness.detail(ids[1]).message.attempts == 0)
    }

    /// Once the reset passes, the channel carries on, and the retried post goes out first.
    @Test func afterTheResetTheChannelResumes() async throws {
        let clock = ManualClock(Date())
        let harness = try await PostHarness("x", script: ["throttle"], resetSeconds: 2, clock: clock)
        let ids = try await harness.enqueue(["First post", "Second post"])
        let run = harness.start(harness.channel())
        await run.settled()
        #expect(try harness.postAttempts().count == 1)
        // The reset is two seconds after the fake's own clock read it; ten on the manual clock are past it for sure.
        clock.advance(by: 10)
        await run.settled()
        #expect(try await run.stop().delivered == 2)
        #expect(try harness.postAttempts().map(\.status) == [429, 201, 201])
        for id in ids { #expect(try await harness.detail(id).message.state == .delivered) }
    }

    /// A success that spends the last of the budget pauses the channel before a request is wasted on a 429.
    @Test(arguments: ["mastodon", "bluesky", "x", "facebook"])
    func aSpentBudgetPausesTheChannelBeforeA429(network: String) async throws {
        let clock = ManualClock(Date())
        let harness = try await PostHarness(network, script: ["exhaust"], resetSeconds: 120, clock: clock)
        let ids = try await harness.enqueue(["First post", "Second post"])
        let run = harness.start(harness.channel())
        await run.settled()
        clock.advance(by: 50)
        await run.settled()
        _ = try await run.stop()
        #expect(try harness.postAttempts().count == 1)
        #expect(try await harness.detail(ids[0]).message.state == .delivered)
        #expect(try await harness.detail(ids[1]).message.attempts == 0)
    }

    /// No answer: where the network cannot deduplicate, the post may exist, so it waits for an operator.
    @Test(arguments: ["slack", "teams", "x", "facebook", "linkedin"])
    func silenceLeavesThePostUnconfirmedAndItIsNotSentAgain(network: String) async throws {
        let harness = try await PostHarness(network, script: ["silence"], silenceSeconds: 4)
        let ids = try await harness.enqueue(["A notice"])
        let summary = try await harness.runOnce(harness.channel(timeout: 1))
        #expect(summary.unconfirmed == 1)
        let detail = try await harness.detail(ids[0])
        #expect(detail.message.state == .unconfirmed)
        #expect(detail.attempts.last?.outcome == "ambiguous")
        #expect(detail.events.last?.event == "unconfirmed")
        let again = try await harness.runOnce(harness.channel(timeout: 1))
        #expect(again.attempts == 0)
        #expect(try harness.fake.posts().count == 1)
    }

    /// Mastodon deduplicates by Idempotency-Key, which is the message id: the retry returns the status already made.
    @Test func mastodonRetriesAfterSilenceWithTheSameKeyAndPostsOnce() async throws {
        let harness = try await PostHarness("mastodon", script: ["silence"], silenceSeconds: 4)
        let ids = try await harness.enqueue(["A notice"])
        let summary = try await harness.runOnce(harness.channel(timeout: 1))
        #expect(summary.delivered == 1)
        let attempts = try harness.postAttempts()
        #expect(attempts.map(\.verdict) == ["created", "duplicate"])
        #expect(attempts.allSatisfy { $0.header("Idempotency-Key") == ids[0].rawValue })
        #expect(try harness.fake.posts().count == 1)
        let detail = try await harness.detail(ids[0])
        #expect(detail.message.postURL == attempts[0].postURL)
    }

    /// Bluesky posts at a record key derived from the message id: an unanswered create is looked up by that key, and
    /// found, the message is delivered with its URL instead of waiting for an operator.
    @Test func blueskyFindsAnUnansweredPostByItsRecordKey() async throws {
        let harness = try await PostHarness("bluesky", script: ["silence"], silenceSeconds: 4)
        let ids = try await harness.enqueue(["A notice"])
        let summary = try await harness.runOnce(harness.channel(timeout: 1))
        #expect(summary.delivered == 1)
        let requests = try harness.fake.requests()
        #expect(requests.map(\.endpoint) == ["createSession", "createRecord", "getRecord"])
        let key = try #require(BlueskyRecordKey.forMessage(ids[0]))
        #expect(requests[1].bodyJSON?["rkey"] as? String == key)
        #expect(requests[2].query.contains("rkey=\(key)"))
        let detail = try await harness.detail(ids[0])
        #expect(detail.message.postURL?.hasSuffix("/post/\(key)") == true)
        #expect(detail.attempts.last?.detail.contains("found by look-up") == true)
        #expect(try harness.fake.posts().count == 1)
    }

    /// A worker that died after its create reached the PDS leaves no unanswered attempt behind; the next attempts meet
    /// the existing key (a 500), and the look-up that follows a repeated failure finds the post.
    @Test func aPostMadeByAnUnrecordedAttemptIsFoundNotMadeAgain() async throws {
        let harness = try await PostHarness("bluesky")
        let ids = try await harness.enqueue(["A notice"])
        let key = try #require(BlueskyRecordKey.forMessage(ids[0]))
        try await harness.createBlueskyRecord(at: key, text: "A notice")
        let summary = try await harness.runOnce(harness.channel())
        #expect(summary.delivered == 1)
        let mine = try harness.fake.requests().dropFirst(2)
        #expect(mine.map(\.endpoint) == ["createSession", "createRecord", "createRecord", "getRecord"])
        #expect(mine.map(\.status) == [200, 500, 500, 200])
        #expect(try harness.fake.posts().count == 1)
        #expect(try await harness.detail(ids[0]).message.postURL?.hasSuffix("/post/\(key)") == true)
    }

    /// Hashtags and links both get facets, in text order, at byte offsets the fake checks against the text.
    @Test func blueskyHashtagsAndLinksAreFacets() async throws {
        let harness = try await PostHarness("bluesky")
        try await harness.enqueue(["Grüße #SafeguardingWeek: https://partnership.example.org/week #Wellbeing"])
        let summary = try await harness.runOnce(harness.channel())
        #expect(summary.delivered == 1)
        let post = try #require(try harness.fake.posts().first)
        let record = try #require(post.bodyJSON?["record"] as? [String: Any])
        let facets = try #require(record["facets"] as? [[String: Any]])
        let kinds = facets.compactMap { (($0["features"] as? [[String: Any]])?.first?["$type"] as? String)?.split(separator: "#").last }
        #expect(kinds == ["tag", "link", "tag"])
        #expect(post.verdict == "created")
    }

    /// A record at the key with other words is not this post: the message is dead with the reason, not "delivered".
    @Test func aRecordWithOtherTextAtTheKeyIsNotTakenForThePost() async throws {
        let harness = try await PostHarness("bluesky")
        let ids = try await harness.enqueue(["A notice"])
        try await harness.createBlueskyRecord(at: try #require(BlueskyRecordKey.forMessage(ids[0])), text: "Somebody else's words")
        let summary = try await harness.runOnce(harness.channel())
        #expect(summary.dead == 1)
        let detail = try await harness.detail(ids[0])
        #expect(detail.message.postURL == nil)
        #expect(detail.events.last?.text.contains("holds another post's text") == true)
    }

    /// Mastodon remembers the key for an hour only: a retry the rate limit pushes past that could post twice, so the
    /// post waits for an operator instead.
    @Test func mastodonIsNotRetriedOnceItHasForgottenTheUnansweredKey() async throws {
        let harness = try await PostHarness("mastodon", script: ["silence", "throttle"], resetSeconds: 3700, silenceSeconds: 4)
        let ids = try await harness.enqueue(["A notice"])
        let summary = try await harness.runOnce(harness.channel(timeout: 1))
        #expect(summary.unconfirmed == 1)
        let detail = try await harness.detail(ids[0])
        #expect(detail.message.state == .unconfirmed)
        #expect(detail.attempts.map(\.outcome) == ["ambiguous", "retry"])
        #expect(detail.events.last?.text.contains("recognises a repeat for only 60 minutes") == true)
        #expect(try harness.fake.posts().count == 1)
    }

    /// A slow login eats into the lease: a post that could outlast it is not sent (another worker could claim the
    /// message and post it too), and goes out on the next attempt with the session already in hand.
    @Test func aPostThatCouldOutlastTheLeaseAfterASlowLoginWaitsForTheNextAttempt() async throws {
        let harness = try await PostHarness("bluesky", credentials: ["session_delay": "6"])
        let ids = try await harness.enqueue(["A notice"])
        let summary = try await harness.runOnce(harness.channel(timeout: 8), lease: 16)
        #expect(summary.delivered == 1)
        #expect(try harness.fake.requests().map(\.endpoint) == ["createSession", "createRecord"])
        let detail = try await harness.detail(ids[0])
        #expect(detail.attempts.map(\.outcome) == ["retry", "delivered"])
        #expect(detail.attempts.first?.detail.contains("could outlast") == true)
    }

    /// Bluesky's expired access token arrives as HTTP 400: the session is refreshed once, the post replayed, and the
    /// rotated tokens kept in the store for the next worker.
    @Test func blueskyRefreshesAnExpiredSessionOnceAndSucceeds() async throws {
        let harness = try await PostHarness("bluesky", script: ["expired"])
        let ids = try await harness.enqueue(["A notice"])
        let summary = try await harness.runOnce(harness.channel())
        #expect(summary.delivered == 1)
        let requests = try harness.fake.requests()
        #expect(requests.map(\.endpoint) == ["createSession", "createRecord", "refreshSession", "createRecord"])
        #expect(requests.map(\.status) == [200, 400, 200, 200])
        #expect(try await harness.detail(ids[0]).message.state == .delivered)
        let seal = SessionSeal(secret: harness.fake.credential("password")!, channel: "bluesky")
        let stored = try #require(try await harness.store.channelSession("bluesky"))
        let saved = try #require(seal.open(stored), "the saved session does not open with the channel's password")
        #expect(saved.accessToken != requests[1].header("Authorization")?.replacingOccurrences(of: "Bearer ", with: ""))
        #expect(requests[3].header("Authorization") == "Bearer \(saved.accessToken)")
        // Neither token is in the database file in clear: the session is sealed with the channel's password.
        let database = try Data(contentsOf: URL(fileURLWithPath: harness.databasePath))
            + ((try? Data(contentsOf: URL(fileURLWithPath: harness.databasePath + "-wal"))) ?? Data())
        for token in [saved.accessToken, saved.refreshToken ?? "", requests[2].header("Authorization")?.replacingOccurrences(of: "Bearer ", with: "") ?? ""]
        where !token.isEmpty {
            #expect(database.range(of: Data(token.utf8)) == nil, "a session token is stored in clear")
        }

        // A second worker reuses the stored session: no second login.
        try await harness.enqueue(["Another notice"])
        #expect(try await harness.runOnce(harness.channel()).delivered == 1)
        #expect(try harness.fake.requests().filter { $0.endpoint == "createSession" }.count == 1)
    }

    /// A stored session the server no longer knows: renewal fails, so Herald logs in once more, and posts.
    @Test func blueskyFallsBackToANewSessionWhenRenewalIsRefused() async throws {
        let harness = try await PostHarness("bluesky")
        let stale = ChannelSession(
            accessToken: "stale-access", refreshToken: "stale-refresh", account: harness.fake.did, login: harness.fake.credential("identifier")
        )
        try await harness.store.saveChannelSession(
            "bluesky", try SessionSeal(secret: harness.fake.credential("password")!, channel: "bluesky").seal(stale), now: Date()
        )
        let ids = try await harness.enqueue(["A notice"])
        #expect(try await harness.runOnce(harness.channel()).delivered == 1)
        #expect(try harness.fake.requests().map(\.endpoint) == ["createRecord", "refreshSession", "createSession", "createRecord"])
        #expect(try await harness.detail(ids[0]).message.state == .delivered)
    }

    /// A saved session of another account (the channel was pointed elsewhere) is not used: posts must not go out
    /// under the old account.
    @Test func aSavedSessionOfAnotherLoginIsNotUsed() async throws {
        let harness = try await PostHarness("bluesky")
        let other = ChannelSession(accessToken: "other-access", refreshToken: "other-refresh", account: "did:plc:someoneelse", login: "old.handle.test")
        try await harness.store.saveChannelSession(
            "bluesky", try SessionSeal(secret: harness.fake.credential("password")!, channel: "bluesky").seal(other), now: Date()
        )
        try await harness.enqueue(["A notice"])
        #expect(try await harness.runOnce(harness.channel()).delivered == 1)
        let requests = try harness.fake.requests()
        #expect(requests.map(\.endpoint) == ["createSession", "createRecord"])
        #expect(requests.last?.bodyJSON?["repo"] as? String == harness.fake.did)
    }

    /// Elsewhere an expired or revoked token is the operator's to fix: dead at once, with a reason that says so.
    @Test(arguments: ["slack", "teams", "mastodon", "x", "facebook", "linkedin"])
    func anExpiredTokenIsDeadWithAReason(network: String) async throws {
        let harness = try await PostHarness(network, script: ["expired"])
        let ids = try await harness.enqueue(["A notice"])
        let summary = try await harness.runOnce(harness.channel())
        #expect(summary.dead == 1)
        #expect(try harness.postAttempts().count == 1)
        let detail = try await harness.detail(ids[0])
        #expect(detail.message.state == .dead)
        let reason = detail.attempts.last?.detail ?? ""
        #expect(reason.contains(network == "facebook" ? "190" : network == "slack" ? "403" : "401"), "\(reason)")
    }

    /// A Teams connector that answers 200 with an error text has not posted anything.
    @Test func aTeamsConnectorErrorIn200IsNotDelivery() async throws {
        let clock = ManualClock(Date())
        let harness = try await PostHarness("teams", script: ["connector-error"], teamsMode: "connector", clock: clock)
        let ids = try await harness.enqueue(["A notice"])
        let run = harness.start(harness.channel())
        await run.settled()
        _ = try await run.stop()
        let detail = try await harness.detail(ids[0])
        #expect(detail.message.state == .retrying)
        #expect(detail.attempts.first?.detail.contains("not '1'") == true, "\(detail.attempts)")
    }
}
