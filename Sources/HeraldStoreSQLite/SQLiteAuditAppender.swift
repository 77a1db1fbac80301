import Foundation
import GRDB
import HeraldCore
import HeraldStore

/// Appends linked audit events inside the caller's write transaction, and moves the recorded head of the chain with
/// them. Made once per transaction: it reads the chain's head at the first event, so concurrent writers (other
/// processes) always extend the true tail, and a transaction that writes no event needs no key.
struct SQLiteAuditAppender {
    private let db: Database
    private let key: AuditKey?
    private var sequence: Int64 = 0
    private var previousHash = AuditChain.genesis
    private var started = false

    init(_ db: Database, key: AuditKey?) {
        self.db = db
        self.key = key
    }

    /// What an event of a message records beyond its entry: the state it left the message in and, on the events that
    /// set them (an enqueue, new content for new dates), the content and recipient digests. Callers on the hot paths
    /// pass the state they just wrote; others leave it to the appender to read. See docs/audit.md.
    struct MessageBinding {
        var state: MessageState
        var contentDigest: String? = nil
        var recipientDigest: String? = nil
    }

    /// Chains `entry`: the wording is `AuditEntry`'s, shared by every driver. `attempt` and `proofDigest` name the
    /// attempt whose outcome the event records.
    mutating func append(
        _ entry: AuditEntry, message: MessageID?, at date: Date, binding: MessageBinding? = nil, attempt: Int? = nil,
        proofDigest: String? = nil
    ) throws {
        let key = try start()
        var bound = binding
        if let message, bound == nil { bound = try Self.binding(of: message, db: db) }
        sequence += 1
        let noteDigest = AuditDigest.text(entry.note)
        let event = AuditEvent(
            sequence: sequence, messageID: message, atMillis: date.millis, event: entry.event, detail: entry.detail, noteDigest: noteDigest,
            state: bound?.state.rawValue, attempt: attempt, contentDigest: bound?.contentDigest, recipientDigest: bound?.recipientDigest,
            previousHash: previousHash, hash: ""
        )
        let hash = AuditChain.link(event, proofDigest: proofDigest, key: key)
        let insert = RawStatement(
            try db.cachedStatement(
                sql: """
                    INSERT INTO audit_events (seq, message_id, at, event, detail, prev_hash, hash, scheme, note_digest, state, attempt,
                                              content_digest, recipient_digest)
                    VALUES (?, ?, ?, ?, ?, ?, ?, \(AuditChain.keyedScheme), ?, ?, ?, ?, ?)
                    """
            )
        )
        insert.bind(1, sequence)
        insert.bind(2, message?.rawValue)
        insert.bind(3, event.atMillis)
        insert.bind(4, entry.event)
        insert.bind(5, entry.detail)
        insert.bind(6, previousHash)
        insert.bind(7, hash)
        insert.bind(8, noteDigest)
        insert.bind(9, event.state)
        insert.bind(10, attempt)
        insert.bind(11, event.contentDigest)
        insert.bind(12, event.recipientDigest)
        try insert.execute()
        if noteDigest != nil {
            try db.cachedStatement(sql: "INSERT INTO audit_notes (seq, note) VALUES (?, ?)").execute(arguments: [sequence, entry.note])
        }
        previousHash = hash
    }

    /// Reads the head at the first event, and refuses a trail made under another key: extending it would leave a
    /// chain that no single key verifies.
    private mutating func start() throws -> AuditKey {
        guard let key else { throw HeraldError(.audit, AuditKey.missingAdvice) }
        guard !started else { return key }
        if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash, key_id FROM audit_head WHERE id = 1")) {
            sequence = row["seq"]
            previousHash = row["hash"]
            if let recorded: String = row["key_id"], recorded != key.id {
                throw HeraldError(
                    .audit,
                    "The audit trail in this database is linked under another audit key (id \(recorded)) than the configured one (id \(key.id)): "
                        + "adding to it would break it. Configure the key it was made with."
                )
            }
        }
        started = true
        return key
    }

    static func binding(of message: MessageID, db: Database) throws -> MessageBinding? {
        let state = try String.fetchOne(db.cachedStatement(sql: "SELECT state FROM messages WHERE id = ?"), arguments: [message.rawValue])
        return state.flatMap(MessageState.init(rawValue:)).map { MessageBinding(state: $0) }
    }

    /// Stores the chain's new head and the key it is linked under; called once, at the end of the transaction.
    func recordHead() throws {
        guard started, let key else { return }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO audit_head (id, seq, hash, key_id) VALUES (1, ?, ?, ?)")
            .execute(arguments: [sequence, previousHash, key.id])
    }
}

extension Date {
    /// Milliseconds since 1970: how every time is stored, so stored values hash and compare exactly.
    var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    init(millis: Int64) {
        self.init(timeIntervalSince1970: Double(millis) / 1000)
    }
}
