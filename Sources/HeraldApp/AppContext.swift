import Foundation
import HeraldConfig
import HeraldCore
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
public struct AppContext: Sendable {
    public var paths: AppPaths
    public var configuration: HeraldConfiguration
    public var store: SQLiteStore

    public static func open(_ paths: AppPaths) throws -> AppContext {
        let configuration = try ConfigurationLoader.load(path: paths.config)
        let store = try SQLiteStore(path: paths.database)
        return AppContext(paths: paths, configuration: configuration, store: store)
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
}
