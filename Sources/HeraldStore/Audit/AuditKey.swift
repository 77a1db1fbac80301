import Crypto
import Foundation
import HeraldCore

/// The secret under which every link of the audit chain is an HMAC-SHA256. It is kept outside the database
/// (channels.yml names it as `${ENV}` or `file:`), so someone who can write the database but not read the key cannot
/// re-chain it after an edit. See docs/audit.md.
public struct AuditKey: Sendable {
    /// HMAC's two hashes with the padded key already absorbed (RFC 2104): every link starts from copies of these,
    /// which costs a tenth of `HMAC<SHA256>` fed field by field through its generic `update(data:)`.
    private let innerStart: SHA256
    private let outerStart: SHA256
    /// A short public fingerprint of the key, stored with the chain's head so that a trail is never extended, or
    /// checked, under another key without saying so.
    public let id: String
    /// The well-known key of `insecure_unkeyed: true`: links anyone can recompute, for demos only.
    public let isUnkeyed: Bool

    init(key: SymmetricKey, isUnkeyed: Bool) {
        self.isUnkeyed = isUnkeyed
        var block = key.withUnsafeBytes { bytes in bytes.count > 64 ? Array(SHA256.hash(data: bytes)) : Array(bytes) }
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = SHA256()
        var outer = SHA256()
        block.map { $0 ^ 0x36 }.withUnsafeBytes { inner.update(bufferPointer: $0) }
        block.map { $0 ^ 0x5c }.withUnsafeBytes { outer.update(bufferPointer: $0) }
        innerStart = inner
        outerStart = outer
        let fingerprint = HMAC<SHA256>.authenticationCode(for: Data("herald audit key id".utf8), using: key)
        id = AuditChain.hex(Array(fingerprint).prefix(8))
    }

    /// Reads a key as `herald audit init-key` writes it: base64 of at least 32 random bytes. The error never repeats
    /// the text, which is a secret.
    public init(base64 text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(base64Encoded: trimmed), bytes.count >= 32, bytes.count <= 1024 else {
            throw HeraldError(
                .configuration,
                "the audit key is not base64 of 32 or more bytes. Make one with `herald audit init-key --out audit.key`."
            )
        }
        self.init(key: SymmetricKey(data: bytes), isUnkeyed: false)
    }

    /// Links that need no secret: anyone who can write the database can re-chain it.
    public static let unkeyed = AuditKey(key: SymmetricKey(data: SHA256.hash(data: Data("herald: unkeyed audit chain".utf8))), isUnkeyed: true)

    /// A new key's text: 32 bytes from the system's secure generator, base64.
    public static func generateText() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// What to do when no key is configured; shared by the worker's refusal and every write that would chain.
    public static let missingAdvice =
        "No audit key is configured, so Herald will not write to the audit trail. Make one with "
        + "`herald audit init-key --out /etc/herald/audit.key` and add `audit: { key: file:/etc/herald/audit.key }` to channels.yml "
        + "(or set `audit: { insecure_unkeyed: true }` for a demo, whose trail anyone with the database can rewrite)."

    /// HMAC-SHA256 of the fields.
    func authenticate(_ fields: FieldBytes) -> String {
        var inner = innerStart
        fields.bytes.withUnsafeBytes { inner.update(bufferPointer: $0) }
        var outer = outerStart
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return AuditChain.hex(outer.finalize())
    }
}
