import Foundation
import GRDB
import HeraldCore
import HeraldStore
import Testing

@testable import HeraldStoreSQLite

/// One worker turn in one transaction: renewals, releases, the pause an attempt calls for, and the backlog report.
@Suite struct WorkerTurnTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aRenewalKeepsTheLeaseFromAnotherWorkerAndReportsWhatIsStillHeld() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let (mine, lost) = (StoreFixture.message(at: t0), StoreFixture.message(at: t0))
        try await fixture.enqueue(mine, lost, at: t0)
        _ = try await fixture.claim(2, by: "w1", at: t0)
        // The second one's lease runs out and another worker takes it before w1 renews.
        #expect(try await fixture.claim(1, by: "w2", at: t0.addingTimeInterval(31)).isEmpty == false)
        let result = try await fixture.store.workerTurn(
            WorkerTurn(renewals: [mine.id, lost.id], lease: 30), worker: "w1", now: t0.addingTimeInterval(31)
        )
        #expect(result.renewed.count == 1)
        #expect(result.renewedUntil == t0.addingTimeInterval(61))
        // Renewed, w1's message is not claimable by w2 until the new expiry.
        #expect(try await fixture.claim(1, by: "w2", at: t0.addingTimeInterval(60)).isEmpty)
    }

    @Test func aReleaseUndoesTheClaimAndSaysTheRequestHadNotStarted() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let message = StoreFixture.message(at: t0)
        try await fixture.enqueue(message, at: t0)
        _ = try await fixture.claim(1, by: "w1", at: t0)
        _ = try await fixture.store.workerTurn(WorkerTurn(releases: [message.id]), worker: "w1", now: t0)
        let detail = try #require(try await fixture.store.message(message.id))
        #expect(detail.message.state == .scheduled)
        #expect(detail.message.attempts == 0)
        #expect(detail.events.last?.event == "released")
        #expect(detail.events.last?.detail.contains("had not started") == true)
    }

    /// The pause an attempt calls for lands with the attempt: the next claim of any worker gets nothing of the
    /// channel, and the backlog reports the pause and when the channel's messages fall due again.
    @Test func aPauseInACompletionHoldsEveryWorkerBack() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let (first, second) = (StoreFixture.message(at: t0), StoreFixture.message(at: t0))
        try await fixture.enqueue(first, second, at: t0)
        let claimed = try #require(try await fixture.claim(1, by: "w1", at: t0).first)
        let until = t0.addingTimeInterval(120)
        let completion = Completion(
            messageID: claimed.message.id, attempt: StoreFixture.attempt(1, outcome: "retry", at: t0), transition: .retry(at: until),
            channelPause: ChannelPause(until: until, reason: "the receiver asked: HTTP 429")
        )
        let result = try await fixture.store.workerTurn(
            WorkerTurn(completions: [completion], claims: [ClaimRequest(channel: "partners", limit: 5)], survey: ["partners"], surveyLimit: 5),
            worker: "w1", now: t0
        )
        #expect(result.claimed.isEmpty)
        let backlog = try #require(result.backlog["partners"])
        #expect(backlog.due == 0)
        #expect(backlog.pause?.until == until)
        #expect(backlog.nextDue == until)
        #expect(try await fixture.claim(5, by: "w2", at: t0.addingTimeInterval(119)).isEmpty)
        #expect(try await fixture.claim(5, by: "w2", at: until).count == 2)
        let events = try #require(try await fixture.store.message(claimed.message.id)).events.map(\.event)
        #expect(events.contains("retry_scheduled"))
    }

    @Test func theBacklogCountsWhatIsDueUpToTheLimitAndNamesTheNextDeadline() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        for _ in 0..<7 { try await fixture.enqueue(StoreFixture.message(at: t0), at: t0) }
        try await fixture.enqueue(StoreFixture.message(at: t0.addingTimeInterval(50), deadline: t0.addingTimeInterval(90)), at: t0)
        try await fixture.enqueue(StoreFixture.message(channel: "other", at: t0.addingTimeInterval(300)), at: t0)
        let backlog = try await fixture.store.backlog(of: ["partners", "other", "unknown"], limit: 5, now: t0)
        #expect(backlog["partners"]?.due == 5)
        #expect(backlog["partners"]?.nextDue == t0)
        #expect(backlog["partners"]?.nextDeadline == t0.addingTimeInterval(90))
        #expect(backlog["other"] == ChannelBacklog(due: 0, nextDue: t0.addingTimeInterval(300)))
        #expect(backlog["unknown"] == ChannelBacklog())
    }

    /// A worker waits out what may pass and stops on what will not: the store says which is which.
    @Test func databaseFailuresAreToldApartByWhetherWaitingCanHelp() {
        for code in [ResultCode.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_READONLY] {
            #expect(SQLiteStore.storageError("write", DatabaseError(resultCode: code)).code == .storageUnavailable)
        }
        for code in [ResultCode.SQLITE_CORRUPT, .SQLITE_NOTADB] {
            #expect(SQLiteStore.storageError("write", DatabaseError(resultCode: code)).code == .storageCorrupt)
        }
        #expect(SQLiteStore.storageError("write", DatabaseError(resultCode: .SQLITE_CONSTRAINT)).code == .storage)
    }
}
