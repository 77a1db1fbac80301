import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HeraldConfig
import NIOSSL
import HeraldCore
import HeraldServices
import HeraldStore
import Logging

/// `herald serve`'s HTTP side: the routes over the services layer, behind the token check, answering errors as
/// problem documents. Runs as a swift-service-lifecycle service beside the worker (docs/api.md).
public enum APIServer {
    /// Every route, for the server and for the test that holds the OpenAPI document to them.
    public static func router<Store>(services: APIServices<Store>, limits: APILimits = APILimits()) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        HealthRoutes(services: services).add(to: router)
        let v1 = router.group("v1").add(middleware: TokenAuthenticator(authenticate: { try await services.tokens.authenticate($0) }))
            .add(middleware: TokenRateLimiter(rate: limits.tokenRate))
        MessageRoutes(services: services, limits: limits).add(to: v1)
        ApprovalRoutes(services: services, limits: limits).add(to: v1)
        ReviewRoutes(services: services, limits: limits).add(to: v1)
        CampaignRoutes(services: services, limits: limits).add(to: v1)
        ChannelRoutes(services: services).add(to: v1)
        AuditRoutes(services: services).add(to: v1)
        return router
    }

    /// The server on `host:port` (port 0 picks a free one; `onListening` is told which), over HTTPS when `tls` is
    /// given.
    public static func application<Store>(
        services: APIServices<Store>, limits: APILimits = APILimits(), tls: TLSSettings? = nil, host: String, port: Int, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let http1 = HTTPServerBuilder.http1(configuration: .init(idleTimeout: limits.idleTimeout))
        return Application(
            router: router(services: services, limits: limits),
            server: try tls.map { try .tls(http1, tlsConfiguration: try serverTLS($0)) } ?? http1,
            configuration: .init(address: .hostname(host, port: port), serverName: "herald"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    /// The certificate chain and key, read now so a bad file stops the server at start with its name.
    static func serverTLS(_ settings: TLSSettings) throws -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(settings.certificateFile).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: settings.keyFile, format: .pem)
            return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        } catch {
            throw HeraldError(
                .configuration, "tls: cannot use \(settings.certificateFile) and \(settings.keyFile) as a PEM certificate chain and its key (\(error))."
            )
        }
    }

    /// Where the server may listen: loopback always; another address only over TLS, or when the operator says in so
    /// many words that it is served without (behind a terminating proxy), since tokens would cross the network in clear.
    public static func checkListenAddress(_ text: String, insecure: Bool, tls: Bool = false) throws -> (host: String, port: Int) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port = Int(parts[1]), (0...65_535).contains(port), !parts[0].isEmpty else {
            throw HeraldError(.invalidInput, "--listen '\(String(text.prefix(60)))' is not HOST:PORT, e.g. 127.0.0.1:8080.")
        }
        let host = String(parts[0])
        if !["127.0.0.1", "localhost", "::1"].contains(host), !insecure, !tls {
            throw HeraldError(
                .invalidInput,
                "--listen \(host) is not loopback: tokens would cross the network in clear. Give tls: { cert, key } in channels.yml, "
                    + "serve on 127.0.0.1 behind a proxy that terminates TLS, or say --insecure-listen if that proxy is on this address."
            )
        }
        return (host, port)
    }
}
