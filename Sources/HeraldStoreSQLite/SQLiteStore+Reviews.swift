import Foundation
import GRDB
import HeraldCore
import HeraldStore

extension SQLiteStore: ReviewStore {
    static let pendingStates = "('held', 'scheduled', 'retrying')"

    public func createReview(_ review: ReviewRecord, steps: [ReviewStepGroup], actor: String, now: Date) async throws -> [EnqueueResult] {
        let results = try await auditedWrite("store the review") { db, audit in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM reviews WHERE reference = ?", arguments: [review.reference]) == true {
                throw HeraldError.reviewAlreadyPlanned(review.reference)
            }
            try db.execute(
                sql: """
                    INSERT INTO reviews (reference, type, title, signed_off, publish, learning_event, status, hold_reason, held_by,
                                         held_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'planned', ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    review.reference, review.type, review.title, review.signedOff, review.publish, review.learningEvent,
                    review.hold?.reason, review.hold?.by, review.hold?.at.millis, now.millis, now.millis,
                ]
            )
            try audit.append(.reviewPlanned(review, by: actor), message: nil, at: now)
            if let hold = review.hold {
                try audit.append(.reviewHeld(review.reference, by: hold.by, reason: hold.reason), message: nil, at: now)
            }
            return try Self.insertSteps(steps, reference: review.reference, actor: actor, db: db, audit: &audit, now: now)
        }
        return results
    }

    public func addReviewMessages(_ reference: String, steps: [ReviewStepGroup], actor: String, now: Date) async throws -> [EnqueueResult] {
        let results = try await auditedWrite("add to the review") { db, audit in
            _ = try Self.requireReview(reference, db: db)
            return try Self.insertSteps(steps, reference: reference, actor: actor, db: db, audit: &audit, now: now)
        }
        return results
    }

    static func insertSteps(
        _ steps: [ReviewStepGroup], reference: String, actor: String, db: Database, audit: inout SQLiteAuditAppender, now: Date
    ) throws -> [EnqueueResult] {
        let results = try insert(steps.map(\.group), db: db, audit: &audit, now: now)
        for step in steps {
            for message in step.group.messages {
                try db.execute(
                    sql: "INSERT INTO review_messages (message_id, review_ref, step) VALUES (?, ?, ?)",
                    arguments: [message.id.rawValue, reference, step.step]
                )
                if step.needsApproval {
                    try db.execute(sql: "INSERT INTO approvals (message_id, requested_by) VALUES (?, ?)", arguments: [message.id.rawValue, actor])
                }
            }
        }
        return results
    }

    public func review(_ reference: String) async throws -> ReviewRecord? {
        try await read("read the review") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM reviews WHERE reference = ?", arguments: [reference]).map(Self.review(from:))
        }
    }

    public func reviewMessages(_ reference: String) async throws -> [ReviewMessage] {
        try await read("read the review's messages") { db in
            let prefixed = MessageRow.columns.split(separator: ",").map { "m.\($0.trimmingCharacters(in: .whitespaces))" }.joined(separator: ", ")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(prefixed), r.step, a.message_id AS needs_approval, a.approved_by, a.approved_at
                    FROM review_messages r JOIN messages m ON m.id = r.message_id
                    LEFT JOIN approvals a ON a.message_id = r.message_id
                    WHERE r.review_ref = ? ORDER BY m.not_before, r.step, m.recipient, m.id
                    """,
                arguments: [reference]
            )
            return try rows.map { row in
                let message = try MessageRow.message(from: row)
                let approval: Approval? =
                    (row["needs_approval"] as String?) == nil
                    ? nil : Approval(approvedBy: row["approved_by"], approvedAt: (row["approved_at"] as Int64?).map(Date.init(millis:)))
                return ReviewMessage(step: row["step"], message: message, attempts: try Self.attempts(of: message.id, db: db), approval: approval)
            }
        }
    }

    public func rescheduleReview(
        _ reference: String, publish: String, learningEvent: String?, moves: [ReviewMove], actor: String, now: Date
    ) async throws -> [MessageID] {
        let moved = try await auditedWrite("reschedule the review") { db, audit in
            let review = try Self.requireReview(reference, db: db)
            guard review.status == .planned else {
                throw HeraldError(.conflict, "Review \(reference) is \(review.status.rawValue); only a planned review can be moved.")
            }
            var moved: [MessageID] = []
            for move in moves {
                let content = MessageRow.encodeContent(move.content)
                try db.execute(
                    sql: """
                        UPDATE messages SET not_before = ?, content = ?, updated_at = ?
                        WHERE id = ? AND state IN \(Self.pendingStates)
                          AND id IN (SELECT message_id FROM review_messages WHERE review_ref = ?)
                        """,
                    arguments: [move.notBefore.millis, content, now.millis, move.id.rawValue, reference]
                )
                if db.changesCount > 0 {
                    // The content is rendered anew for the new dates: the event sets its new digest.
                    let binding = try Self.digestBinding(of: move.id, db: db)
                    try audit.append(.rescheduled(to: move.notBefore, by: actor), message: move.id, at: now, binding: binding)
                    moved.append(move.id)
                }
            }
            try db.execute(
                sql: "UPDATE reviews SET publish = ?, learning_event = ?, updated_at = ? WHERE reference = ?",
                arguments: [publish, learningEvent, now.millis, reference]
            )
            try audit.append(
                .reviewRescheduled(reference, from: review.publish, to: publish, moved: moved.count, by: actor), message: nil, at: now
            )
            return moved
        }
        return moved
    }

    public func holdReview(_ reference: String, reason: String, actor: String, now: Date) async throws -> [MessageID] {
        try await auditedWrite("hold the review") { db, audit in
            let review = try Self.requireReview(reference, db: db)
            if let hold = review.hold {
                throw HeraldError(
                    .conflict, "Review \(reference) is already on hold (by \(hold.by): \(hold.reason)). Clear it with 'herald review clear \(reference)'."
                )
            }
            guard review.status == .planned else {
                throw HeraldError(.conflict, "Review \(reference) is \(review.status.rawValue); there is nothing left to hold.")
            }
            let ids = try Self.reviewMessageIDs(reference, states: MessageTransition.holdReview.fromSQL, db: db)
            try Self.move(ids, by: .holdReview, review: reference, actor: actor, db: db, audit: &audit, now: now)
            try db.execute(
                sql: "UPDATE reviews SET hold_reason = ?, held_by = ?, held_at = ?, updated_at = ? WHERE reference = ?",
                arguments: [reason, actor, now.millis, now.millis, reference]
            )
            try audit.append(.reviewHeld(reference, by: actor, reason: reason), message: nil, at: now)
            return ids
        }
    }

    public func clearReview(_ reference: String, actor: String, now: Date) async throws -> [MessageID] {
        let cleared = try await auditedWrite("clear the review's hold") { db, audit in
            let review = try Self.requireReview(reference, db: db)
            guard review.hold != nil else {
                throw HeraldError(.conflict, "Review \(reference) is not on hold; there is nothing to clear.")
            }
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT m.id FROM review_messages r JOIN messages m ON m.id = r.message_id
                    LEFT JOIN approvals a ON a.message_id = m.id
                    WHERE r.review_ref = ? AND m.state IN \(MessageTransition.clearHold.fromSQL) AND (a.message_id IS NULL OR a.approved_by IS NOT NULL)
                    ORDER BY m.id
                    """,
                arguments: [reference]
            ).map(MessageID.init(rawValue:))
            try Self.move(ids, by: .clearHold, review: reference, actor: actor, db: db, audit: &audit, now: now)
            try db.execute(
                sql: "UPDATE reviews SET hold_reason = NULL, held_by = NULL, held_at = NULL, updated_at = ? WHERE reference = ?",
                arguments: [now.millis, reference]
            )
            try audit.append(.reviewCleared(reference, by: actor), message: nil, at: now)
            return ids
        }
        return cleared
    }

    public func publishReview(_ reference: String, actor: String, now: Date) async throws {
        try await auditedWrite("record the publication") { db, audit in
            let review = try Self.requireReview(reference, db: db)
            if let hold = review.hold {
                throw HeraldError(
                    .conflict, "Review \(reference) is on hold (\(hold.reason)) and cannot be published until 'herald review clear \(reference)'."
                )
            }
            guard review.status == .planned else {
                throw HeraldError(.conflict, "Review \(reference) is \(review.status.rawValue) already.")
            }
            try db.execute(
                sql: "UPDATE reviews SET status = 'published', published_at = ?, updated_at = ? WHERE reference = ?",
                arguments: [now.millis, now.millis, reference]
            )
            try audit.append(.reviewPublished(reference, by: actor), message: nil, at: now)
        }
    }

    public func cancelReview(_ reference: String, actor: String, now: Date) async throws -> [MessageID] {
        try await auditedWrite("cancel the review") { db, audit in
            let review = try Self.requireReview(reference, db: db)
            guard review.status != .cancelled else { throw HeraldError(.conflict, "Review \(reference) is cancelled already.") }
            let ids = try Self.reviewMessageIDs(reference, states: MessageTransition.cancelReview.fromSQL, db: db)
            try Self.move(ids, by: .cancelReview, review: reference, actor: actor, db: db, audit: &audit, now: now)
            try db.execute(sql: "UPDATE reviews SET status = 'cancelled', updated_at = ? WHERE reference = ?", arguments: [now.millis, reference])
            try audit.append(.reviewCancelled(reference, by: actor), message: nil, at: now)
            return ids
        }
    }

    public func approve(groupID: String, actor: String, now: Date) async throws -> [MessageID] {
        let released = try await auditedWrite("record the approval") { db, audit in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT m.id, m.state, a.approved_by, a.requested_by, r.review_ref, v.hold_reason
                    FROM messages m JOIN approvals a ON a.message_id = m.id
                    LEFT JOIN review_messages r ON r.message_id = m.id LEFT JOIN reviews v ON v.reference = r.review_ref
                    WHERE m.group_id = ? ORDER BY m.id
                    """,
                arguments: [groupID]
            )
            guard !rows.isEmpty else {
                throw HeraldError(.notFound, "Nothing in group \(groupID) waits for an approval: only press releases and campaign posts do.")
            }
            var released: [MessageID] = []
            for row in rows {
                let id = MessageID(rawValue: row["id"])
                if let by: String = row["approved_by"] {
                    throw HeraldError(.conflict, "Message \(id) was approved already, by \(by).")
                }
                if let by: String = row["requested_by"], by.caseInsensitiveCompare(actor) == .orderedSame {
                    throw HeraldError.sameApprover(id, requestedBy: by)
                }
                let state: String = row["state"]
                guard let current = MessageState(rawValue: state), MessageTransition.approve.allows(current) else {
                    throw HeraldError(.conflict, "Message \(id) is \(state); only a held message can be approved.")
                }
                try db.execute(
                    sql: "UPDATE approvals SET approved_by = ?, approved_at = ? WHERE message_id = ?",
                    arguments: [actor, now.millis, id.rawValue]
                )
                let gates = try Self.closedGates(of: id, db: db).filter { $0.kind != .approval }
                let destination = MessageTransition.approve.destination(closedGates: gates)
                if destination != current {
                    try db.execute(sql: "UPDATE messages SET state = ?, updated_at = ? WHERE id = ?", arguments: [destination.rawValue, now.millis, id.rawValue])
                    released.append(id)
                }
                // After the move, so the event binds the state the approval left the message in.
                try audit.append(.approved(by: actor), message: id, at: now)
            }
            return released
        }
        return released
    }

    public func groupID(of id: MessageID) async throws -> String? {
        try await read("find the message") { db in
            try String.fetchOne(db, sql: "SELECT group_id FROM messages WHERE id = ?", arguments: [id.rawValue])
        }
    }

    /// Moves messages by `transition`, each with its audit event, inside the caller's transaction; a message no longer
    /// in a state the transition starts from is left as it is.
    static func move(
        _ ids: [MessageID], by transition: MessageTransition, review: String, actor: String, db: Database, audit: inout SQLiteAuditAppender,
        now: Date
    ) throws {
        for id in ids {
            try db.execute(
                sql: "UPDATE messages SET state = ?, updated_at = ? WHERE id = ? AND state IN \(transition.fromSQL)",
                arguments: [transition.to.rawValue, now.millis, id.rawValue]
            )
            if db.changesCount > 0 { try audit.append(.reviewStep(transition, review: review, by: actor), message: id, at: now) }
        }
    }

    static func requireReview(_ reference: String, db: Database) throws -> ReviewRecord {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM reviews WHERE reference = ?", arguments: [reference]) else {
            throw HeraldError.reviewNotFound(reference)
        }
        return review(from: row)
    }

    static func reviewMessageIDs(_ reference: String, states: String, db: Database) throws -> [MessageID] {
        try String.fetchAll(
            db,
            sql: """
                SELECT m.id FROM review_messages r JOIN messages m ON m.id = r.message_id
                WHERE r.review_ref = ? AND m.state IN \(states) ORDER BY m.id
                """,
            arguments: [reference]
        ).map(MessageID.init(rawValue:))
    }

    static func review(from row: Row) -> ReviewRecord {
        let reason: String? = row["hold_reason"]
        let hold = reason.map { ReviewHold(reason: $0, by: row["held_by"] ?? "", at: Date(millis: row["held_at"] ?? 0)) }
        return ReviewRecord(
            reference: row["reference"], type: row["type"], title: row["title"], signedOff: row["signed_off"], publish: row["publish"],
            learningEvent: row["learning_event"], status: ReviewRecord.Status(rawValue: row["status"]) ?? .planned, hold: hold,
            publishedAt: (row["published_at"] as Int64?).map(Date.init(millis:)), createdAt: Date(millis: row["created_at"])
        )
    }
}
