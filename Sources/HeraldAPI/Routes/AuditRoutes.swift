import Foundation
import Hummingbird
import HeraldServices
import HeraldStore

/// `/v1/audit/verify`: the auditor's check of the whole trail, as `herald audit verify` runs it.
struct AuditRoutes<Store: ReviewStore & TokenStore & MetricsStore> {
    let services: APIServices<Store>

    func add(to group: RouterGroup<APIRequestContext>) {
        group.post("audit/verify") { _, context in try await verify(context) }
    }

    struct Verification: Encodable, Sendable {
        var intact: Bool
        var events_checked: Int
        var messages_checked: Int
        var messages_purged: Int
        var faults: [String]
    }

    func verify(_ context: APIRequestContext) async throws -> JSONResponse<Verification> {
        _ = try context.require(.auditor)
        let result = try await services.audit.verify(checkpointFile: nil, publicKey: nil)
        return JSONResponse(
            Verification(
                intact: result.isIntact, events_checked: result.eventsChecked, messages_checked: result.messagesChecked,
                messages_purged: result.messagesPurged, faults: Array(result.faults.prefix(100))
            )
        )
    }
}
