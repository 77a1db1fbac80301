import Foundation
import HTTPTypes
import Hummingbird
import HeraldCore
import HeraldServices
import HeraldStore

/// `/v1/messages`: enqueue (one, or a batch all or nothing), list with filters and a cursor, show one, and the
/// operator's retry, cancel and resolve. Each handler is one service call.
struct MessageRoutes<Store: ReviewStore & TokenStore & MetricsStore> {
    let services: APIServices<Store>
    let limits: APILimits

    /// The fields of one message to enqueue, as `herald enqueue --batch` reads them.
    static var enqueueFields: Set<String> { ["channel", "kind", "to", "template", "data", "at", "deadline", "dedupe_key"] }

    func add(to group: RouterGroup<APIRequestContext>) {
        group.post("messages") { request, context in try await enqueueOne(request, context) }
        group.post("messages/batch") { request, context in try await enqueueBatch(request, context) }
        group.get("messages") { request, context in try await list(request, context) }
        group.post("messages/retry") { request, context in try await bulkRetry(request, context) }
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
        let token = try context.require(.scheduler)
        let body = try await JSONBody.decode(EnqueueRequest.self, from: request, limit: limits.bodyBytes, allowedKeys: Self.enqueueFields)
        let result = try await services.enqueue.enqueue([body], actor: Self.actor(token), now: Date()) { _ in "the message" }[0]
        return JSONResponse(Enqueued(result), status: result.deduplicated ? .ok : .created)
    }

    struct Batch: Decodable {
        var messages: [EnqueueRequest]
    }

    struct BatchEnqueued: Encodable, Sendable {
        var results: [Enqueued]
    }

    func enqueueBatch(_ request: Request, _ context: APIRequestContext) async throws -> JSONResponse<BatchEnqueued> {
        let token = try context.require(.scheduler)
        let batch = try await JSONBody.decode(Batch.self, from: request, limit: limits.bodyBytes, allowedKeys: ["messages"])
        guard !batch.messages.isEmpty else { throw Problem.invalid("The batch is empty.", pointer: "/messages") }
        guard batch.messages.count <= limits.batchMessages else {
            throw Problem.invalid(
                "The batch holds \(batch.messages.count) messages; at most \(limits.batchMessages) are taken at once.", pointer: "/messages"
            )
        }
        let results = try await services.enqueue.enqueue(batch.messages, actor: Self.actor(token), now: Date()) { index in "messages[\(index)]" }
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
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            let name = String(key)
            guard MessageFilter.names.contains(name) || name == "limit" || name == "cursor" else {
                let known = (MessageFilter.names.union(["limit", "cursor"])).sorted().joined(separator: ", ")
                throw Problem.invalid("Unknown parameter '\(InputRules.printable(String(name.prefix(60))))'. Known: \(known).", pointer: nil)
            }
            guard values[name] == nil else { throw Problem.invalid("\(name) is given twice; give it once.", pointer: nil) }
            values[name] = String(value)
        }
        var query = try MessageFilter.query(from: values)
        if let text = values["limit"] {
            guard let limit = Int(text), limit >= 1, limit <= limits.pageSize else {
                throw Problem.invalid("limit must be a whole number from 1 to \(limits.pageSize).", pointer: nil)
            }
            query.limit = limit
        }
        if let text = values["cursor"] {
            guard let cursor = MessageID(validating: text) else { throw Problem.invalid("cursor is not a message id from a page before.", pointer: nil) }
            query.before = cursor
        }
        let messages = try await services.operations.messages(matching: query)
        return JSONResponse(
            Page(messages: messages.map(MessageView.init), next_cursor: messages.count == query.limit ? messages.last?.id.rawValue : nil)
        )
    }

    struct BulkRetried: Encodable, Sendable {
        /// Back in the queue (`scheduled`), or back behind a closed gate (`held`).
        var scheduled: Int
        var held: Int
        /// Matched but left as they were (for example past their deadline), each with the reason.
        var refused: [Refusal]

        struct Refusal: Encodable, Sendable {
            var id: String
            var reason: String
        }
    }

    /// Retries everything matching a filter (state required), up to the bound, as one operation.
    func bulkRetry(_ request: Request, _ context: APIRequestContext) async throws -> JSONResponse<BulkRetried> {
        let token = try context.require(.operator)
        let values = try await JSONBody.decode([String: String].self, from: request, limit: limits.bodyBytes, allowedKeys: MessageFilter.names)
        let query = try MessageFilter.query(from: values) { JSONBody.pointer([$0]) }
        let outcomes = try await services.operations.retry(matching: query, bound: limits.bulkRetry, actor: Self.actor(token), now: Date())
        var result = BulkRetried(scheduled: 0, held: 0, refused: [])
        for outcome in outcomes {
            switch outcome.result {
            case .moved(.held, _): result.held += 1
            case .moved: result.scheduled += 1
            case .refused(let reason): result.refused.append(.init(id: outcome.id.rawValue, reason: reason))
            case .notFound: break
            }
        }
        return JSONResponse(result)
    }

    func show(_ context: APIRequestContext) async throws -> JSONResponse<MessageDetailView> {
        _ = try context.require(.operator, .approver, .auditor)
        let (detail, _) = try await services.operations.detail(try RouteParameters.messageID(context), now: Date())
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
        let id = try RouteParameters.messageID(context)
        return JSONResponse(try moved(try await services.operations.retry([id], actor: Self.actor(token), now: Date()), id: id))
    }

    func cancel(_ context: APIRequestContext) async throws -> JSONResponse<Moved> {
        let token = try context.require(.operator)
        let id = try RouteParameters.messageID(context)
        return JSONResponse(try moved(try await services.operations.cancel([id], actor: Self.actor(token), now: Date()), id: id))
    }

    struct Resolution: Decodable {
        var url: String
    }

    func resolve(_ request: Request, _ context: APIRequestContext) async throws -> JSONResponse<Moved> {
        let token = try context.require(.operator)
        let id = try RouteParameters.messageID(context)
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

    /// How an API caller is named in the audit trail.
    static func actor(_ token: APIToken) -> String {
        "token \(token.name)"
    }
}
