import Foundation
import HTTPTypes
import Hummingbird
import HeraldCore
import HeraldServices
import HeraldStore

/// `/v1/messages`: enqueue (one, or a batch all or nothing), list with filters and a cursor, show one, and the
/// operator's retry, cancel and resolve. Each handler is one service call.
struct MessageRoutes<Store: MessageStore & TokenStore> {
    let services: APIServices<Store>
    let limits: APILimits

    /// The fields of one message to enqueue, as `herald enqueue --batch` reads them.
    static var enqueueFields: Set<String> { ["channel", "kind", "to", "template", "data", "at", "deadline", "dedupe_key"] }

    func add(to group: RouterGroup<APIRequestContext>) {
        group.post("messages") { request, context in try await enqueueOne(request, context) }
        group.post("messages/batch") { request, context in try await enqueueBatch(request, context) }
        group.get("messages") { request, context in try await list(request, context) }
        group.get("messages/:id") { _, context in try await show(context) }
        group.post("messages/:id/retry") { _, context in try await retry(context) }
        group.post("messages/:id/cancel") { _, context in try await cancel(context) }
        group.post("messages/:id/resolve") { request, context in try await resolve(request, context) }
    }

    struct Enqueued: Encodable, Sendable {
        var group_id: String
        var ids: [String]
        var deduplicated: Bool

        init(_ result: EnqueueResult) {
            group_id = result.groupID
            ids = result.ids.map(\.rawValue)
            deduplicated = result.deduplicated
        }
    }

    /// 201 with the new ids, or 200 with the first group's when its `dedupe_key` was seen before.
    func enqueueOne(_ request: Request, _ context: APIRequestContext) async throws -> JSONResponse<Enqueued> {
        _ = try context.require(.scheduler)
        let body = try await JSONBody.decode(EnqueueRequest.self, from: request, limit: limits.bodyBytes, allowedKeys: Self.enqueueFields)
        let result = try await services.enqueue([body], Date()) { _ in "the message" }[0]
        return JSONResponse(Enqueued(result), status: result.deduplicated ? .ok : .created)
    }

    struct Batch: Decodable {
        var messages: [EnqueueRequest]
    }

    struct BatchEnqueued: Encodable, Sendable {
        var results: [Enqueued]
    }

    func enqueueBatch(_ request: Request, _ context: APIRequestContext) async throws -> JSONResponse<BatchEnqueued> {
        _ = try context.require(.scheduler)
        let batch = try await JSONBody.decode(Batch.self, from: request, limit: limits.bodyBytes, allowedKeys: ["messages"])
        guard !batch.messages.isEmpty else { throw Problem.invalid("The batch is empty.", pointer: "/messages") }
        guard batch.messages.count <= limits.batchMessages else {
            throw Problem.invalid(
                "The batch holds \(batch.messages.count) messages; at most \(limits.batchMessages) are taken at once.", pointer: "/messages"
            )
        }
        let results = try await services.enqueue(batch.messages, Date()) { index in "messages[\(index)]" }
        let stored = results.contains { !$0.deduplicated }
        return JSONResponse(BatchEnqueued(results: results.map(Enqueued.init)), status: stored ? .created : .ok)
    }

    struct Page: Encodable, Sendable {
        var messages: [MessageView]
        /// Pass as `cursor` for the next (older) page; absent on the last.
        var next_cursor: String?
    }

