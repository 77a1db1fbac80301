import Foundation

/// What a caller of the HTTP API may do. A token holds one or more roles; `docs/api.md` lists the routes of each.
public enum APIRole: String, Sendable, CaseIterable, Codable, Comparable {
    /// Enqueues messages, plans reviews, loads campaigns.
    case scheduler
    /// Reads, retries, cancels, resolves; sees the channels.
    case `operator`
    /// Reads and approves press releases and campaign posts.
    case approver
    /// Reads and verifies the audit trail.
    case auditor

    public static func < (lhs: APIRole, rhs: APIRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A named API token as stored: its name and roles, never the token itself (only a digest of it is kept).
public struct APIToken: Sendable, Equatable {
    public var name: String
    public var roles: [APIRole]
    public var createdAt: Date
    public var createdBy: String
    public var revokedAt: Date?

    public init(name: String, roles: [APIRole], createdAt: Date, createdBy: String, revokedAt: Date? = nil) {
        self.name = name
        self.roles = roles
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = revokedAt
    }
}

/// The API's tokens. Creating and revoking one are audited.
public protocol TokenStore: Sendable {
    /// Stores a new token under `name`; refused (`conflict`) when the name is taken, even by a revoked token, so a
    /// name in the audit trail always means one token.
    func createToken(name: String, digest: String, roles: [APIRole], actor: String, now: Date) async throws
    func tokens() async throws -> [APIToken]
    /// Whether a token of that name was active and is now revoked.
    func revokeToken(name: String, actor: String, now: Date) async throws -> Bool
    /// The active token whose digest this is.
    func token(digest: String) async throws -> APIToken?
}
