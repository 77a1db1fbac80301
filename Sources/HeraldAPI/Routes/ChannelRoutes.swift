import Foundation
import Hummingbird
import HeraldServices
import HeraldStore

/// `/v1/channels`: every channel's state for operators.
struct ChannelRoutes<Store: ReviewStore & TokenStore & MetricsStore> {
    let services: APIServices<Store>

    func add(to group: RouterGroup<APIRequestContext>) {
        group.get("channels") { _, context in try await states(context) }
    }

    struct Channels: Encodable, Sendable {
        var channels: [ChannelState]
    }

    func states(_ context: APIRequestContext) async throws -> JSONResponse<Channels> {
        _ = try context.require(.operator)
        return JSONResponse(Channels(channels: try await services.channels.states(now: Date())))
    }
}