    func list(_ request: Request, _ context: APIRequestContext) async throws -> JSONResponse<Page> {
        _ = try context.require(.operator, .approver, .auditor)
        let parameters = request.uri.queryParameters
        let known: Set<String> = ["state", "channel", "kind", "since", "limit", "cursor"]
        if let unknown = parameters.map({ String($0.key) }).sorted().first(where: { !known.contains($0) }) {
            throw Problem.invalid("Unknown parameter '\(String(unknown.prefix(60)))'. Known: \(known.sorted().joined(separator: ", ")).", pointer: nil)
        }
        var query = MessageQuery(limit: 100)
        if let text = parameters["state"].map(String.init) {
            guard let state = MessageState(rawValue: text) else {
                throw Problem.invalid(
                    "state '\(String(text.prefix(40)))' is not a state: \(MessageState.allCases.map(\.rawValue).joined(separator: ", ")).", pointer: nil
                )
            }
            query.state = state
        }
        query.channel = parameters["channel"].map(String.init)
        query.kind = parameters["kind"].map(String.init)
        if let text = parameters["since"].map(String.init) {
            guard let since = RFC3339.parse(text) else {
                throw Problem.invalid("since '\(String(text.prefix(40)))' is not an RFC 3339 time, e.g. 2026-12-01T09:00:00Z.", pointer: nil)
            }
            query.since = since
        }
        if let text = parameters["limit"].map(String.init) {
            guard let limit = Int(text), limit >= 1, limit <= limits.pageSize else {
                throw Problem.invalid("limit must be a whole number from 1 to \(limits.pageSize).", pointer: nil)
            }
            query.limit = limit
        }
        if let text = parameters["cursor"].map(String.init) {
            guard let cursor = MessageID(validating: text) else { throw Problem.invalid("cursor is not a message id from a page before.", pointer: nil) }
            query.before = cursor
        }
        let messages = try await services.operations.messages(matching: query)
        return JSONResponse(
            Page(messages: messages.map(MessageView.init), next_cursor: messages.count == query.limit ? messages.last?.id.rawValue : nil)
        )
    }

    func show(_ context: APIRequestContext) async throws -> JSONResponse<MessageDetailView> {
        _ = try context.require(.operator, .approver, .auditor)
        let (detail, _) = try await services.operations.detail(try messageID(context), now: Date())
        return JSONResponse(MessageDetailView(detail))
    }

    struct Moved: Encodable, Sendable {
        var id: String
        var state: String
        /// What still holds it, when it went back to `held`.
        var held_by: String?
    }

    func retry(_ context: APIRequestContext) async throws -> JSONResponse<Moved> {
        let token = try context.require(.operator)
        let id = try messageID(context)
        return JSONResponse(try moved(try await services.operations.retry([id], actor: Self.actor(token), now: Date()), id: id))
    }

    func cancel(_ context: APIRequestContext) async throws -> JSONResponse<Moved> {
        let token = try context.require(.operator)
        let id = try messageID(context)
        return JSONResponse(try moved(try await services.operations.cancel([id], actor: Self.actor(token), now: Date()), id: id))
    }

    struct Resolution: Decodable {
        var url: String
    }

    func resolve(_ request: Request, _ context: APIRequestContext) async throws -> JSONResponse<Moved> {
        let token = try context.require(.operator)
        let id = try messageID(context)
        let body = try await JSONBody.decode(Resolution.self, from: request, limit: limits.bodyBytes, allowedKeys: ["url"])
        try await services.operations.resolve(id, url: body.url, actor: Self.actor(token), now: Date())
        return JSONResponse(Moved(id: id.rawValue, state: MessageState.delivered.rawValue))
    }

    /// An operator action's outcome: the new state, or 409 naming the state or gate that refused it, or 404.
    private func moved(_ outcomes: [ActionOutcome], id: MessageID) throws -> Moved {
        switch outcomes.first?.result {
        case .moved(let state, let gate): return Moved(id: id.rawValue, state: state.rawValue, held_by: gate?.explanation(for: id))
        case .refused(let reason): throw Problem(.conflict, kind: "conflict", detail: "Message \(id) was not changed: \(reason).")
        case .notFound, nil: throw Problem(.notFound, kind: "not_found", detail: "There is no message \(id).")
        }
    }

    private func messageID(_ context: APIRequestContext) throws -> MessageID {
        let text = context.parameters.get("id") ?? ""
        guard let id = MessageID(validating: text) else {
            throw Problem(.notFound, kind: "not_found", detail: "'\(String(text.prefix(60)))' is not a message id.")
        }
        return id
    }

    /// How an API caller is named in the audit trail.
    static func actor(_ token: APIToken) -> String {
        "token \(token.name)"
    }
}
