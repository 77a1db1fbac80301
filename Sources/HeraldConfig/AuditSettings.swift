import Foundation
import HeraldStore

/// The `audit:` section: the keys the trail is linked and checkpointed under, and where checkpoints go.
/// docs/audit.md explains what each protects.
public struct AuditSettings: Sendable {
    /// The key of the chain; nil when none is configured (unless `insecure_unkeyed`, see `chainKey`).
    public var key: AuditKey?
    /// `insecure_unkeyed: true`: a demo that accepts a trail anyone with the database can rewrite.
    public var insecureUnkeyed = false
    public var signingKey: AuditSigningKey?
    /// Where the worker appends a checkpoint every `checkpointEvery`, if set.
    public var checkpointFile: String?
    public var checkpointEvery: TimeInterval = 3600
    /// A channel (and, for email, an address) that also receives each checkpoint, e.g. an auditor's mailbox.
    public var checkpointChannel: String?
    public var checkpointTo: String?

    public init() {}

    /// The key writes are linked under: the configured one, the well-known demo key, or none (then writes are refused).
    public var chainKey: AuditKey? {
        key ?? (insecureUnkeyed ? .unkeyed : nil)
    }
}

/// The `retention:` section: how long personal data is kept after a message is finished.
public struct RetentionSettings: Sendable, Equatable {
    /// Content, the caller's data, the receivers' replies and free-text notes; nil keeps them forever.
    public var content: TimeInterval? = 90 * 86_400
    /// Recipients' addresses and names; nil keeps them forever.
    public var recipients: TimeInterval? = 365 * 86_400

    public init() {}

    /// The cut-offs at `now`: messages finished before them lose their content, or their recipient.
    public func cutoffs(now: Date) -> (content: Date?, recipients: Date?) {
        (content.map { now.addingTimeInterval(-$0) }, recipients.map { now.addingTimeInterval(-$0) })
    }
}
