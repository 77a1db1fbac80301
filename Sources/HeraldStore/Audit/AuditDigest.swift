import Crypto
import Foundation
import HeraldCore

/// The SHA-256 digests the audit trail binds in place of what may later be erased: a message's content and
/// recipient, a free-text note, an attempt's reply. What is still stored can be checked against its digest, and once
/// it is purged the digest alone keeps the chain whole.
public enum AuditDigest {
    /// The stored content (its JSON text) and the caller's data, as one value.
    public static func content(_ contentJSON: String, data: String) -> String {
        var fields = FieldBytes(capacity: contentJSON.utf8.count + data.utf8.count + 16)
        fields.add(contentJSON)
        fields.add(data)
        return fields.sha256()
    }

    public static func recipient(_ recipient: String) -> String {
        var fields = FieldBytes()
        fields.add(recipient)
        return fields.sha256()
    }

    /// A note or a reply; nil for none, so that an event without one binds nothing.
    public static func text(_ text: String) -> String? {
        guard !text.isEmpty else { return nil }
        var fields = FieldBytes(capacity: text.utf8.count + 8)
        fields.add(text)
        return fields.sha256()
    }

    /// What an attempt proves: when and by whom it ran, what the receiver answered (by digest) and the post it made.
    public static func proof(of attempt: AttemptRecord, replyDigest: String?) -> String {
        proof(
            number: attempt.number, startedAtMillis: Int64((attempt.startedAt.timeIntervalSince1970 * 1000).rounded()),
            durationMillis: Int64((attempt.duration * 1000).rounded()), outcome: attempt.outcome, status: attempt.status,
            replyDigest: replyDigest, postID: attempt.post?.id, postURL: attempt.post?.url, worker: attempt.worker
        )
    }

    /// The same from the stored columns, as verification reads them.
    public static func proof(
        number: Int, startedAtMillis: Int64, durationMillis: Int64, outcome: String, status: Int?, replyDigest: String?,
        postID: String?, postURL: String?, worker: String
    ) -> String {
        var fields = FieldBytes()
        fields.add(Int64(number))
        fields.add(startedAtMillis)
        fields.add(durationMillis)
        fields.add(outcome)
        fields.add(status)
        fields.add(replyDigest)
        fields.add(postID)
        fields.add(postURL)
        fields.add(worker)
        return fields.sha256()
    }
}
