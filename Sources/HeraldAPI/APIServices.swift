import Foundation
import HeraldServices
import HeraldStore

/// The services layer as the API sees it: the same services the command line calls, over one store, so a route is
/// an operation the CLI performs, under the same gates. Built by HeraldApp, which knows the driver.
public struct APIServices<Store: MessageStore & TokenStore>: Sendable {
    public var operations: OperatorService<Store>
    public var audit: AuditService<Store>
    public var tokens: TokenService<Store>
    /// Renders and stores enqueue requests, all or none; the closure names each request in errors.
    public var enqueue: @Sendable ([EnqueueRequest], Date, @Sendable (Int) -> String) async throws -> [EnqueueResult]
    /// Throws unless the store can be read and written and the configuration is loaded (for `/readyz`).
    public var ready: @Sendable () async throws -> Void

    public init(
        operations: OperatorService<Store>, audit: AuditService<Store>, tokens: TokenService<Store>,
        enqueue: @escaping @Sendable ([EnqueueRequest], Date, @Sendable (Int) -> String) async throws -> [EnqueueResult],
        ready: @escaping @Sendable () async throws -> Void
    ) {
        self.operations = operations
        self.audit = audit
        self.tokens = tokens
        self.enqueue = enqueue
        self.ready = ready
    }
}
