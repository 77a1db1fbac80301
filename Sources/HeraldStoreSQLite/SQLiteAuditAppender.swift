import Foundation
import GRDB
import HeraldCore
import HeraldStore

/// Appends hash-chained audit events inside the caller's write transaction, and moves the recorded head of the
/// chain with them, so deleting the newest events is detected too. Made once per transaction:
/// it reads the chain's head once, so concurrent writers (other processes) always extend the true tail.
struct SQLiteAuditAppender {
    private let db: Database
    private var sequence: Int64
    private var previousHash: String
    private var appended = false

    init(_ db: Database) throws {
        self.db = db
        if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_head WHERE id = 1")) {
            sequence = row["seq"]
            previousHash = row["hash"]
        } else {
            sequence = 0
            previousHash = AuditChain.genesis
        }
    }

    /// Chains `entry`: the wording is `AuditEntry`'s, shared by every driver.
    mutating func append(_ entry: AuditEntry, message: MessageID?, at date: Date) throws {
        try append(entry.event, message: message, detail: entry.detail, at: date)
    }

    private mutating func append(_ event: String, message: MessageID?, detail: String, at date: Date) throws {
        sequence += 1
        let atMillis = date.millis
        let hash = AuditChain.hash(
            previousHash: previousHash, sequence: sequence, messageID: message, atMillis: atMillis, event: event, detail: detail
        )
        let insert = RawStatement(
            try db.cachedStatement(
                sql: "INSERT INTO audit_events (seq, message_id, at, event, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)"
            )
        )
        insert.bind(1, sequence)
        insert.bind(2, message?.rawValue)
        insert.bind(3, atMillis)
        insert.bind(4, event)
        insert.bind(5, detail)
        insert.bind(6, previousHash)
        insert.bind(7, hash)
        try insert.execute()
        previousHash = hash
        appended = true
    }

    /// Stores the chain's new head; called once, at the end of the transaction.
    func recordHead() throws {
        guard appended else { return }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO audit_head (id, seq, hash) VALUES (1, ?, ?)")
            .execute(arguments: [sequence, previousHash])
    }
}

extension Date {
    /// Milliseconds since 1970: how every time is stored, so stored values hash and compare exactly.
    var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    init(millis: Int64) {
        self.init(timeIntervalSince1970: Double(millis) / 1000)
    }
}
