import Foundation
import GRDB
import HeraldCore
import HeraldStore

extension SQLiteStore {
    public func retry(_ ids: [MessageID], actor: String, now: Date) async throws -> [ActionOutcome] {
        let transition = MessageTransition.retry
        return try await auditedWrite("reschedule the messages") { db, audit in
            try ids.map { id in
                guard let row = try Row.fetchOne(db, sql: "SELECT state, deadline, content_purged_at FROM messages WHERE id = ?", arguments: [id.rawValue]),
                    let state = MessageState(rawValue: row["state"])
                else { return ActionOutcome(id: id, result: .notFound) }
                if let purged = (row["content_purged_at"] as Int64?).map(Date.init(millis:)) {
                    return ActionOutcome(
                        id: id,
                        result: .refused("its content was removed at \(RFC3339.format(purged)) (retention, or erasure on request); enqueue it anew to send it")
                    )
                }
                let gates = try Self.closedGates(of: id, db: db)
                guard transition.allows(state) else {
                    let gate = state == .held ? gates.first.map { "; \($0.explanation(for: id))" } ?? "" : ""
                    return ActionOutcome(id: id, result: .refused(transition.refusal(of: state) + gate))
                }
                if let deadline = (row["deadline"] as Int64?).map(Date.init(millis:)), deadline <= now {
                    return ActionOutcome(
                        id: id, result: .refused("its deadline passed at \(RFC3339.format(deadline)); sent now, it would arrive too late")
                    )
                }
                let destination = transition.destination(closedGates: gates)
                try db.execute(
                    sql: """
                        UPDATE messages SET state = ?, not_before = ?, retry_base = attempts, unanswered_since = NULL, updated_at = ?
                        WHERE id = ? AND state = ?
                        """,
                    arguments: [destination.rawValue, now.millis, now.millis, id.rawValue, state.rawValue]
                )
                let gate = destination == .held ? gates.first : nil
                try audit.append(.retried(by: actor, heldBy: gate, id: id), message: id, at: now)
                return ActionOutcome(id: id, result: .moved(destination, gate: gate))
            }
        }
    }

    public func retryDead(channel: String?, actor: String, now: Date) async throws -> [ActionOutcome] {
        let ids = try await read("find dead messages") { db in
            try String.fetchAll(
                db,
                sql: "SELECT id FROM messages WHERE state = 'dead' AND (:channel IS NULL OR channel = :channel) ORDER BY id",
                arguments: ["channel": channel]
            )
        }
        return try await retry(ids.map(MessageID.init(rawValue:)), actor: actor, now: now)
    }

    public func cancel(_ ids: [MessageID], actor: String, now: Date) async throws -> [MessageID] {
        let transition = MessageTransition.cancel
        return try await auditedWrite("cancel the messages") { db, audit in
            var changed: [MessageID] = []
            for id in ids {
                try db.execute(
                    sql: "UPDATE messages SET state = ?, updated_at = ? WHERE id = ? AND state IN \(transition.fromSQL)",
                    arguments: [transition.to.rawValue, now.millis, id.rawValue]
                )
                if db.changesCount > 0 {
                    try audit.append(.cancelled(by: actor), message: id, at: now)
                    changed.append(id)
                }
            }
            return changed
        }
    }

    public func resolveDelivered(_ id: MessageID, url: String, actor: String, now: Date) async throws -> Bool {
        let transition = MessageTransition.resolve
        return try await auditedWrite("record the post found by hand") { db, audit in
            try db.execute(
                sql: """
                    UPDATE messages SET state = ?, post_url = ?, last_detail = ?, updated_at = ?
                    WHERE id = ? AND state IN \(transition.fromSQL)
                    """,
                arguments: [transition.to.rawValue, url, "found by \(actor): \(url)", now.millis, id.rawValue]
            )
            guard db.changesCount > 0 else { return false }
            try audit.append(.resolved(by: actor, url: url), message: id, at: now)
            return true
        }
    }

