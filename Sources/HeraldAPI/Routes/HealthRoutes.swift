import Foundation
import Hummingbird
import HeraldStore
import Logging

/// `/healthz` (the process answers), `/readyz` (the store can be read and written) and `/openapi.json`: open to
/// anyone who can reach the port, and saying nothing a caller could use.
struct HealthRoutes<Store: MessageStore & TokenStore> {
    let services: APIServices<Store>

    struct Status: Encodable, Sendable {
        var status: String
    }

    func add(to router: Router<APIRequestContext>) {
        router.get("healthz") { _, _ in JSONResponse(Status(status: "ok")) }
        router.get("readyz") { _, context in
            do {
                try await services.ready()
            } catch {
                context.logger.warning("not ready: \(String(describing: error))")
                throw Problem(.serviceUnavailable, kind: "not_ready", detail: "The database cannot be read and written now.")
            }
            return JSONResponse(Status(status: "ready"))
        }
        router.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json))
            )
        }
    }
}
