import Foundation
import GRDB
import HeraldCore
import HeraldStore
import HeraldTesting
import Testing

@testable import HeraldStoreSQLite

/// A database written by a Herald from before the keyed chain (schema v5): it is brought up to date only with a
/// key, its old events are linked under the key as that happens, and a keyed trail turned back into the old form
/// is never linked again.
@Suite struct LegacyTrailTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// A v5 database with one delivered message and its three events, chained as Herald then chained them.
    func legacyDatabase() throws -> (directory: URL, path: String, id: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-legacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("herald.db").path
        let queue = try DatabaseQueue(path: path)
        try SQLiteStore.migrator.migrate(queue, upTo: "v5 channel pauses")
        let id = MessageID.make(at: t0).rawValue
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO messages (id, group_id, channel, kind, recipient, content, data, state, not_before, attempts, created_at, updated_at)
                    VALUES (?, 'g', 'partners', 'notice', 'webhook:hooks.example.test', '{"text":"hello"}', '{}', 'delivered', 0, 1, 0, 0)
                    """,
                arguments: [id]
            )
            try db.execute(
                sql: "INSERT INTO attempts (message_id, number, started_at, duration_ms, outcome, status, detail, worker) VALUES (?, 1, 0, 5, 'delivered', 204, 'HTTP 204', 'w1')",
                arguments: [id]
            )
            var previous = AuditChain.genesis
            for (index, (event, detail)) in [("enqueued", "scheduled"), ("claimed", "attempt 1 by w1"), ("delivered", "attempt 1 status 204")].enumerated() {
                let sequence = Int64(index + 1)
                let hash = AuditChain.legacyHash(
                    AuditEvent(
                        sequence: sequence, messageID: MessageID(rawValue: id), atMillis: sequence, event: event, detail: detail,
                        scheme: AuditChain.legacyScheme, previousHash: previous, hash: ""
                    )
                )
                try db.execute(
                    sql: "INSERT INTO audit_events (seq, message_id, at, event, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [sequence, id, sequence, event, detail, previous, hash]
                )
                previous = hash
            }
            try db.execute(sql: "INSERT INTO audit_head (id, seq, hash) VALUES (1, 3, ?)", arguments: [previous])
        }
        try queue.close()
        chmod(path, 0o600)
        return (directory, path, id)
    }

    @Test func anOldDatabaseIsLinkedUnderTheKeyAsItIsBroughtUpToDate() async throws {
        let (directory, path, id) = try legacyDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let refused = #expect(throws: HeraldError.self) { try SQLiteStore(path: path, auditKey: nil) }
        #expect(refused?.message.contains("herald audit init-key") == true, "\(refused?.message ?? "")")

        let store = try SQLiteStore(path: path, auditKey: TestKeys.audit)
        let verification = try await store.verifyAudit()
        #expect(verification.isIntact, "\(verification.faults)")
        #expect(verification.legacyEvents == 3 && verification.eventsChecked == 5, "one event links the old ones, one sets the old message's digests")
        #expect(try await store.auditHead().sequence == 5)
        let detail = try #require(try await store.message(MessageID(rawValue: id)))
        #expect(detail.message.state == .delivered)

        // A second open links nothing more; the old events cannot be edited unseen now that a keyed one follows.
        _ = try SQLiteStore(path: path, auditKey: TestKeys.audit)
        #expect(try await store.auditHead().sequence == 5)
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in try db.execute(sql: "UPDATE audit_events SET detail = 'attempt 1 status 200' WHERE seq = 3") }
        try queue.close()
        let edited = try await store.verifyAudit()
        #expect(edited.faults.first?.contains("event 3 (delivered) was edited") == true, "\(edited.faults)")
    }

    @Test func aKeyedTrailTurnedBackIntoTheOldFormIsNotLinkedAgain() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try await fixture.enqueue(StoreFixture.message(at: t0), at: t0)
        let queue = try DatabaseQueue(path: fixture.path)
        try await queue.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT seq, message_id, at, event, detail, prev_hash FROM audit_events ORDER BY seq")
            var previous = AuditChain.genesis
            for row in rows {
                let message: String? = row["message_id"]
                let hash = AuditChain.legacyHash(
                    AuditEvent(
                        sequence: row["seq"], messageID: message.map(MessageID.init(rawValue:)), atMillis: row["at"], event: row["event"],
                        detail: row["detail"], scheme: AuditChain.legacyScheme, previousHash: previous, hash: ""
                    )
                )
                try db.execute(sql: "UPDATE audit_events SET scheme = 1, prev_hash = ?, hash = ? WHERE seq = ?", arguments: [previous, hash, row["seq"] as Int64])
                previous = hash
            }
            try db.execute(sql: "UPDATE audit_head SET hash = ?, key_id = NULL", arguments: [previous])
        }
        try queue.close()
        let reopened = try SQLiteStore(path: fixture.path, auditKey: TestKeys.audit)
        let verification = try await reopened.verifyAudit()
        #expect(verification.faults.contains { $0.contains("only events in the old unkeyed form") }, "\(verification.faults)")
    }
}
