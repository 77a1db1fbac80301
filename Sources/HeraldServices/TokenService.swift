import Foundation
import HeraldCore
import HeraldStore

/// API tokens: made here and shown once, kept in the store only as a digest, checked on every request.
public struct TokenService<Store: TokenStore>: Sendable {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// A new token for `name` with `roles`; the text returned is the only copy there will be.
    public func create(name: String, roles: [String], actor: String, now: Date) async throws -> String {
        try InputRules.name(name, field: "--name")
        guard !roles.isEmpty else {
            throw HeraldError(.invalidInput, "Give the token at least one --role: \(APIRole.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let parsed = try roles.map { text in
            guard let role = APIRole(rawValue: text.lowercased()) else {
                throw HeraldError(
                    .invalidInput,
                    "'\(InputRules.printable(text))' is not a role. Roles: \(APIRole.allCases.map(\.rawValue).joined(separator: ", "))."
                )
            }
            return role
        }
        let token = Self.newTokenText()
        try await store.createToken(name: name, digest: Self.digest(token), roles: Array(Set(parsed)).sorted(), actor: actor, now: now)
        return token
    }

    public func list() async throws -> [APIToken] {
        try await store.tokens()
    }

    public func revoke(name: String, actor: String, now: Date) async throws {
        guard try await store.revokeToken(name: name, actor: actor, now: now) else {
            throw HeraldError(.notFound, "No active token is named \(InputRules.printable(name)). List them with 'herald token list'.")
        }
    }

    /// The active token this text is, if any. Text that cannot be a token is not looked up.
    public func authenticate(_ text: String) async throws -> APIToken? {
        guard text.hasPrefix(Self.prefix), text.utf8.count == Self.prefix.utf8.count + 43,
            text.utf8.allSatisfy({ $0 < 0x80 && $0 > 0x20 })
        else { return nil }
        return try await store.token(digest: Self.digest(text))
    }

    static var prefix: String { "herald_" }

    /// `herald_` and 32 random bytes in unpadded base64url: recognisable in a leaked log, and unguessable.
    static func newTokenText() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let base64 = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + base64
    }

    static func digest(_ text: String) -> String {
        AuditDigest.recipient(text)
    }
}
