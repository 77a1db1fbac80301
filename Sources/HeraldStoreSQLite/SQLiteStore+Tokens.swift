import Foundation
import GRDB
import HeraldCore
import HeraldStore

extension SQLiteStore: TokenStore {
    public func createToken(name: String, digest: String, roles: [APIRole], actor: String, now: Date) async throws {
        try await auditedWrite("store the token") { db, audit in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM api_tokens WHERE name = ?)", arguments: [name]) == true {
                throw HeraldError(.conflict, "A token named \(name) exists already (revoked tokens keep their names). Choose another name.")
            }
            try db.execute(
                sql: "INSERT INTO api_tokens (name, digest, roles, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, digest, roles.map(\.rawValue).joined(separator: ","), now.millis, actor]
            )
            try audit.append(.tokenCreated(name, roles: roles, by: actor), message: nil, at: now)
        }
    }

    public func tokens() async throws -> [APIToken] {
        try await read("list the tokens") { db in
            try Row.fetchAll(db, sql: "SELECT name, roles, created_at, created_by, revoked_at FROM api_tokens ORDER BY name").map(Self.token(from:))
        }
    }

    public func revokeToken(name: String, actor: String, now: Date) async throws -> Bool {
        try await auditedWrite("revoke the token") { db, audit in
            try db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", arguments: [now.millis, name])
            guard db.changesCount > 0 else { return false }
            try audit.append(.tokenRevoked(name, by: actor), message: nil, at: now)
            return true
        }
    }

    public func token(digest: String) async throws -> APIToken? {
        try await read("check the token") { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT name, roles, created_at, created_by, revoked_at FROM api_tokens WHERE digest = ? AND revoked_at IS NULL"),
                arguments: [digest]
            ).map(Self.token(from:))
        }
    }

    private static func token(from row: Row) -> APIToken {
        let roles = (row["roles"] as String).split(separator: ",").compactMap { APIRole(rawValue: String($0)) }
        let revoked: Int64? = row["revoked_at"]
        return APIToken(
            name: row["name"], roles: roles, createdAt: Date(millis: row["created_at"]), createdBy: row["created_by"],
            revokedAt: revoked.map(Date.init(millis:))
        )
    }
}
