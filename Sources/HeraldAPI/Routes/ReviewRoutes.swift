import Foundation
import Hummingbird
import HeraldCore
import HeraldServices
import HeraldStore

/// `/v1/reviews`: the review workflow as `herald review` runs it — plan (or a dry run), status, reschedule, hold,
/// clear, publish, the holding statement, the press release and cancel. A reference with a `/` is percent-encoded
/// in the path.
struct ReviewRoutes<Store: ReviewStore & TokenStore & MetricsStore> {
    let services: APIServices<Store>
    let limits: APILimits

    func add(to group: RouterGroup<APIRequestContext>) {
        group.post("reviews") { request, context in try await plan(request, context) }
        group.get("reviews/:reference") { _, context in try await status(context) }
        group.post("reviews/:reference/reschedule") { request, context in try await reschedule(request, context) }
        group.post("reviews/:reference/hold") { request, context in try await hold(request, context) }
        group.post("reviews/:reference/clear") { _, context in try await clear(context) }
        group.post("reviews/:reference/publish") { request, context in try await publish(request, context) }
        group.get("reviews/:reference/holding-statement") { _, context in try await holdingStatement(context) }
        group.post("reviews/:reference/press-release") { request, context in try await pressRelease(request, context) }
        group.post("reviews/:reference/cancel") { _, context in try await cancel(context) }
    }

    struct Plan: Decodable {
        var type: String
        var reference: String
        var title: String
        var signed_off: String
        var publish: String
        var learning_event: String?
        /// One person per item, as a line of the CLI's practitioners file: an address, or `name,email,role`.
        var practitioners: [String]?
        var criminal_investigation: Bool?
        var dry_run: Bool?
    }

    struct Planned: Encodable, Sendable {
        var reference: String
        var dry_run: Bool
        var steps: [JSONValue]
    }

    /// 201 with the timeline stored; 200 with the timeline a dry run would store.
    func plan(_ request: Request, _ context: APIRequestContext) async throws -> JSONResponse<Planned> {
        let token = try context.require(.scheduler)
        let body = try await JSONBody.decode(
            Plan.self, from: request, limit: limits.bodyBytes,
            allowedKeys: ["type", "reference", "title", "signed_off", "publish", "learning_event", "practitioners", "criminal_investigation", "dry_run"]
        )
        var practitioners: PractitionerList?
        if let lines = body.practitioners {
            if let index = lines.firstIndex(where: { $0.contains(where: \.isNewline) }) {
                throw Problem.invalid("Give one person per item, on one line.", pointer: "/practitioners/\(index)")
            }
            do {
                practitioners = try PractitionerList.parse(lines.joined(separator: "\n"), file: "practitioners")
            } catch let error as HeraldError {
                throw Problem(error, pointer: "/practitioners")
            }
        }
        let input = ReviewService<Store>.PlanInput(
            type: body.type, reference: body.reference, title: body.title, signedOff: body.signed_off, publish: body.publish,
            learningEvent: body.learning_event, practitioners: practitioners, criminalInvestigation: body.criminal_investigation ?? false
        )
        let dryRun = body.dry_run ?? false
        let reviews = try services.reviews()
        let entries = try await reviews.plan(input, dryRun: dryRun, actor: MessageRoutes<Store>.actor(token), now: Date())
        let timeZone = reviews.timeZone
        return JSONResponse(
            Planned(reference: body.reference, dry_run: dryRun, steps: entries.map { $0.json(timeZone: timeZone) }),
            status: dryRun ? .ok : .created
        )
    }

    func status(_ context: APIRequestContext) async throws -> JSONResponse<JSONValue> {
        _ = try context.require(.scheduler, .operator, .approver, .auditor)
        let reviews = try services.reviews()
        let status = try await reviews.status(try RouteParameters.reference(context), now: Date())
        return JSONResponse(status.json(timeZone: reviews.timeZone))
    }

    /// What a review-wide action changed.
    struct Changed: Encodable, Sendable {
        var reference: String
        var messages: [String]
    }

    struct Reschedule: Decodable {
        var publish: String
        var learning_event: String?
    }

