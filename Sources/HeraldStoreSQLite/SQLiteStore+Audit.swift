import Foundation
import GRDB
import HeraldCore
import HeraldStore

extension SQLiteStore {
    /// An event with its note, by position (see `auditEvent(from:)`).
    static let auditEventSQL = """
        SELECT e.seq, e.message_id, e.at, e.event, e.detail, n.note, e.note_digest, e.state, e.attempt, e.scheme, e.prev_hash, e.hash,
               e.content_digest, e.recipient_digest
        FROM audit_events e LEFT JOIN audit_notes n ON n.seq = e.seq
        """

    static func auditEvent(from row: Row) -> AuditEvent {
        let message: String? = row[1]
        return AuditEvent(
            sequence: row[0], messageID: message.map(MessageID.init(rawValue:)), atMillis: row[2], event: row[3], detail: row[4],
            note: row[5], noteDigest: row[6], state: row[7], attempt: row[8], contentDigest: row[12], recipientDigest: row[13], scheme: row[9],
            previousHash: row[10], hash: row[11]
        )
    }

    /// Every event, whether its message is still stored, and its attempt's columns as stored now.
    private static let verifySQL = """
        SELECT e.seq, e.message_id, e.at, e.event, e.detail, n.note, e.note_digest, e.state, e.attempt, e.scheme, e.prev_hash, e.hash,
               e.content_digest, e.recipient_digest, m.id IS NOT NULL,
               a.rowid IS NOT NULL, a.started_at, a.duration_ms, a.outcome, a.status, a.reply_digest, a.post_id, a.post_url, a.worker
        FROM audit_events e
        LEFT JOIN audit_notes n ON n.seq = e.seq
        LEFT JOIN messages m ON m.id = e.message_id
        LEFT JOIN attempts a ON e.attempt IS NOT NULL AND a.message_id = e.message_id AND a.number = e.attempt
        ORDER BY e.seq
        """

    /// Each message against its digests and its last event's state; the digests its events set last.
    private static let verifyMessagesSQL = """
        SELECT m.id, m.state, m.content, m.data, m.recipient, m.content_purged_at, m.recipient_purged_at,
               (SELECT e.state FROM audit_events e WHERE e.message_id = m.id ORDER BY e.seq DESC LIMIT 1),
               (SELECT e.scheme FROM audit_events e WHERE e.message_id = m.id ORDER BY e.seq DESC LIMIT 1),
               (SELECT e.content_digest FROM audit_events e WHERE e.message_id = m.id AND e.content_digest IS NOT NULL ORDER BY e.seq DESC LIMIT 1),
               (SELECT e.recipient_digest FROM audit_events e WHERE e.message_id = m.id AND e.recipient_digest IS NOT NULL ORDER BY e.seq DESC LIMIT 1)
        FROM messages m ORDER BY m.rowid
        """

    /// Each attempt against its reply digest, and whether an event binds it (or its message predates keyed events).
    private static let verifyAttemptsSQL = """
        SELECT a.message_id, a.number, a.detail, a.reply_digest, m.content_purged_at,
               EXISTS (SELECT 1 FROM audit_events e WHERE e.message_id = a.message_id AND e.attempt = a.number AND e.scheme = \(AuditChain.keyedScheme)),
               EXISTS (SELECT 1 FROM audit_events e WHERE e.message_id = a.message_id AND e.scheme = \(AuditChain.legacyScheme))
        FROM attempts a LEFT JOIN messages m ON m.id = a.message_id ORDER BY a.rowid
        """

    /// How many messages the trail has stored, counted as checkpoints count them: by their `enqueued` events.
    private static let enqueuedCountSQL =
        "SELECT count(*) FROM audit_events e JOIN messages m ON m.id = e.message_id WHERE e.event = 'enqueued' AND e.seq <= ?"

    /// Beyond this many, faults are counted but not described: the first ones say where the trail was changed.
    private static let faultsKept = 1000

