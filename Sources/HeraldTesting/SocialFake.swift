import Foundation

/// A fake of one social or chat posting API for tests: `Tests/Support/social_fake.py` on 127.0.0.1 and a free port, run
/// as a child process. It checks each request as the real API would (token, recomputed OAuth 1.0a signature, required
/// headers, body schema), answers from a script (`ok`, `expired`, `throttle`, `exhaust`, `error`, `silence`,
/// `connector-error`), and logs every request, accepted or not, to a folder the test reads.
public final class SocialFake: @unchecked Sendable {
    // Invariant: the folder belongs to this fake alone.

    public struct Options: Sendable {
        /// `slack`, `teams`, `mastodon`, `bluesky`, `x`, `facebook` or `linkedin`.
        public var network: String
        /// Overrides of the network's default credentials (see `defaultCredentials(for:)`).
        public var credentials: [String: String]
        /// Replies for the post-creating requests that pass every check, in order.
        public var script: [String]
        /// The reply once the script is used up.
        public var then: String
        /// How far ahead a `throttle` or `exhaust` reply puts the reset.
        public var resetSeconds: Int
        /// How long a `silence` reply keeps the connection open without answering.
        public var silenceSeconds: Int
        /// Teams only: `workflows` (202, empty body) or `connector` (200, body `1`).
        public var teamsMode: String

        /// - Parameters:
        ///   - network: which API to fake.
        ///   - credentials: overrides of the defaults, e.g. `["token": "t"]`.
        ///   - script: replies in order, one per post-creating request that passes the checks.
        ///   - then: the reply after the script.
        ///   - resetSeconds: the reset distance for `throttle` and `exhaust`.
        ///   - silenceSeconds: how long `silence` stays silent.
        ///   - teamsMode: `workflows` or `connector`.
        public init(
            network: String, credentials: [String: String] = [:], script: [String] = [], then: String = "ok",
            resetSeconds: Int = 60, silenceSeconds: Int = 30, teamsMode: String = "workflows"
        ) {
            self.network = network
            self.credentials = credentials
            self.script = script
            self.then = then
            self.resetSeconds = resetSeconds
            self.silenceSeconds = silenceSeconds
            self.teamsMode = teamsMode
        }
    }

    /// One request as the fake received it, with what it made of it.
    public struct Request: Sendable {
        /// 1, 2, … in arrival order (`n` in the log file).
        public var number: Int
        public var network: String
        public var method: String
        /// The path without the query.
        public var path: String
        /// The raw query string, without `?`.
        public var query: String
        /// Header lines in arrival order, names as sent.
        public var headers: [(name: String, value: String)]
        /// The body as UTF-8 text.
        public var body: String
        public var arrivedAt: Date
        /// `post`, or the XRPC method for Bluesky (`createSession`, `refreshSession`, `createRecord`, …).
        public var endpoint: String
        /// `created`, `duplicate`, `rejected`, `scripted`, `session` or `read`.
        public var verdict: String
        /// Why: the check that failed, the scripted reply, or `created`.
        public var reason: String
        /// The status answered; nil for a `silence` reply.
        public var status: Int?
        /// What the API returned as the post's identity (Mastodon id, Bluesky at:// URI, X id, Facebook id, LinkedIn
        /// URN).
        public var postID: String?
        /// The post's URL where the API returns one (Mastodon).
        public var postURL: String?
        /// The scripted reply used, or nil when the request did not reach the script.
        public var reply: String?

        /// The first header of that name, compared without case.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }

