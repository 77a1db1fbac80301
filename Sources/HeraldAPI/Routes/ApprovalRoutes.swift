import Foundation
import Hummingbird
import HeraldCore
import HeraldServices
import HeraldStore

/// `/v1/approvals`: what waits for an approver, and the approval itself. Through the API the approver is the
/// token's name, and the token that loaded a post or asked for a press release cannot approve it (four eyes).
struct ApprovalRoutes<Store: ReviewStore & TokenStore & MetricsStore> {
    let services: APIServices<Store>
    let limits: APILimits

    func add(to group: RouterGroup<APIRequestContext>) {
        group.get("approvals") { _, context in try await pending(context) }
        group.post("approvals/:id") { _, context in try await approve(context) }
    }

    struct Waiting: Encodable, Sendable {
        var group_id: String
        var requested_by: String?
        var review: String?
        var messages: [MessageView]
    }

    struct Pending: Encodable, Sendable {
        var groups: [Waiting]
    }

    func pending(_ context: APIRequestContext) async throws -> JSONResponse<Pending> {
        _ = try context.require(.approver, .operator)
        let groups = try await services.approvals.pending(limit: limits.pageSize)
        return JSONResponse(
            Pending(
                groups: groups.map {
                    Waiting(group_id: $0.groupID, requested_by: $0.requestedBy, review: $0.review, messages: $0.messages.map(MessageView.init))
                }
            )
        )
    }

    struct Approved: Encodable, Sendable {
        var approved_by: String
        /// The messages now free to leave; the others wait for their review's hold to be cleared.
        var released: [String]
    }

    func approve(_ context: APIRequestContext) async throws -> JSONResponse<Approved> {
        let token = try context.require(.approver)
        let id = try RouteParameters.messageID(context)
        let actor = MessageRoutes<Store>.actor(token)
        let released = try await services.approvals.approve(id, token: actor, now: Date())
        return JSONResponse(Approved(approved_by: actor, released: released.map(\.rawValue)))
    }
}
