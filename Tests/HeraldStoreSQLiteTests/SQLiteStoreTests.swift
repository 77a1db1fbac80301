import Foundation
import GRDB
import HeraldCore
import HeraldStore
@testable import HeraldStoreSQLite
import HeraldTesting
import Testing

@Suite struct SQLiteStoreTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func enqueuedMessagesAreClaimedOnlyWhenDueAndOnlyOnce() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let now = StoreFixture.message(at: t0)
        let later = StoreFixture.message(at: t0.addingTimeInterval(60))
        try await fixture.enqueue(now, later, at: t0)

        let first = try await fixture.claim(10, by: "w1", at: t0)
        #expect(first.map(\.message.id) == [now.id])
        #expect(first.first?.attemptNumber == 1)
        #expect(first.first?.message.state == .sending)
        let again = try await fixture.claim(10, by: "w2", at: t0)
        #expect(again.isEmpty)
        let backlog = try #require(try await store.backlog(of: ["partners"], limit: 10, now: t0)["partners"])
        #expect(backlog.due == 0)
        // The sooner of the later message's send time and the claimed one's lease.
        #expect(backlog.nextDue == t0.addingTimeInterval(30))
    }

    @Test func anExpiredLeaseMakesTheMessageClaimableByAnotherWorker() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let message = StoreFixture.message(at: t0)
        try await fixture.enqueue(message, at: t0)
        _ = try await fixture.claim(1, by: "w1", at: t0)

        let before = try await fixture.claim(1, by: "w2", at: t0.addingTimeInterval(29))
        #expect(before.isEmpty)
        let after = try await fixture.claim(1, by: "w2", at: t0.addingTimeInterval(31))
        #expect(after.map(\.message.id) == [message.id])
        #expect(after.first?.attemptNumber == 2)

        // The first worker's late report keeps its attempt but no longer changes the state.
        try await store.complete(
            [Completion(messageID: message.id, attempt: StoreFixture.attempt(1, at: t0), transition: .delivered)], worker: "w1", now: t0
        )
        let detail = try #require(try await store.message(message.id))
        #expect(detail.message.state == .sending)
        #expect(detail.attempts.count == 1)
    }

    /// A slow delivery can outlast its own lease on a loaded machine; the worker still holding it must not send it again.
    @Test func aWorkerDoesNotReclaimItsOwnLapsedLease() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let message = StoreFixture.message(at: t0)
        try await fixture.enqueue(message, at: t0)
        _ = try await fixture.claim(1, by: "w1", at: t0)
        #expect(try await fixture.claim(1, by: "w1", at: t0.addingTimeInterval(31)).isEmpty)
        #expect(try await fixture.claim(1, by: "w2", at: t0.addingTimeInterval(31)).map(\.message.id) == [message.id])
    }

    @Test func sameDedupeKeyReturnsTheSameIdsAndStoresNothingNew() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let first = try await store.enqueue([StoreFixture.group([StoreFixture.message(at: t0)], key: "review-42")], now: t0)
        let second = try await store.enqueue([StoreFixture.group([StoreFixture.message(at: t0)], key: "review-42")], now: t0)
        #expect(second[0].ids == first[0].ids)
        #expect(second[0].deduplicated)
        #expect(!first[0].deduplicated)
        #expect(try await store.stateCounts()[.scheduled] == 1)
    }

    @Test func aBatchIsStoredWhollyOrNotAtAll() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let duplicate = StoreFixture.message(at: t0)
        await #expect(throws: HeraldError.self) {
            try await store.enqueue([StoreFixture.group([StoreFixture.message(at: t0)]), StoreFixture.group([duplicate, duplicate])], now: t0)
        }
        #expect(try await store.stateCounts().isEmpty)
    }

    @Test func completionsMoveMessagesAndRetriesComeBackWhenDue() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let message = StoreFixture.message(at: t0)
        try await fixture.enqueue(message, at: t0)
        _ = try await fixture.claim(1, by: "w1", at: t0)
        try await store.complete(
            [Completion(messageID: message.id, attempt: StoreFixture.attempt(1, outcome: "retry", at: t0), transition: .retry(at: t0.addingTimeInterval(5)))],
            worker: "w1", now: t0
        )
        #expect(try await fixture.claim(1, by: "w1", at: t0.addingTimeInterval(4)).isEmpty)
        let retried = try await fixture.claim(1, by: "w1", at: t0.addingTimeInterval(5))
        #expect(retried.first?.attemptNumber == 2)
        try await store.complete(
            [Completion(messageID: message.id, attempt: StoreFixture.attempt(2, at: t0.addingTimeInterval(5)), transition: .delivered)],
            worker: "w1", now: t0.addingTimeInterval(5)
        )
        let detail = try #require(try await store.message(message.id))
        #expect(detail.message.state == .delivered)
        #expect(detail.attempts.map(\.number) == [1, 2])
        #expect(detail.events.map(\.event) == ["enqueued", "claimed", "retry_scheduled", "claimed", "delivered"])
    }

    @Test func overdueMessagesExpireAtClaimTime() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let message = StoreFixture.message(at: t0, deadline: t0.addingTimeInterval(10))
        try await fixture.enqueue(message, at: t0)
        let claimed = try await fixture.claim(1, by: "w1", at: t0.addingTimeInterval(11))
        #expect(claimed.isEmpty)
        #expect(try await store.message(message.id)?.message.state == .expired)
    }

    @Test func releaseGivesTheMessageBackWithoutSpendingAnAttempt() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let message = StoreFixture.message(at: t0)
        try await fixture.enqueue(message, at: t0)
        _ = try await fixture.claim(1, by: "w1", at: t0)
        try await store.release([message.id], worker: "w1", now: t0)
        let again = try await fixture.claim(1, by: "w2", at: t0)
        #expect(again.first?.attemptNumber == 1)
    }

    @Test func operatorRetryAndCancelChangeOnlyAllowedStates() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let dead = StoreFixture.message(at: t0)
        let waiting = StoreFixture.message(at: t0.addingTimeInterval(3600))
        try await fixture.enqueue(dead, waiting, at: t0)
        _ = try await fixture.claim(1, by: "w1", at: t0)
        try await store.complete(
            [Completion(messageID: dead.id, attempt: StoreFixture.attempt(1, outcome: "permanent", at: t0), transition: .dead(reason: "HTTP 400"))],
            worker: "w1", now: t0
        )
        #expect(try await store.cancel([dead.id, waiting.id], actor: "test", now: t0) == [waiting.id])
        #expect(
            try await store.retry([dead.id, waiting.id], actor: "test", now: t0) == [
                ActionOutcome(id: dead.id, result: .moved(.scheduled, gate: nil)), ActionOutcome(id: waiting.id, result: .moved(.scheduled, gate: nil)),
            ]
        )
        let claimed = try await fixture.claim(5, by: "w1", at: t0)
        let retried = try #require(claimed.first { $0.message.id == dead.id })
        #expect(retried.attemptNumber == 2)
        #expect(retried.attemptsInBudget == 1)
    }

    /// A retry gives a fresh budget but not more time: the deadline stays, and a message past it is refused.
    @Test func retryKeepsTheDeadlineAndRefusesAMessagePastIt() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let deadline = t0.addingTimeInterval(600)
        let message = StoreFixture.message(at: t0, deadline: deadline)
        try await fixture.enqueue(message, at: t0)
        #expect(try await store.cancel([message.id], actor: "test", now: t0) == [message.id])
        #expect(try await store.retry([message.id], actor: "test", now: t0) == [ActionOutcome(id: message.id, result: .moved(.scheduled, gate: nil))])
        #expect(try await store.message(message.id)?.message.deadline == deadline)

        #expect(try await store.cancel([message.id], actor: "test", now: t0) == [message.id])
        let late = try await store.retry([message.id], actor: "test", now: deadline.addingTimeInterval(1))
        guard case .refused(let reason)? = late.first?.result else {
            Issue.record("a retry past the deadline was not refused: \(late)")
            return
        }
        #expect(reason.contains("deadline passed"))
        #expect(try await store.message(message.id)?.message.state == .cancelled)
    }

    /// The claim and expiry queries take their states from the lifecycle table; the partial indexes they rely on were
    /// written with the same lists, and must stay so or the queries fall back to scanning every message.
    @Test func theIndexesTheWorkerUsesAreDefinedOnTheLifecycleTablesStates() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let queue = try DatabaseQueue(path: fixture.path)
        let definitions = try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
                .reduce(into: [String: String]()) { $0[$1["name"]] = $1["sql"] }
        }
        #expect(definitions["messages_due"]?.contains("WHERE state IN \(SQLiteStore.dueStates)") == true, "\(definitions)")
        #expect(definitions["messages_leased"]?.contains("WHERE state = \(SQLiteStore.leased)") == true)
        for name in ["messages_deadline", "messages_channel_deadline"] {
            #expect(definitions[name]?.contains("state IN \(SQLiteStore.unsentStates)") == true, "\(name)")
        }
    }

    /// A newer Herald's database is refused, naming what this one does not know, and left as it was.
    @Test func aDatabaseFromANewerHeraldIsRefused() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let queue = try DatabaseQueue(path: fixture.path)
        try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9 future')") }
        let error = try #require(throws: HeraldError.self) { try SQLiteStore(path: fixture.path, auditKey: TestKeys.audit) }
        #expect(error.message.contains("newer Herald (schema v9 future"), "\(error.message)")
        let still = try await queue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(still.contains("v9 future"))
    }

    @Test func auditVerifyPassesOnAnUntouchedTrail() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try await fixture.store.enqueue((0..<20).map { _ in StoreFixture.group([StoreFixture.message(at: t0)]) }, now: t0)
        let result = try await fixture.store.verifyAudit()
        #expect(result.isIntact)
        #expect(result.eventsChecked == 20)
    }

    @Test(arguments: [
        ("UPDATE audit_events SET detail = 'forged' WHERE seq = 5", "event 5"),
        ("DELETE FROM audit_events WHERE seq = 7", "event 8"),
        ("DELETE FROM audit_events WHERE seq = 10", "recorded head"),
        ("UPDATE audit_events SET seq = 100 WHERE seq = 3; UPDATE audit_events SET seq = 3 WHERE seq = 4; UPDATE audit_events SET seq = 4 WHERE seq = 100", "event 3"),
    ])
    func auditVerifyNamesTheFirstTamperedEvent(sql: String, named: String) async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try await fixture.store.enqueue((0..<10).map { _ in StoreFixture.group([StoreFixture.message(at: t0)]) }, now: t0)
        let queue = try DatabaseQueue(path: fixture.path)
        try await queue.write { db in try db.execute(sql: sql) }
        let result = try await fixture.store.verifyAudit()
        #expect(!result.isIntact)
        #expect(result.faults.first?.contains(named) == true, "\(result.faults)")
    }

    @Test func claimedMessagesComeBackExactlyAsEnqueued() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        var message = StoreFixture.message(at: t0, deadline: t0.addingTimeInterval(3600))
        message.content = ["subject": "Grüße — ‘Adult C’ 👋", "text": "", "html": "<p>a\u{0}b \"q\"</p>\r\n"]
        message.dataJSON = "{\"n\":1,\"s\":\"\\u0000\"}"
        message.recipient = "https://hooks.example.test/h?x=1"
        try await fixture.enqueue(message, at: t0)
        let claimed = try #require(
            try await fixture.claim(1, by: "w1", at: t0).first
        )
        #expect(claimed.message.content == message.content)
        #expect(claimed.message.dataJSON == message.dataJSON)
        #expect(claimed.message.recipient == message.recipient)
        #expect(claimed.message.deadline == message.deadline)
        #expect(claimed.message.notBefore == message.notBefore)
        #expect(claimed.message.kind == message.kind)
    }
}
