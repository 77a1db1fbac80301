import Foundation
import GRDB
import HeraldCore
import HeraldStore
import HeraldTesting

/// One real trail, made once through the command line and shared by the tamper tests: webhook messages delivered to
/// a local sink (attempts with the receiver's replies), one cancelled by an operator (a note), a copy of the database
/// taken half way (the "older copy"), and a signed checkpoint taken at the end.
actor AuditTamperFixture {
    static let shared = AuditTamperFixture()

    struct Trail: Sendable {
        let cli: HeraldCLI.Handle
        /// The database as Herald left it, its older copy, and the checkpoint file.
        let pristine: String
        let older: String
        let checkpoints: String
        /// A message delivered before the older copy was taken, and one delivered after.
        let delivered: String
        let newest: String
    }

    private var built: Task<Trail, any Error>?

    func trail() async throws -> Trail {
        if let built { return try await built.value }
        let task = Task { try await Self.build() }
        built = task
        return try await task.value
    }

    private static func build() async throws -> Trail {
        let sink = try HTTPSink { _ in SinkReply(status: 204) }
        defer { sink.stop() }
        let cli = try HeraldCLI(sinkURL: sink.url("/hook"))
        var ids: [String] = []
        for reference in ["R-1", "R-2", "R-3", "R-4"] {
            let result = try await cli.run("enqueue", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"\(reference)\"}")
            guard result.status == 0 else { throw FixtureError("enqueue: \(result.stderr)") }
            ids.append(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        try await cli.expectSuccess("cancel", ids[3])
        try await cli.expectSuccess("worker", "--once")
        let older = cli.directory.appendingPathComponent("older.db").path
        try copyDatabase(cli.database, to: older)
        let later = try await cli.run("enqueue", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R-5\"}")
        guard later.status == 0 else { throw FixtureError("enqueue: \(later.stderr)") }
        try await cli.expectSuccess("worker", "--once")
        let checkpoints = cli.directory.appendingPathComponent("checkpoints.jsonl").path
        try await cli.expectSuccess("audit", "checkpoint", "--append", checkpoints)
        let pristine = cli.directory.appendingPathComponent("pristine.db").path
        try copyDatabase(cli.database, to: pristine)
        return Trail(
            cli: HeraldCLI.Handle(cli), pristine: pristine, older: older, checkpoints: checkpoints, delivered: ids[0],
            newest: later.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        )
    }

    /// A copy of a closed database (Herald folds its WAL in on close), private like the original.
    static func copyDatabase(_ source: String, to destination: String) throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: destination + suffix) }
        try FileManager.default.copyItem(atPath: source, toPath: destination)
        chmod(destination, 0o600)
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

extension HeraldCLI {
    /// Shares a scratch folder between tests that only read it or work on their own copies.
    struct Handle: @unchecked Sendable {
        let cli: HeraldCLI
        init(_ cli: HeraldCLI) { self.cli = cli }
    }

    func expectSuccess(_ arguments: String...) async throws {
        let result = try await run(arguments)
        guard result.status == 0 else { throw AuditTamperFixture.FixtureError("herald \(arguments.joined(separator: " ")): \(result.stderr)") }
    }
}

/// What someone who can write the database but holds no key can do: recompute every link the only way open to them
/// (plain SHA-256, the old public form), after renumbering, and point the head at the new end.
enum Rechain {
    static func asAttacker(_ db: Database, legacyForm: Bool) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT seq, message_id, at, event, detail FROM audit_events ORDER BY seq")
        try db.execute(sql: "UPDATE audit_events SET seq = -seq")
        try db.execute(sql: "UPDATE audit_notes SET seq = -seq")
        var previous = AuditChain.genesis
        for (index, row) in rows.enumerated() {
            let sequence = Int64(index + 1)
            let message: String? = row["message_id"]
            let event = AuditEvent(
                sequence: sequence, messageID: message.map(MessageID.init(rawValue:)), atMillis: row["at"], event: row["event"],
                detail: row["detail"], scheme: AuditChain.legacyScheme, previousHash: previous, hash: ""
            )
            let hash = AuditChain.legacyHash(event)
            try db.execute(
                sql: "UPDATE audit_events SET seq = ?, prev_hash = ?, hash = ?, scheme = ? WHERE seq = ?",
                arguments: [sequence, previous, hash, legacyForm ? AuditChain.legacyScheme : AuditChain.keyedScheme, -(row["seq"] as Int64)]
            )
            try db.execute(sql: "UPDATE audit_notes SET seq = ? WHERE seq = ?", arguments: [sequence, -(row["seq"] as Int64)])
            previous = hash
        }
        try db.execute(sql: "UPDATE audit_head SET seq = ?, hash = ?", arguments: [rows.count, previous])
    }
}
