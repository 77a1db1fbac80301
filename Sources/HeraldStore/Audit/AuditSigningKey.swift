import Crypto
import Foundation
import HeraldCore

/// The Ed25519 key that signs checkpoints. Kept outside the database like the audit key, and preferably by someone
/// else: whoever holds only the public half can check a checkpoint, not make one.
public struct AuditSigningKey: Sendable {
    let key: Curve25519.Signing.PrivateKey

    /// Reads a key as `herald audit init-key --signing` writes it: base64 of the 32-byte private key. The error never
    /// repeats the text.
    public init(base64 text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(base64Encoded: trimmed), bytes.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes) else {
            throw HeraldError(
                .configuration,
                "the checkpoint signing key is not base64 of a 32-byte Ed25519 key. Make one with `herald audit init-key --signing --out signing.key`."
            )
        }
        self.key = key
    }

    /// The public half, base64: what a checkpoint carries and what `audit verify --public-key` takes.
    public var publicKeyText: String {
        key.publicKey.rawRepresentation.base64EncodedString()
    }

    public var publicKey: AuditPublicKey {
        AuditPublicKey(key.publicKey)
    }

    func sign(_ text: String) throws -> String {
        try key.signature(for: Data(text.utf8)).base64EncodedString()
    }

    public static func generateText() -> String {
        Curve25519.Signing.PrivateKey().rawRepresentation.base64EncodedString()
    }
}

/// The half of the signing key that checks checkpoints.
public struct AuditPublicKey: Sendable, Equatable {
    let key: Curve25519.Signing.PublicKey

    init(_ key: Curve25519.Signing.PublicKey) {
        self.key = key
    }

    public init(base64 text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(base64Encoded: trimmed), bytes.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else {
            throw HeraldError(.invalidInput, "the checkpoint public key is not base64 of a 32-byte Ed25519 public key.")
        }
        self.key = key
    }

    public var text: String { key.rawRepresentation.base64EncodedString() }

    public static func == (lhs: AuditPublicKey, rhs: AuditPublicKey) -> Bool {
        lhs.key.rawRepresentation == rhs.key.rawRepresentation
    }

    func isValidSignature(_ signature: String, for text: String) -> Bool {
        guard let bytes = Data(base64Encoded: signature), bytes.count == 64 else { return false }
        return key.isValidSignature(bytes, for: Data(text.utf8))
    }
}
