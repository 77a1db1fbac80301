import Foundation
import GRDB
import HeraldStore
import Testing

/// Every way of editing the database that the audit trail must catch, each applied with SQL to a copy of one real
/// trail and each caught by `herald audit verify --checkpoints`, which names where (docs/audit.md).
@Suite struct AuditTamperTests {
    struct Tampering: Sendable, CustomTestStringConvertible {
        let name: String
        /// Applied to the copy; `$delivered` and `$newest` stand for two delivered messages' ids.
        let edit: @Sendable (Database, AuditTamperFixture.Trail) throws -> Void
        /// Text the faults must contain: where the change is.
        let named: @Sendable (AuditTamperFixture.Trail) -> String
        var testDescription: String { name }

        init(
            _ name: String, named: @escaping @Sendable (AuditTamperFixture.Trail) -> String,
            _ edit: @escaping @Sendable (Database, AuditTamperFixture.Trail) throws -> Void
        ) {
            self.name = name
            self.named = named
            self.edit = edit
        }

        init(_ name: String, named: String, sql: @escaping @Sendable (AuditTamperFixture.Trail) -> String) {
            self.init(name, named: { _ in named }) { db, trail in try db.execute(sql: sql(trail)) }
        }
    }

    static let tamperings: [Tampering] = [
        Tampering("an event's detail edited", named: "event 3 (", sql: { _ in "UPDATE audit_events SET detail = 'forged' WHERE seq = 3" }),
        Tampering("an event's time edited", named: "event 4 (", sql: { _ in "UPDATE audit_events SET at = at - 86400000 WHERE seq = 4" }),
        Tampering("an event in the middle deleted", named: "event 6 follows event 4", sql: { _ in "DELETE FROM audit_events WHERE seq = 5" }),
        Tampering(
            "two events swapped", named: "event 3",
            sql: { _ in "UPDATE audit_events SET seq = -3 WHERE seq = 3; UPDATE audit_events SET seq = 3 WHERE seq = 4; UPDATE audit_events SET seq = 4 WHERE seq = -3" }
        ),
        Tampering("the recorded head edited", named: "recorded head", sql: { _ in "UPDATE audit_head SET hash = '\(String(repeating: "0", count: 64))'" }),
        Tampering(
            "the newest event deleted and the head moved back", named: "covers more than the trail holds",
            sql: { _ in
                """
                DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events);
                UPDATE audit_head SET seq = (SELECT max(seq) FROM audit_events), hash = (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1);
                """
            }
        ),
        Tampering("a message deleted with its events and attempts, then re-linked", named: { _ in "does not match its link" }) { db, trail in
            for table in ["attempts WHERE message_id", "audit_events WHERE message_id", "messages WHERE id"] {
                try db.execute(sql: "DELETE FROM \(table) = ?", arguments: [trail.delivered])
            }
            try Rechain.asAttacker(db, legacyForm: false)
        },
        Tampering("two events swapped, then re-linked", named: { _ in "does not match its link" }) { db, _ in
            try db.execute(sql: "UPDATE audit_events SET seq = -3 WHERE seq = 3; UPDATE audit_events SET seq = 3 WHERE seq = 4; UPDATE audit_events SET seq = 4 WHERE seq = -3")
            try Rechain.asAttacker(db, legacyForm: false)
        },
        Tampering("a message's body changed", named: { "the content of message \($0.delivered) was changed" }) { db, trail in
            try db.execute(sql: "UPDATE messages SET content = replace(content, 'R-1', 'R-9') WHERE id = ?", arguments: [trail.delivered])
        },
        Tampering("a message's recipient changed", named: { "the recipient of message \($0.delivered) was changed" }) { db, trail in
            try db.execute(sql: "UPDATE messages SET recipient = 'webhook:elsewhere.example' WHERE id = ?", arguments: [trail.delivered])
        },
        Tampering("a message's state changed", named: { "message \($0.delivered) is dead but its last event left it delivered" }) { db, trail in
            try db.execute(sql: "UPDATE messages SET state = 'dead' WHERE id = ?", arguments: [trail.delivered])
        },
        Tampering("a delivery proof forged", named: { "the reply to attempt 1 of message \($0.newest) was changed" }) { db, trail in
            try db.execute(sql: "UPDATE attempts SET status = 200, detail = 'HTTP 200 accepted by the panel' WHERE message_id = ?", arguments: [trail.newest])
        },
        Tampering("an attempt's status forged with its digest", named: { "of message \($0.newest)) does not match its link" }) { db, trail in
            try db.execute(sql: "UPDATE attempts SET status = 202 WHERE message_id = ?", arguments: [trail.newest])
        },
        Tampering("a forged event appended", named: { _ in "does not match its link" }) { db, trail in
            let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")!
            let sequence = (head["seq"] as Int64) + 1
            try db.execute(
                sql: """
                    INSERT INTO audit_events (seq, message_id, at, event, detail, prev_hash, hash, scheme, state)
                    VALUES (?, ?, 1767225600000, 'delivered', 'attempt 2 status 204', ?, ?, 2, 'delivered')
                    """,
                arguments: [sequence, trail.delivered, head["hash"] as String, String(repeating: "a", count: 64)]
            )
            try db.execute(sql: "UPDATE audit_head SET seq = ?, hash = ?", arguments: [sequence, String(repeating: "a", count: 64)])
        },
        Tampering(
            "every event deleted", named: { "message \($0.delivered) has no audit events" },
            { db, _ in try db.execute(sql: "DELETE FROM audit_events; DELETE FROM audit_notes; DELETE FROM audit_head") }
        ),
        Tampering("a message row deleted", named: { "names message \($0.delivered), which is no longer stored" }) { db, trail in
            try db.execute(sql: "DELETE FROM messages WHERE id = ?", arguments: [trail.delivered])
        },
        Tampering("an event inserted in the middle, then re-linked", named: { _ in "does not match its link" }) { db, trail in
            try db.execute(sql: "UPDATE audit_events SET seq = seq + 1000 WHERE seq >= 4")
            try db.execute(sql: "UPDATE audit_notes SET seq = seq + 1000 WHERE seq >= 4")
            try db.execute(
                sql: "INSERT INTO audit_events (seq, message_id, at, event, detail, prev_hash, hash, scheme) VALUES (4, ?, 1, 'cancelled', '', '', '', 2)",
                arguments: [trail.delivered]
            )
            try Rechain.asAttacker(db, legacyForm: false)
        },
        Tampering("the whole trail turned back into the old unkeyed form", named: { _ in "only events in the old unkeyed form" }) { db, _ in
            try Rechain.asAttacker(db, legacyForm: true)
        },
        Tampering("an operator's note rewritten", named: { _ in "the note of event" }) { db, _ in
            try db.execute(sql: "UPDATE audit_notes SET note = 'by someone else'")
        },
        Tampering("the audit key's fingerprint swapped", named: { _ in "another audit key" }) { db, _ in
            try db.execute(sql: "UPDATE audit_head SET key_id = '0011223344556677'")
        },
    ]

