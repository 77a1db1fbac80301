import Crypto
import Foundation
import HeraldCore

/// The SHA-256 digests the audit trail binds in place of what may later be erased: a message's content and
/// recipient, a free-text note, an attempt's reply. What is still stored can be checked against its digest, and once
/// it is purged the digest alone keeps the chain whole.
public enum AuditDigest {
    /// The stored content (its JSON text) and the caller's data, as one value.
    public static func content(_ contentJSON: String, data: String) -> String {
        of([contentJSON, data])
    }

    public static func recipient(_ recipient: String) -> String {
        of([recipient])
    }

    /// A note or a reply; nil for none, so that an event without one binds nothing.
    public static func text(_ text: String) -> String? {
        text.isEmpty ? nil : of([text])
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
        of([
            String(number), String(startedAtMillis), String(durationMillis), outcome, status.map(String.init) ?? "", replyDigest ?? "",
            postID ?? "", postURL ?? "", worker,
        ])
    }

    static func of(_ fields: [String]) -> String {
        var hasher = SHA256()
        feed(fields) { hasher.update(bufferPointer: $0) }
        return AuditChain.hex(Array(hasher.finalize()))
    }

    /// Hands each field to `update` as its UTF-8 length, a colon, then its bytes.
    static func feed(_ fields: [String], _ update: (UnsafeRawBufferPointer) -> Void) {
        for field in fields {
            var text = field
            text.withUTF8 { bytes in
                var prefix = String(bytes.count)
                prefix.append(":")
                prefix.withUTF8 { update(UnsafeRawBufferPointer($0)) }
                update(UnsafeRawBufferPointer(bytes))
            }
        }
    }
}
