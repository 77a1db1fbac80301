import Foundation
import HeraldCore

/// Where the trail stood at one moment, signed: kept outside the database (an append-only file, an auditor's
/// mailbox), it lets `audit verify --checkpoints` prove that the trail still holds, and extends, what it held then —
/// which a chain alone cannot, since a chain cut short, or an older copy of the database, is still a valid chain.
public struct AuditCheckpoint: Sendable, Equatable, Codable {
    /// The sequence number of the newest event covered, and its link.
    public var sequence: Int64
    public var head: String
    public var at: String
    /// How many messages had been stored by then.
    public var messages: Int64
    /// The audit key's fingerprint: a trail re-chained under another key cannot match.
    public var keyID: String
    public var publicKey: String
    public var signature: String

    enum CodingKeys: String, CodingKey {
        case sequence, head, at, messages
        case keyID = "key_id"
        case publicKey = "public_key"
        case signature
    }

    /// What the signature covers, one field per line.
    var signedText: String {
        "herald-checkpoint-1\n\(sequence)\n\(head)\n\(at)\n\(messages)\n\(keyID)\n\(publicKey)"
    }

    public static func sign(_ state: AuditHead, at date: Date, keyID: String, with key: AuditSigningKey) throws -> AuditCheckpoint {
        var checkpoint = AuditCheckpoint(
            sequence: state.sequence, head: state.link, at: RFC3339.format(date), messages: state.messages, keyID: keyID,
            publicKey: key.publicKeyText, signature: ""
        )
        checkpoint.signature = try key.sign(checkpoint.signedText)
        return checkpoint
    }

    /// One line of JSON, as the checkpoint file holds it.
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Reads a checkpoint file: one JSON object per line, blank lines skipped. Errors name the file and the line.
    public static func read(file path: String) throws -> [AuditCheckpoint] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HeraldError(.invalidInput, "Cannot read the checkpoint file \(path).")
        }
        guard data.count <= 64 << 20 else {
            throw HeraldError(.invalidInput, "\(path) is larger than 64 MB: it is not a checkpoint file.")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw HeraldError(.invalidInput, "\(path) is not UTF-8 text: it is not a checkpoint file.")
        }
        var checkpoints: [AuditCheckpoint] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard trimmed.utf8.count <= 4096, let checkpoint = try? JSONDecoder().decode(AuditCheckpoint.self, from: Data(trimmed.utf8)),
                checkpoint.sequence >= 0, checkpoint.messages >= 0
            else {
                throw HeraldError(.invalidInput, "\(path):\(index + 1): not a checkpoint as `herald audit checkpoint` writes one.")
            }
            checkpoints.append(checkpoint)
        }
        return checkpoints
    }

    /// Compares this checkpoint with the trail as it is now; nil when the trail still holds and extends it.
    /// `observed` is what the trail holds at `sequence` (nil when it ends before).
    public func fault(publicKey: AuditPublicKey, keyID: String, trailEnd: Int64, observed: AuditHead?) -> String? {
        let name = "the checkpoint of \(at) (event \(sequence))"
        guard let signer = try? AuditPublicKey(base64: self.publicKey), signer == publicKey,
            publicKey.isValidSignature(signature, for: signedText)
        else {
            return "\(name) is not signed by the configured signing key: it was forged or altered"
        }
        if self.keyID != keyID {
            return "\(name) was made under another audit key (\(self.keyID), configured \(keyID))"
        }
        guard let observed else {
            return "\(name) covers more than the trail holds, which ends at event \(trailEnd): newer events were deleted, or an older copy of the database restored"
        }
        if observed.link != head {
            return "event \(sequence) differs from \(name): the trail up to it was rewritten"
        }
        if observed.messages != messages {
            return "\(name) counted \(messages) messages up to event \(sequence), the trail now \(observed.messages): messages were deleted or added"
        }
        return nil
    }
}

/// The trail's state at one event: its sequence number, its link, and how many messages had been stored by then.
public struct AuditHead: Sendable, Equatable {
    public var sequence: Int64
    public var link: String
    public var messages: Int64

    public init(sequence: Int64, link: String, messages: Int64) {
        self.sequence = sequence
        self.link = link
        self.messages = messages
    }
}
