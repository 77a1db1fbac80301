import Foundation
import HeraldServices
import HeraldStore

/// The services layer as the API sees it: the same services the command line calls, over one store, so a route is
/// an operation the CLI performs, under the same gates. Built by HeraldApp, which knows the driver.
public struct APIServices<Store: ReviewStore & TokenStore & MetricsStore>: Sendable {
    public var operations: OperatorService<Store>
    public var audit: AuditService<Store>
    public var tokens: TokenService<Store>
    public var approvals: Approvals<Store>
    /// Made per call: the review calendar (bank holidays) is read when a review route needs it, so a server without
    /// one still serves everything else, and answers the review routes with what is missing.
    public var reviews: @Sendable () throws -> ReviewService<Store>
    public var campaigns: CampaignService<Store>
    public var channels: ChannelService<Store>
    public var enqueue: EnqueueService<Store>
    public var metrics: MetricsService<Store>
    /// Throws unless the store can be read and written and the configuration is loaded (for `/readyz`).
    public var ready: @Sendable () async throws -> Void

    public init(
        operations: OperatorService<Store>, audit: AuditService<Store>, tokens: TokenService<Store>, approvals: Approvals<Store>,
        reviews: @escaping @Sendable () throws -> ReviewService<Store>, campaigns: CampaignService<Store>, channels: ChannelService<Store>, enqueue: EnqueueService<Store>,
        metrics: MetricsService<Store>, ready: @escaping @Sendable () async throws -> Void
    ) {
        self.operations = operations
        self.audit = audit
        self.tokens = tokens
        self.approvals = approvals
        self.reviews = reviews
        self.campaigns = campaigns
        self.channels = channels
        self.enqueue = enqueue
        self.metrics = metrics
        self.ready = ready
    }
}
