import Foundation
import HeraldChannels
import HeraldCore
import HeraldRules
import HeraldStore
import HeraldStoreSQLite
import HeraldTesting
import HeraldTransport
import HeraldWorker
import Logging
import Testing

/// A fake of one network's API on 127.0.0.1 in front of the worker harness (real store, libcurl), with the adapter
/// Herald would build for that network pointed at the fake. With `clock`, the worker runs on a manual clock set to
/// now, so a test proves what is not sent in a pause by advancing it.
final class PostHarness {
    let network: String
    let workers: WorkerHarness
    let fake: SocialFake
    var store: SQLiteStore { workers.store }
    var databasePath: String { workers.databasePath }
    var transport: any Transport { workers.transport }

    init(
        _ network: String, credentials: [String: String] = [:], script: [String] = [], resetSeconds: Int = 60, silenceSeconds: Int = 4,
        teamsMode: String = "workflows", clock: (any HeraldClock)? = nil
    ) async throws {
        self.network = network
        workers = try WorkerHarness(clock: clock ?? SystemClock())
        fake = try await SocialFake(
            .init(network: network, credentials: credentials, script: script, resetSeconds: resetSeconds, silenceSeconds: silenceSeconds, teamsMode: teamsMode)
        )
    }

    deinit {
        fake.stop()
    }

    func adapter(timeout: TimeInterval) -> any ChannelAdapter {
        let c = fake.credentials
        switch network {
        case "slack": return SlackAdapter(settings: .init(url: fake.endpointURL, timeout: timeout, connectTimeout: 2))
        case "teams": return TeamsAdapter(settings: .init(url: fake.endpointURL, timeout: timeout, connectTimeout: 2))
        case "mastodon":
            return MastodonAdapter(settings: .init(baseURL: fake.baseURL, token: c["token"]!, visibility: "public", language: "en", timeout: timeout, connectTimeout: 2))
        case "bluesky":
            return BlueskyAdapter(
                settings: .init(baseURL: fake.baseURL, identifier: c["identifier"]!, password: c["password"]!, language: "en", timeout: timeout, connectTimeout: 2)
            )
        case "x":
            let credentials = OAuth1Credentials(
                consumerKey: c["consumer_key"]!, consumerSecret: c["consumer_secret"]!, token: c["token"]!, tokenSecret: c["token_secret"]!
            )
            return XAdapter(settings: .init(baseURL: fake.baseURL, credentials: credentials, timeout: timeout, connectTimeout: 2))
        case "facebook":
            return FacebookAdapter(
                settings: .init(baseURL: fake.baseURL + "/v23.0", pageID: c["page_id"]!, token: c["token"]!, timeout: timeout, connectTimeout: 2)
            )
        default:
            return LinkedInAdapter(
                settings: .init(baseURL: fake.baseURL, token: c["token"]!, author: c["author"]!, version: "202611", timeout: timeout, connectTimeout: 2)
            )
        }
    }

    func channel(timeout: TimeInterval = 2, retry: RetryPolicy = RetryPolicy(base: 0.05, cap: 0.2, maxAttempts: 5)) -> WorkerChannel {
        WorkerChannel(name: network, adapter: adapter(timeout: timeout), maxInFlight: 1, rate: nil, retry: retry, timeout: timeout)
    }

    @discardableResult
    func enqueue(_ texts: [String]) async throws -> [MessageID] {
        try await workers.enqueue(on: network, recipient: "\(network):fake", contents: texts.map { ["post": $0] }, kind: "campaign_post")
    }

    func runOnce(_ channel: WorkerChannel, lease: TimeInterval = 30) async throws -> WorkerSummary {
        try await workers.worker([channel], lease: lease, maxInFlight: 8, once: true).deliver()
    }

    /// Starts a worker that runs until stopped.
    func start(_ channel: WorkerChannel) -> RunningWorker {
        workers.start(workers.worker([channel], maxInFlight: 8))
    }

    /// Posts to the Bluesky fake directly, as a worker that died before recording its attempt would have.
    func createBlueskyRecord(at key: String, text: String) async throws {
        let login = #"{"identifier":"\#(fake.credentials["identifier"]!)","password":"\#(fake.credentials["password"]!)"}"#
        let session = try await json(post: "/xrpc/com.atproto.server.createSession", body: login, token: nil)
        let access = try #require(session["accessJwt"] as? String), did = try #require(session["did"] as? String)
        let record = #"{"repo":"\#(did)","collection":"app.bsky.feed.post","rkey":"\#(key)","#
            + #""record":{"$type":"app.bsky.feed.post","text":"\#(text)","createdAt":"2026-12-01T09:00:00.000Z"}}"#
        _ = try await json(post: "/xrpc/com.atproto.repo.createRecord", body: record, token: access)
    }

    private func json(post path: String, body: String, token: String?) async throws -> [String: Any] {
        var headers = [HTTPHeader("Content-Type", "application/json")]
        if let token { headers.append(HTTPHeader("Authorization", "Bearer \(token)")) }
        let result = await transport.send(.http(HTTPRequest(url: fake.url(path), headers: headers, body: Array(body.utf8), timeout: 5)))
        guard case .success(.http(let response)) = result, response.status == 200,
            let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        else { throw HarnessFailure(message: "\(path) failed: \(result)") }
        return object
    }

    func detail(_ id: MessageID) async throws -> MessageDetail {
        guard let detail = try await store.message(id) else { throw HarnessFailure(message: "no message \(id)") }
        return detail
    }

    /// The requests that tried to create a post (not session calls).
    func postAttempts() throws -> [SocialFake.Request] {
        try fake.requests().filter { !["createSession", "refreshSession"].contains($0.endpoint) }
    }

    /// The public URL Herald should record for a post the fake created.
    func expectedURL(of post: SocialFake.Request) -> String? {
        guard let id = post.postID else { return nil }
        switch network {
        case "mastodon": return post.postURL
        case "bluesky": return BlueskyAdapter.webURL(of: id)
        case "x": return "https://x.com/i/web/status/\(id)"
        case "facebook": return "https://www.facebook.com/\(id)"
        case "linkedin": return "https://www.linkedin.com/feed/update/\(id)/"
        default: return nil
        }
    }
}

struct HarnessFailure: Error {
    var message: String
}