    public func verifyAudit(checkpoints: [AuditCheckpoint], publicKey: AuditPublicKey?) async throws -> AuditVerification {
        guard let key = auditKey else { throw HeraldError(.audit, AuditKey.missingAdvice) }
        if !checkpoints.isEmpty, publicKey == nil {
            throw HeraldError(
                .audit, "Checking checkpoints needs the signing key's public half: configure `audit: { signing_key: … }` or pass --public-key."
            )
        }
        return try await read("read the audit trail") { db in
            var faults = FaultList(limit: Self.faultsKept)
            if let recorded = try String.fetchOne(db, sql: "SELECT key_id FROM audit_head WHERE id = 1"), recorded != key.id {
                faults.add(
                    "the trail is linked under another audit key (id \(recorded)) than the configured one (id \(key.id)): configure the key it was made with"
                )
                return AuditVerification(eventsChecked: 0, faults: faults.items)
            }
            let wanted = Set(checkpoints.map(\.sequence))
            var observed: [Int64: AuditHead] = [:]
            var verifier = AuditChain.Verifier(key: key)
            var enqueued: Int64 = 0
            let events = try Row.fetchCursor(db, sql: Self.verifySQL)
            while let row = try events.next() {
                let event = Self.auditEvent(from: row)
                let hasMessage: Bool = row[14]
                let hasAttempt: Bool = row[15]
                let proof =
                    hasAttempt
                    ? AuditDigest.proof(
                        number: event.attempt ?? 0, startedAtMillis: row[16], durationMillis: row[17], outcome: row[18], status: row[19],
                        replyDigest: row[20], postID: row[21], postURL: row[22], worker: row[23]
                    ) : nil
                if let fault = verifier.check(event, proofDigest: proof) { faults.add(fault) }
                if let id = event.messageID, !hasMessage {
                    faults.add("event \(event.sequence) (\(event.event)) names message \(id), which is no longer stored: it was deleted")
                }
                if let attempt = event.attempt, let id = event.messageID, hasMessage, !hasAttempt {
                    faults.add("event \(event.sequence) records attempt \(attempt) of message \(id), which is no longer stored: it was deleted")
                }
                if let note = event.note, AuditDigest.text(note) != event.noteDigest {
                    faults.add("the note of event \(event.sequence) was changed: it no longer matches its digest")
                }
                if event.event == "enqueued", hasMessage { enqueued += 1 }
                if wanted.contains(event.sequence) {
                    observed[event.sequence] = AuditHead(sequence: event.sequence, link: event.hash, messages: enqueued)
                }
            }
            if verifier.legacyEvents > 0, !verifier.keyedSeen {
                faults.add(
                    "the trail holds only events in the old unkeyed form (\(verifier.legacyEvents)), which anyone could have rewritten: "
                        + "Herald links them under the key when it first opens the database for writing with one"
                )
            }
            let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_head WHERE id = 1")
            let headSequence: Int64 = head?["seq"] ?? 0
            let headHash: String = head?["hash"] ?? AuditChain.genesis
            if headSequence != verifier.lastSequence || headHash != verifier.expectedPrevious {
                faults.add(
                    "the trail ends at event \(verifier.lastSequence) but its recorded head is event \(headSequence): events were deleted or the head altered"
                )
            }
            let (messages, purged) = try Self.verifyMessages(db, faults: &faults)
            try Self.verifyAttempts(db, faults: &faults)
            if let publicKey {
                for checkpoint in checkpoints {
                    if let fault = checkpoint.fault(
                        publicKey: publicKey, keyID: key.id, trailEnd: verifier.lastSequence, observed: observed[checkpoint.sequence]
                    ) {
                        faults.add(fault)
                    }
                }
            }
            return AuditVerification(
                eventsChecked: verifier.checked, messagesChecked: messages, messagesPurged: purged, legacyEvents: verifier.legacyEvents,
                checkpointsChecked: checkpoints.count, faults: faults.items
            )
        }
    }

    /// Each message's content and recipient (where still held) against its digests, and its state against its last
    /// event. Returns how many messages were checked and how many are purged.
    private static func verifyMessages(_ db: Database, faults: inout FaultList) throws -> (Int, Int) {
        var checked = 0
        var purged = 0
        let rows = try Row.fetchCursor(db, sql: verifyMessagesSQL)
        while let row = try rows.next() {
            checked += 1
            let id: String = row[0]
            let state: String = row[1]
            let contentPurged = (row[5] as Int64?) != nil
            let recipientPurged = (row[6] as Int64?) != nil
            if contentPurged || recipientPurged { purged += 1 }
            let lastState: String? = row[7]
            let lastScheme: Int? = row[8]
            guard let lastScheme else {
                faults.add("message \(id) has no audit events: it was added outside Herald, or its events were deleted")
                continue
            }
            if lastScheme == AuditChain.keyedScheme, lastState != state {
                faults.add("message \(id) is \(state) but its last event left it \(lastState ?? "without a state"): its state was changed")
            }
            let contentDigest: String? = row[9]
            let recipientDigest: String? = row[10]
            if contentDigest == nil || recipientDigest == nil {
                faults.add("message \(id) has no event that sets its digests: its events were deleted or forged")
                continue
            }
            if !contentPurged, contentDigest != AuditDigest.content(row[2], data: row[3]) {
                faults.add("the content of message \(id) was changed: it no longer matches the digest its events set")
            }
            if !recipientPurged, recipientDigest != AuditDigest.recipient(row[4]) {
                faults.add("the recipient of message \(id) was changed: it no longer matches the digest its events set")
            }
        }
        return (checked, purged)
    }