    func reschedule(_ request: Request, _ context: APIRequestContext) async throws -> JSONResponse<Changed> {
        let token = try context.require(.scheduler)
        let reference = try RouteParameters.reference(context)
        let body = try await JSONBody.decode(Reschedule.self, from: request, limit: limits.bodyBytes, allowedKeys: ["publish", "learning_event"])
        let moved = try await services.reviews().reschedule(
            reference, publish: body.publish, learningEvent: body.learning_event, actor: MessageRoutes<Store>.actor(token), now: Date()
        )
        return JSONResponse(Changed(reference: reference, messages: moved.map(\.rawValue)))
    }

    struct Hold: Decodable {
        var reason: String
    }

    func hold(_ request: Request, _ context: APIRequestContext) async throws -> JSONResponse<Changed> {
        let token = try context.require(.scheduler, .operator)
        let reference = try RouteParameters.reference(context)
        let body = try await JSONBody.decode(Hold.self, from: request, limit: limits.bodyBytes, allowedKeys: ["reason"])
        let held = try await services.reviews().hold(reference, reason: body.reason, actor: MessageRoutes<Store>.actor(token), now: Date())
        return JSONResponse(Changed(reference: reference, messages: held.map(\.rawValue)))
    }

    func clear(_ context: APIRequestContext) async throws -> JSONResponse<Changed> {
        let token = try context.require(.scheduler, .operator)
        let reference = try RouteParameters.reference(context)
        let cleared = try await services.reviews().clear(reference, actor: MessageRoutes<Store>.actor(token), now: Date())
        return JSONResponse(Changed(reference: reference, messages: cleared.map(\.rawValue)))
    }

    struct Publish: Decodable {
        var force: Bool?
    }

    func publish(_ request: Request, _ context: APIRequestContext) async throws -> JSONResponse<Changed> {
        let token = try context.require(.scheduler)
        let reference = try RouteParameters.reference(context)
        let body = try await Self.optionalBody(Publish.self, request, limit: limits.bodyBytes, keys: ["force"]) ?? Publish()
        try await services.reviews().publish(reference, force: body.force ?? false, actor: MessageRoutes<Store>.actor(token), now: Date())
        return JSONResponse(Changed(reference: reference, messages: []))
    }

    func holdingStatement(_ context: APIRequestContext) async throws -> JSONResponse<[String: String]> {
        _ = try context.require(.scheduler, .operator)
        return JSONResponse(try await services.reviews().holdingStatement(try RouteParameters.reference(context)))
    }

    struct PressRelease: Decodable {
        var at: String?
    }

    /// 201: the press release is stored, held until a different token approves it.
    func pressRelease(_ request: Request, _ context: APIRequestContext) async throws -> JSONResponse<Changed> {
        let token = try context.require(.scheduler)
        let reference = try RouteParameters.reference(context)
        let body = try await Self.optionalBody(PressRelease.self, request, limit: limits.bodyBytes, keys: ["at"]) ?? PressRelease()
        let ids = try await services.reviews().pressRelease(reference, at: body.at, now: Date(), actor: MessageRoutes<Store>.actor(token))
        return JSONResponse(Changed(reference: reference, messages: ids.map(\.rawValue)), status: .created)
    }

    func cancel(_ context: APIRequestContext) async throws -> JSONResponse<Changed> {
        let token = try context.require(.scheduler)
        let reference = try RouteParameters.reference(context)
        let cancelled = try await services.reviews().cancel(reference, actor: MessageRoutes<Store>.actor(token), now: Date())
        return JSONResponse(Changed(reference: reference, messages: cancelled.map(\.rawValue)))
    }

    /// A body that may be left out altogether; when sent, it is read like any other.
    static func optionalBody<T: Decodable>(_ type: T.Type, _ request: Request, limit: Int, keys: Set<String>) async throws -> T? {
        guard request.headers[.contentType] != nil || (request.headers[.contentLength].flatMap(Int.init) ?? 0) > 0 else { return nil }
        return try await JSONBody.decode(type, from: request, limit: limit, allowedKeys: keys)
    }
}
