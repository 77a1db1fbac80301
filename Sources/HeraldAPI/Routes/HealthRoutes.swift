import Foundation
import Hummingbird
import HeraldStore
import Logging

/// `/healthz` (the process answers), `/readyz` (the store can be read and written), `/openapi.json` and `/metrics`:
/// open to anyone who can reach the port, as scrapers and probes expect, and saying nothing personal (channel names
/// and counts only).
struct HealthRoutes<Store: ReviewStore & TokenStore & MetricsStore> {
    let services: APIServices<Store>
    let metrics: MetricsCollector<Store>

    init(services: APIServices<Store>) {
        self.services = services
        metrics = MetricsCollector(service: services.metrics)
    }

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
        router.get("metrics") { _, _ in
            let text = try await metrics.scrape(now: Date())
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text))
            )
        }
        router.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json))
            )
        }
    }
}
