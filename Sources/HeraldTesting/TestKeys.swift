import HeraldStore

/// Fixed keys for tests: a test's database and checkpoints are reproducible, and no test needs a secret from outside.
public enum TestKeys {
    /// "herald-test-audit-key-0123456789", base64.
    public static let auditText = "aGVyYWxkLXRlc3QtYXVkaXQta2V5LTAxMjM0NTY3ODk="
    /// "herald-test-signing-key-01234567", base64: any 32 bytes are an Ed25519 private key.
    public static let signingText = "aGVyYWxkLXRlc3Qtc2lnbmluZy1rZXktMDEyMzQ1Njc="

    public static var audit: AuditKey {
        // A constant of the right form: it cannot fail.
        try! AuditKey(base64: auditText)
    }

    public static var signing: AuditSigningKey {
        try! AuditSigningKey(base64: signingText)
    }
}