    /// The gates still closed on a message: an approval not given, a review on hold.
    static func closedGates(of id: MessageID, db: Database) throws -> [MessageGate] {
        var gates: [MessageGate] = []
        let awaitingApproval = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM approvals WHERE message_id = ? AND approved_by IS NULL)", arguments: [id.rawValue]
        )
        if awaitingApproval == true { gates.append(.awaitingApproval) }
        if let row = try Row.fetchOne(
            db,
            sql: """
                SELECT v.reference, v.hold_reason FROM review_messages r JOIN reviews v ON v.reference = r.review_ref
                WHERE r.message_id = ? AND v.hold_reason IS NOT NULL
                """,
            arguments: [id.rawValue]
        ) {
            gates.append(.reviewOnHold(row["reference"], reason: row["hold_reason"]))
        }
        return gates
    }

    public func message(_ id: MessageID) async throws -> MessageDetail? {
        try await read("read the message") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(MessageRow.columns) FROM messages WHERE id = ?", arguments: [id.rawValue])
            else { return nil }
            return try Self.detail(of: MessageRow.message(from: row), db: db)
        }
    }

    public func messages(toAddress address: String) async throws -> (messages: [MessageDetail], reviews: [String]) {
        let addressed = Self.addressedSQL
        let arguments = Self.addressArguments(address)
        return try await read("find the person's messages") { db in
            let details = try Row.fetchAll(db, sql: "SELECT \(MessageRow.columns) FROM messages WHERE \(addressed) ORDER BY rowid", arguments: arguments)
                .map { try Self.detail(of: MessageRow.message(from: $0), db: db) }
            let reviews = try String.fetchAll(
                db,
                sql: "SELECT DISTINCT review_ref FROM review_messages WHERE message_id IN (SELECT id FROM messages WHERE \(addressed)) ORDER BY review_ref",
                arguments: arguments
            )
            return (details, reviews)
        }
    }

    /// A message with its attempts and audit events.
    static func detail(of message: Message, db: Database) throws -> MessageDetail {
        let events = try Row.fetchAll(db, sql: "\(auditEventSQL) WHERE e.message_id = ? ORDER BY e.seq", arguments: [message.id.rawValue])
            .map(Self.auditEvent(from:))
        return MessageDetail(message: message, attempts: try Self.attempts(of: message.id, db: db), events: events)
    }

    /// Messages to one address, whatever its case or display name (`Name <address>`): with `addressArguments`.
    static let addressedSQL = "lower(recipient) = :address OR lower(recipient) LIKE '%<' || :pattern || '>' ESCAPE '\\'"

    static func addressArguments(_ address: String) -> StatementArguments {
        let lowered = address.lowercased()
        return ["address": lowered, "pattern": likeEscaped(lowered)]
    }

    /// `%` and `_` in an address are letters, not LIKE patterns.
    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    public func messages(matching query: MessageQuery) async throws -> [Message] {
        try await read("list messages") { db in
            let (clauses, arguments) = Self.filter(query)
            return try Row.fetchAll(
                db,
                sql: "SELECT \(MessageRow.columns) FROM messages m \(clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")) "
                    + "ORDER BY id DESC LIMIT ?",
                arguments: StatementArguments(arguments + [query.limit])
            ).map(MessageRow.message(from:))
        }
    }

    /// The query's filters as SQL over `messages m`, only those given, so the planner can use the index each one has
    /// (state, channel, group) rather than scan every message.
    static func filter(_ query: MessageQuery) -> (clauses: [String], arguments: [(any DatabaseValueConvertible)?]) {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        func add(_ clause: String, _ values: (any DatabaseValueConvertible)?...) {
            clauses.append(clause)
            arguments.append(contentsOf: values)
        }
        if let state = query.state { add("m.state = ?", state.rawValue) }
        if let channel = query.channel { add("m.channel = ?", channel) }
        if let kind = query.kind { add("m.kind = ?", kind) }
        if let since = query.since { add("m.created_at >= ?", since.millis) }
        if let until = query.until { add("m.created_at < ?", until.millis) }
        if let from = query.dueFrom { add("m.not_before >= ?", from.millis) }
        if let before = query.dueBefore { add("m.not_before < ?", before.millis) }
        if let group = query.group { add("m.group_id = ?", group) }
        if let review = query.review {
            add("m.id IN (SELECT message_id FROM review_messages WHERE review_ref = ?)", review)
        }
        if let recipient = query.recipient?.lowercased() {
            add("(lower(m.recipient) = ? OR lower(m.recipient) LIKE ? ESCAPE '\\')", recipient, "%<" + likeEscaped(recipient) + ">")
        }
        if let subject = query.subject?.lowercased() {
            add("instr(lower(json_extract(m.content, '$.subject')), ?) > 0", subject)
        }
        if let before = query.before { add("m.id < ?", before.rawValue) }
        return (clauses, arguments)
    }

    public func checkWritable() async throws {
        try await write("check that the database can be written") { db in
            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_head")
        }
    }

    public func stateCounts() async throws -> StateCounts {
        try await read("count messages") { db in
            var counts: StateCounts = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM messages GROUP BY state") {
                if let state = MessageState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    static func attempts(of id: MessageID, db: Database) throws -> [AttemptRecord] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT number, started_at, duration_ms, outcome, status, detail, worker, post_id, post_url FROM attempts
                WHERE message_id = ? ORDER BY rowid
                """,
            arguments: [id.rawValue]
        ).map { row in
            AttemptRecord(
                number: row["number"], startedAt: Date(millis: row["started_at"]),
                duration: Double(row["duration_ms"] as Int64) / 1000, outcome: row["outcome"], status: row["status"],
                detail: row["detail"], worker: row["worker"],
                post: (row["post_id"] as String?).map { PublishedPost(id: $0, url: row["post_url"]) }
            )
        }
    }
}