        /// The body parsed as a JSON object, or nil.
        public var bodyJSON: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        }
    }

    public let port: Int
    public let options: Options
    /// The credentials in force: the network's defaults with `options.credentials` on top.
    public let credentials: [String: String]
    public let folder: URL
    private let server: SupportServer

    /// Starts the fake and waits (up to ten seconds) until it listens.
    /// - Parameter options: the network, credentials and script.
    public init(_ options: Options) async throws {
        self.options = options
        credentials = Self.defaultCredentials(for: options.network).merging(options.credentials) { $1 }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-social-\(UUID().uuidString)")
        let logDirectory = folder.appendingPathComponent("log")
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        var arguments = [
            "--network", options.network, "--log-dir", logDirectory.path, "--then", options.then, "--reset-seconds", "\(options.resetSeconds)",
            "--silence-seconds", "\(options.silenceSeconds)", "--teams-mode", options.teamsMode, "--life", "300",
        ]
        for (key, value) in credentials.sorted(by: { $0.key < $1.key }) { arguments += ["--credential", "\(key)=\(value)"] }
        if !options.script.isEmpty { arguments += ["--script", options.script.joined(separator: ",")] }
        server = try await SupportServer(script: "social_fake.py", arguments: arguments, folder: folder, name: "\(options.network) fake", startTimeout: 10)
        port = server.port
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The fake's URL for `path` (which may carry a query).
    public func url(_ path: String) -> String { baseURL + path }

    /// The URL a post goes to with the credentials in force: the Slack hook, the Teams trigger URL with its `sig`, the
    /// Mastodon statuses, Bluesky createRecord, X tweets, Facebook page feed or LinkedIn posts endpoint.
    public var endpointURL: String {
        let c = credentials
        switch options.network {
        case "slack": return url("/services/T0000/B0000/\(c["hook_secret"] ?? "")")
        case "teams":
            return url(
                "/workflows/\(c["workflow_id"] ?? "")/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=\(c["sig"] ?? "")"
            )
        case "mastodon": return url("/api/v1/statuses")
        case "bluesky": return url("/xrpc/com.atproto.repo.createRecord")
        case "x": return url("/2/tweets")
        case "facebook": return url("/v23.0/\(c["page_id"] ?? "")/feed")
        case "linkedin": return url("/rest/posts")
        default: return baseURL
        }
    }

    /// One credential in force (`token`, `hook_secret`, `did`, …).
    public func credential(_ key: String) -> String? { credentials[key] }

    /// The Bluesky DID in force, with `did:plc:` added to a bare suffix as the fake does.
    public var did: String {
        let value = credentials["did"] ?? ""
        return value.hasPrefix("did:") ? value : "did:plc:\(value)"
    }

    /// Every request logged so far, in arrival order.
    public func requests() throws -> [Request] {
        let directory = folder.appendingPathComponent("log")
        var requests: [Request] = []
        var number = 1
        while true {
            let file = directory.appendingPathComponent("\(number).json")
            guard FileManager.default.fileExists(atPath: file.path) else { return requests }
            requests.append(try Self.decode(Data(contentsOf: file), file: file.lastPathComponent))
            number += 1
        }
    }

    /// The requests that created a post (including one answered with silence), in order.
    public func posts() throws -> [Request] {
        try requests().filter { $0.verdict == "created" }
    }

    /// Waits until at least `count` requests are logged or `timeout` passes, and returns what was logged.
    public func waitForRequests(count: Int, timeout: TimeInterval = 10) async throws -> [Request] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let requests = try requests()
            if requests.count >= count || Date() >= deadline { return requests }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Stops the server: SIGTERM, and SIGKILL if it has not gone within five seconds, so a test never hangs here.
    public func stop() {
        server.stop()
    }

    /// An `OAuth …` Authorization header for an X request, signed by the fake's own code (checked against TV-2/TV-3 by
    /// `selfTest()`), for tests that have no crypto library.
    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - url: the full URL as it will be requested; by default the fake's `/2/tweets`.
    ///   - body: the exact body (a JSON body is not signed; it only feeds `oauth_body_hash`).
    ///   - nonce: a fixed nonce, or nil for a random one.
    ///   - timestamp: a fixed `oauth_timestamp`, or nil for now.
    ///   - bodyHash: whether to add `oauth_body_hash` as oauthlib does.
    ///   - credentials: overrides of the credentials in force, e.g. a wrong `consumer_secret`.
    public func xAuthorization(
        method: String = "POST", url: String? = nil, body: String, nonce: String? = nil, timestamp: Int? = nil,
        bodyHash: Bool = false, credentials overrides: [String: String] = [:]
    ) throws -> String {
        let signing = Self.defaultCredentials(for: "x").merging(credentials) { $1 }.merging(overrides) { $1 }
        var arguments = ["--sign-x", url ?? self.url("/2/tweets"), "--sign-method", method, "--sign-body", body]
        if let nonce { arguments += ["--sign-nonce", nonce] }
        if let timestamp { arguments += ["--sign-timestamp", "\(timestamp)"] }
        if bodyHash { arguments.append("--sign-body-hash") }
        for (key, value) in signing.sorted(by: { $0.key < $1.key }) { arguments += ["--credential", "\(key)=\(value)"] }
        let (status, output) = try Self.runScript(arguments)
        guard status == 0 else { throw SocialFakeError(message: "signing failed: \(output)") }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `social_fake.py --self-test` (OAuth 1.0a against TV-2/TV-3, facets against TV-5) and returns its exit status
    /// and output.
    public static func selfTest() throws -> (status: Int32, output: String) {
        try runScript(["--self-test"])
    }

    /// The credentials each network starts with (the same defaults `social_fake.py` documents).
    public static func defaultCredentials(for network: String) -> [String: String] {
        switch network {
        case "slack": ["hook_secret": "XXXXXXXXXXXXXXXXXXXXXXXX"]
        case "teams": ["workflow_id": "0123456789abcdef0123456789abcdef", "sig": "Xx0-hU7pU4o1M8d3l6eT2Yq9wLkRbZcNfAaSsDdGgHh"]
        case "mastodon": ["token": "mastodon-test-token"]
        case "bluesky": ["identifier": "herald.test", "password": "abcd-efgh-ijkl-mnop", "did": "did:plc:heraldfakeheraldfake2345"]
        case "x":
            [
                "consumer_key": "xvz1evFS4wEEPTGEFPHBog", "consumer_secret": "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
                "token": "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", "token_secret": "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
            ]
        case "facebook": ["page_id": "1000000000001", "token": "fb-page-token"]
        case "linkedin": ["token": "linkedin-test-token", "author": "urn:li:organization:1000001"]
        default: [:]
        }
    }

    private static func runScript(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SupportServer.python)
        process.arguments = [SupportServer.supportFile("social_fake.py")] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static func decode(_ data: Data, file: String) throws -> Request {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw SocialFakeError(message: "\(file) is not a JSON object")
        }
        let headers = (object["headers"] as? [[String]] ?? []).compactMap { pair -> (name: String, value: String)? in
            pair.count == 2 ? (name: pair[0], value: pair[1]) : nil
        }
        return Request(
            number: object["n"] as? Int ?? 0, network: object["network"] as? String ?? "",
            method: object["method"] as? String ?? "", path: object["path"] as? String ?? "",
            query: object["query"] as? String ?? "", headers: headers, body: object["body"] as? String ?? "",
            arrivedAt: Date(timeIntervalSince1970: object["at"] as? Double ?? 0), endpoint: object["endpoint"] as? String ?? "",
            verdict: object["verdict"] as? String ?? "", reason: object["reason"] as? String ?? "",
            status: object["status"] as? Int, postID: object["post_id"] as? String, postURL: object["post_url"] as? String,
            reply: object["reply"] as? String
        )
    }
}

public struct SocialFakeError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
