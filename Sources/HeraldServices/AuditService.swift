import Foundation
import HeraldConfig
import HeraldCore
import HeraldStore

/// The auditor's and the data protection officer's operations: verify the trail, sign a checkpoint, purge what the
/// retention policy no longer allows, erase one person's data. The CLI, the worker and the HTTP API all call these.
/// docs/audit.md says what each proves.
public struct AuditService<Store: AuditStore>: Sendable {
    let store: Store
    let settings: AuditSettings
    let retention: RetentionSettings

    public init(store: Store, settings: AuditSettings, retention: RetentionSettings) {
        self.store = store
        self.settings = settings
        self.retention = retention
    }

    /// Verifies the trail and, if given, compares it with every checkpoint in `checkpointFile`, checked against
    /// `publicKey` (base64) or else the configured signing key's public half.
    public func verify(checkpointFile: String?, publicKey: String?) async throws -> AuditVerification {
        let checkpoints = try checkpointFile.map(AuditCheckpoint.read(file:)) ?? []
        if checkpointFile != nil, checkpoints.isEmpty {
            throw HeraldError(.invalidInput, "\(checkpointFile ?? "") holds no checkpoint: there is nothing to compare the trail with.")
        }
        let key = try publicKey.map(AuditPublicKey.init(base64:)) ?? settings.signingKey?.publicKey
        return try await store.verifyAudit(checkpoints: checkpoints, publicKey: key)
    }

    /// A signed statement of the trail's head now.
    public func checkpoint(now: Date) async throws -> AuditCheckpoint {
        guard let signingKey = settings.signingKey else {
            throw HeraldError(
                .configuration,
                "No checkpoint signing key is configured. Make one with `herald audit init-key --signing --out /etc/herald/signing.key` "
                    + "and add `signing_key: file:/etc/herald/signing.key` under `audit:` in channels.yml."
            )
        }
        guard let key = settings.chainKey else { throw HeraldError(.audit, AuditKey.missingAdvice) }
        return try AuditCheckpoint.sign(try await store.auditHead(), at: now, keyID: key.id, with: signingKey)
    }

    /// Removes what the retention policy no longer allows (or, with `dryRun`, says what it would).
    public func purge(dryRun: Bool, now: Date) async throws -> PurgeReport {
        let cutoffs = retention.cutoffs(now: now)
        return try await store.purge(contentBefore: cutoffs.content, recipientsBefore: cutoffs.recipients, dryRun: dryRun, now: now)
    }

    /// Erases one person's data at their request; `reason` (the request's reference, the legal ground) is kept, as
    /// a note, with who decided.
    public func forget(recipient text: String, actor: String, reason: String, now: Date) async throws -> PurgeReport {
        let address = try EmailAddress.parse(text).address
        try InputRules.headerSafe(reason, field: "--reason", maximumLength: 500)
        return try await store.forget(address: address, actor: actor, reason: reason, now: now)
    }
}
