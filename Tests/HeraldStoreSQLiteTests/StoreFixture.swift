import Foundation
import HeraldCore
import HeraldStore
import HeraldStoreSQLite
import HeraldTesting

/// A fresh database file in its own temporary folder, removed when the test is done with it.
struct StoreFixture {
    let directory: URL
    let store: SQLiteStore
    var path: String { directory.appendingPathComponent("herald.db").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("herald.db").path, auditKey: TestKeys.audit)
    }

    /// Claims up to `limit` due messages of the `partners` channel with a 30-second lease.
    func claim(_ limit: Int, by worker: String = "w1", at now: Date) async throws -> [ClaimedMessage] {
        try await store.claim([ClaimRequest(channel: "partners", limit: limit)], worker: worker, lease: 30, now: now)
    }

    /// Stores each message as its own group.
    func enqueue(_ messages: NewMessage..., at now: Date) async throws {
        _ = try await store.enqueue(messages.map { Self.group([$0]) }, now: now)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    static func message(channel: String = "partners", at: Date, deadline: Date? = nil, state: MessageState = .scheduled) -> NewMessage {
        NewMessage(
            id: MessageID.make(at: at), channel: channel, kind: "notice", recipient: "https://hooks.example.test/h",
            content: ["text": "hello"], dataJSON: "{}", state: state, notBefore: at, deadline: deadline
        )
    }

    static func group(_ messages: [NewMessage], key: String? = nil) -> EnqueueGroup {
        EnqueueGroup(groupID: MessageID.make().rawValue, dedupeKey: key, messages: messages)
    }

    static func attempt(_ number: Int, outcome: String = "delivered", at: Date) -> AttemptRecord {
        AttemptRecord(number: number, startedAt: at, duration: 0.01, outcome: outcome, status: 204, detail: "HTTP 204", worker: "w1")
    }
}