    /// Each attempt's reply (where still held) against its digest, and each attempt bound by an event.
    private static func verifyAttempts(_ db: Database, faults: inout FaultList) throws {
        let rows = try Row.fetchCursor(db, sql: verifyAttemptsSQL)
        while let row = try rows.next() {
            let id: String = row[0]
            let number: Int = row[1]
            let reply: String = row[2]
            let replyDigest: String? = row[3]
            let purged = (row[4] as Int64?) != nil
            if !purged, AuditDigest.text(reply) != replyDigest {
                faults.add("the reply to attempt \(number) of message \(id) was changed: it no longer matches its digest")
            }
            let bound: Bool = row[5]
            let legacy: Bool = row[6]
            if !bound, !legacy {
                faults.add("attempt \(number) of message \(id) is recorded by no event: it was added outside Herald")
            }
        }
    }

    /// Whether this open brings a trail written before the chain was keyed up to date: only then is it linked under
    /// the key. (Deciding from the trail itself would let anyone who turned a keyed trail back into the old form
    /// have it linked, and so laundered, by the next Herald that opens it.)
    static func legacyTrailToLink(_ pool: any DatabaseWriter) throws -> Bool {
        try pool.read { db in
            guard try db.tableExists("audit_events"), !(try migrator.appliedIdentifiers(db).contains(keyedAuditMigration)) else { return false }
            return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM audit_events)") ?? false
        }
    }

    /// Appends the first keyed event, which links every old event under the key, and for each message stored before
    /// one that sets its digests, so its content and recipient are bound from then on.
    static func linkLegacyTrail(_ pool: any DatabaseWriter, key: AuditKey) throws {
        try pool.write { db in
            var audit = SQLiteAuditAppender(db, key: key)
            let now = Date()
            try audit.append(.chainKeyed, message: nil, at: now)
            for id in try String.fetchAll(db, sql: "SELECT id FROM messages ORDER BY rowid").map(MessageID.init(rawValue:)) {
                try audit.append(.digestsRecorded, message: id, at: now, binding: try digestBinding(of: id, db: db))
            }
            try audit.recordHead()
        }
    }

    /// A message's state and its digests as stored now, for an event that sets them.
    static func digestBinding(of id: MessageID, db: Database) throws -> SQLiteAuditAppender.MessageBinding? {
        guard let row = try Row.fetchOne(db, sql: "SELECT state, content, data, recipient FROM messages WHERE id = ?", arguments: [id.rawValue]),
            let state = MessageState(rawValue: row[0])
        else { return nil }
        return .init(state: state, contentDigest: AuditDigest.content(row[1], data: row[2]), recipientDigest: AuditDigest.recipient(row[3]))
    }

    public func auditHead() async throws -> AuditHead {
        try await read("read the audit trail's head") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1") else {
                return AuditHead(sequence: 0, link: AuditChain.genesis, messages: 0)
            }
            let sequence: Int64 = row["seq"]
            let messages = try Int64.fetchOne(db, sql: Self.enqueuedCountSQL, arguments: [sequence]) ?? 0
            return AuditHead(sequence: sequence, link: row["hash"], messages: messages)
        }
    }
}

/// Faults in the order found, the first `limit` described and the rest counted.
struct FaultList {
    let limit: Int
    private(set) var items: [String] = []
    private var dropped = 0

    init(limit: Int) {
        self.limit = limit
    }

    mutating func add(_ fault: String) {
        if items.count < limit {
            items.append(fault)
        } else {
            dropped += 1
            items[limit - 1] = "… and \(dropped + 1) more faults"
        }
    }
}
