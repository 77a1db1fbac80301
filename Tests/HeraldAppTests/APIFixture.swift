import Foundation
import HTTPTypes
import HeraldAPI
import HeraldApp
import HeraldServices
import HeraldTesting
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP API over a real store in a scratch folder, served on a free loopback port, with one token per role.
/// Unchecked: after `init` it is only read, and its scratch folder lives as long as it does.
struct APIFixture: @unchecked Sendable {
    let cli: HeraldCLI
    let context: AppContext
    /// A token per role, and one holding every role.
    let scheduler: String
    let operatorToken: String
    let approver: String
    let auditor: String
    var limits: APILimits

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// - Parameters:
    ///   - extraYAML: more of channels.yml, after the `partners` webhook channel.
    ///   - projectTemplates: copy the project's templates (reviews, campaigns) beside the test's `notice`.
    init(limits: APILimits = APILimits(), sinkURL: String = "http://127.0.0.1:9/hook", extraYAML: String = "", projectTemplates: Bool = false) async throws {
        let audit = "audit:\n  key: \"\(TestKeys.auditText)\"\n  signing_key: \"\(TestKeys.signingText)\"\n"
        cli = try HeraldCLI(sinkURL: sinkURL, extraYAML: extraYAML, auditYAML: audit)
        if projectTemplates {
            let source = Self.root.appendingPathComponent("templates")
            let target = cli.directory.appendingPathComponent("templates")
            for name in try FileManager.default.contentsOfDirectory(atPath: source.path)
            where !FileManager.default.fileExists(atPath: target.appendingPathComponent(name).path) {
                try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: target.appendingPathComponent(name))
            }
        }
        // Read in this process, whose environment the scratch setup does not change: the secret is written out.
        try cli.replaceInConfig("${TEST_WEBHOOK_SECRET}", with: HeraldCLI.secret)
        context = try AppContext.open(
            AppPaths(
                config: cli.directory.appendingPathComponent("channels.yml").path, templates: cli.directory.appendingPathComponent("templates").path,
                database: cli.database
            )
        )
        let now = Date()
        scheduler = try await context.tokens.create(name: "planner", roles: ["scheduler"], actor: "test", now: now)
        operatorToken = try await context.tokens.create(name: "ops", roles: ["operator"], actor: "test", now: now)
        approver = try await context.tokens.create(name: "approver", roles: ["approver"], actor: "test", now: now)
        auditor = try await context.tokens.create(name: "audit", roles: ["auditor"], actor: "test", now: now)
        self.limits = limits
    }

    /// Runs `body` against the server, live on a loopback port. The server runs in a service group of its own that
    /// listens for no signals: the test process's SIGTERM and SIGINT stay as they were.
    func run<Value: Sendable>(_ body: @escaping @Sendable (TestClient) async throws -> Value) async throws -> Value {
        var logger = Logger(label: "herald.api.test")
        logger.logLevel = .warning
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let application = try APIServer.application(
            services: try context.apiServices(), limits: limits, host: "127.0.0.1", port: 0, logger: logger,
            onListening: { port in listening.yield(port) }
        )
        let group = ServiceGroup(configuration: .init(services: [.init(service: application)], logger: logger))
        return try await withThrowingTaskGroup(of: Value?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            do {
                let value = try await TestClient.withClient(host: "127.0.0.1", port: port, operation: body)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return value
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
        }
    }
}

/// A response, read: status, headers and the body as JSON.
struct APIReply {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var text: String

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:] }
    var isProblem: Bool { headers[.contentType] == "application/problem+json" && json["type"] is String && json["detail"] is String }
}

extension TestClient {
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil, contentType: String = "application/json")
        async throws -> APIReply
    {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = contentType }
        let response = try await execute(TestClient.Request(uri, method: method, authority: "localhost", headers: headers, body: json.map { ByteBuffer(string: $0) }))
        return APIReply(status: response.status, headers: response.headers, text: response.body.map { String(buffer: $0) } ?? "")
    }
}
