import Foundation
import HeraldAPI
import HeraldConfig
import HeraldCore
import HeraldServices
import HeraldStore
import HeraldStoreSQLite

/// Where the files are: from flags, else the environment, else the working directory.
public struct AppPaths: Sendable {
    public var config: String
    public var templates: String
    public var database: String

    public init(config: String?, templates: String?, database: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.config = config ?? environment["HERALD_CONFIG"] ?? "./channels.yml"
        self.templates = templates ?? environment["HERALD_TEMPLATES"] ?? "./templates"
        self.database = database ?? environment["HERALD_DB"] ?? "./herald.db"
    }
}

/// A loaded configuration and an open store: the process is either fully configured or not started.
///
/// Commands reach the store only through the services this gives out, so the driver is chosen here, once, from
/// `--db`, and no command depends on it.
public struct AppContext: Sendable {
    public var paths: AppPaths
    public var configuration: HeraldConfiguration
    let store: SQLiteStore

    public static func open(_ paths: AppPaths) throws -> AppContext {
        let configuration = try ConfigurationLoader.load(path: paths.config)
        let store: SQLiteStore
        switch try StoreLocation(parsing: paths.database) {
        case .sqlite(let path): store = try SQLiteStore(path: path, auditKey: configuration.audit.chainKey)
        }
        return AppContext(paths: paths, configuration: configuration, store: store)
    }

    /// Listing, inspecting and acting on messages.
    public var operations: OperatorService<SQLiteStore> { OperatorService(store: store) }

    /// Renders and stores enqueue requests (all or nothing); `label` names each in errors (a batch's file and line).
    public func enqueue(_ requests: [EnqueueRequest], now: Date, label: (Int) -> String) async throws -> [EnqueueResult] {
        try await EnqueueService(configuration: configuration, templates: try templates(), store: store).enqueue(requests, now: now, label: label)
    }

    /// Templates are loaded only by the commands that render.
    public func templates() throws -> TemplateLibrary {
        try TemplateLibrary(directory: paths.templates)
    }
}

extension AppContext {
    /// The review workflow over this context's store; loads the templates and the bank-holiday calendar.
    public func reviews() throws -> ReviewService<SQLiteStore> {
        try ReviewService(configuration: configuration, templates: try templates(), store: store)
    }

    /// Campaign posts over this context's store.
    public func campaigns() throws -> CampaignService<SQLiteStore> {
        CampaignService(configuration: configuration, templates: try templates(), store: store)
    }

    /// Verifying the audit trail, checkpoints, retention and erasure.
    public var audit: AuditService<SQLiteStore> {
        AuditService(store: store, settings: configuration.audit, retention: configuration.retention)
    }

    /// API tokens.
    public var tokens: TokenService<SQLiteStore> {
        TokenService(store: store)
    }

    /// The services the HTTP API calls, over this context's store, with the templates loaded once (a change to them
    /// takes a restart of `herald serve`).
    public func apiServices() throws -> APIServices<SQLiteStore> {
        let templates = try templates()
        let operations = operations
        return APIServices(
            operations: operations, audit: audit, tokens: tokens, approvals: approvals(),
            reviews: { [configuration, store] in try ReviewService(configuration: configuration, templates: templates, store: store) },
            campaigns: CampaignService(configuration: configuration, templates: templates, store: store),
            channels: ChannelService(configuration: configuration, store: store),
            enqueue: EnqueueService(configuration: configuration, templates: templates, store: store),
            metrics: MetricsService(store: store),
            ready: { try await operations.checkWritable() }
        )
    }

    /// Approving held posts and press releases, by the approvers channels.yml names.
    public func approvals() -> Approvals<SQLiteStore> {
        Approvals(approvers: configuration.approvers, store: store)
    }
}