    @Test(arguments: tamperings)
    func eachTamperingIsCaughtAndNamed(_ tampering: Tampering) async throws {
        let trail = try await AuditTamperFixture.shared.trail()
        let copy = trail.cli.cli.directory.appendingPathComponent("tampered-\(UUID().uuidString).db").path
        try AuditTamperFixture.copyDatabase(trail.pristine, to: copy)
        let queue = try DatabaseQueue(path: copy)
        try await queue.write { db in try tampering.edit(db, trail) }
        try queue.close()
        let result = try await trail.cli.cli.run("audit", "verify", "--db", copy, "--checkpoints", trail.checkpoints)
        #expect(result.status != 0, "\(tampering.name) passed verification: \(result.stdout)")
        #expect(result.stderr.contains(tampering.named(trail)), "\(tampering.name): \(result.stderr)")
    }

    @Test func theUntouchedTrailAndItsCheckpointVerify() async throws {
        let trail = try await AuditTamperFixture.shared.trail()
        let result = try await trail.cli.cli.run("audit", "verify", "--db", trail.pristine, "--checkpoints", trail.checkpoints)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("audit trail intact"), "\(result.stdout)")
        #expect(result.stdout.contains("1 checkpoint(s) held"), "\(result.stdout)")
    }

    /// A copy of the database taken before the checkpoint is a valid chain on its own, but not the trail the
    /// checkpoint saw.
    @Test func anOlderCopyRestoredIsCaughtByTheCheckpoint() async throws {
        let trail = try await AuditTamperFixture.shared.trail()
        let copy = trail.cli.cli.directory.appendingPathComponent("restored-\(UUID().uuidString).db").path
        try AuditTamperFixture.copyDatabase(trail.older, to: copy)
        let plain = try await trail.cli.cli.run("audit", "verify", "--db", copy)
        #expect(plain.status == 0, "the older copy is a valid chain by itself: \(plain.stderr)")
        let result = try await trail.cli.cli.run("audit", "verify", "--db", copy, "--checkpoints", trail.checkpoints)
        #expect(result.status != 0)
        #expect(result.stderr.contains("covers more than the trail holds"), "\(result.stderr)")
    }

    /// A checkpoint edited to match a rewritten trail no longer carries a valid signature.
    @Test func aForgedCheckpointIsRefused() async throws {
        let trail = try await AuditTamperFixture.shared.trail()
        let text = try String(contentsOfFile: trail.checkpoints, encoding: .utf8)
        let forged = try trail.cli.cli.write(text.replacingOccurrences(of: "\"messages\":5", with: "\"messages\":4"), to: "forged-\(UUID().uuidString).jsonl")
        #expect(forged != trail.checkpoints)
        let result = try await trail.cli.cli.run("audit", "verify", "--db", trail.pristine, "--checkpoints", forged)
        #expect(result.status != 0)
        #expect(result.stderr.contains("is not signed by the configured signing key"), "\(result.stderr)")
    }
}
