import Foundation
import HeraldCore
import HeraldStore
import Testing
@testable import HeraldWorker

/// The scheduler's rules for leases, stopping, storage faults and the end of a once-run, each decided from a given
/// state and time with no I/O.
@Suite struct SchedulerLifecycleTests {
    /// Claims one message of `channel` and returns the scheduler holding it ready (not yet started).
    static func holding(_ channel: String = "a", slots: Int = 1, maxInFlight: Int = 1, lease: TimeInterval = 60, grace: TimeInterval = 30)
        throws -> SchedulerFixture
    {
        var fixture = try SchedulerFixture([(channel, slots)], maxInFlight: maxInFlight, lease: lease, grace: grace)
        fixture.answer(try #require(fixture.decide().turn), due: [channel: 5])
        return fixture
    }

    @Test func aMessageStartsOnlyWhileItsLeaseCoversTheTimeoutAndTheMargin() throws {
        var fixture = try SchedulerFixture([("a", 1)], maxInFlight: 1, lease: 60, timeout: 30)
        fixture.answer(try #require(fixture.decide().turn), due: ["a": 2])
        let claim = try #require(fixture.decide().turn)
        fixture.answer(claim, due: ["a": 2])
        // Two held: one starts; the other waits in the ready queue while the first is sent.
        let first = fixture.decide()
        #expect(first.launch.count == 1)
        // 26 s later the one waiting has 34 s of lease left: less than the 30 s timeout and the 5 s margin.
        fixture.advance(26)
        fixture.scheduler.finish(fixture.finished(first.launch[0].id, .delivered(proof: "HTTP 204")), now: fixture.now, unit: 0)
        let waiting = fixture.decide()
        #expect(waiting.launch.isEmpty, "a message started with too little lease left")
        let renewal = try #require(waiting.turn)
        #expect(renewal.renewals.count == 1)
        fixture.answer(renewal, due: ["a": 0])
        #expect(fixture.decide().launch.count == 1, "the renewed message did not start")
    }

    /// A lease is reckoned on both clocks: a wall clock stepped forward makes it shorter (other workers go by the
    /// wall), and a wall clock stepped back does not make it longer (uptime still runs).
    @Test func aWallClockStepCannotStretchALease() throws {
        var fixture = try Self.holding(slots: 1, maxInFlight: 1)
        let turn = try #require(fixture.decide().turn)
        fixture.answer(turn, due: ["a": 5])
        var decision = fixture.decide()
        #expect(decision.launch.count == 1)
        let second = try #require(fixture.scheduler.lanes["a"]?.ready.first)
        // The wall clock steps back an hour: uptime moves on 40 s, so only 20 s of the lease is left.
        fixture.now = fixture.now.addingTimeInterval(-3600)
        fixture.uptime += 40
        #expect(second.leaseRemaining(now: fixture.now, uptime: fixture.uptime) == 20)
        // And forward 70 s: the store's expiry has passed, whatever uptime says.
        fixture.now = fixture.now.addingTimeInterval(3600 + 70)
        #expect(second.leaseRemaining(now: fixture.now, uptime: fixture.uptime) < 0)
        fixture.scheduler.finish(fixture.finished(decision.launch[0].id, .delivered(proof: "ok")), now: fixture.now, unit: 0)
        decision = fixture.decide()
        #expect(decision.launch.isEmpty)
        #expect(fixture.scheduler.notices.contains { if case .wallClockStepped = $0 { true } else { false } })
    }

    /// A message whose renewal the store refused (another worker holds it now) is dropped, never sent.
    @Test func aLostLeaseIsNotSent() throws {
        var fixture = try Self.holding(slots: 1, maxInFlight: 1)
        fixture.answer(try #require(fixture.decide().turn), due: ["a": 5])
        let launched = fixture.decide().launch
        #expect(launched.count == 1)
        fixture.advance(40)
        let decision = fixture.decide()
        let renewal = try #require(decision.turn)
        #expect(!renewal.renewals.isEmpty)
        fixture.answer(renewal, due: ["a": 0], renewAll: false)
        #expect(fixture.scheduler.lanes["a"]?.ready.isEmpty == true)
        #expect(fixture.scheduler.notices.contains(.leasesLost(count: 1)))
        // The one still in flight is not asked for again and again: the store has said it is another worker's.
        #expect(fixture.decide().turn == nil)
        fixture.scheduler.finish(fixture.finished(launched[0].id, .delivered(proof: "ok")), now: fixture.now, unit: 0)
        #expect(fixture.decide().launch.isEmpty)
    }

    @Test func stoppingReleasesOnlyWhatNeverStartedAndInterruptsTheRestAfterTheGrace() throws {
        var fixture = try Self.holding(slots: 1, maxInFlight: 1, grace: 10)
        fixture.answer(try #require(fixture.decide().turn), due: ["a": 5])
        let inFlight = fixture.decide().launch
        #expect(inFlight.count == 1)
        let ready = try #require(fixture.scheduler.lanes["a"]?.ready.map(\.id))
        fixture.scheduler.stop(uptime: fixture.uptime)
        let stopping = fixture.decide()
        #expect(stopping.launch.isEmpty)
        let release = try #require(stopping.turn)
        #expect(release.releases == ready)
        #expect(release.claims.isEmpty)
        #expect(!release.releases.contains(inFlight[0].id), "a message whose request left was released as unsent")
        fixture.answer(release, due: [:])
        #expect(!fixture.decide().done, "stopped with a transfer in flight before the grace")
        fixture.advance(10)
        let late = fixture.decide()
        #expect(late.abandon == [inFlight[0].id])
        let record = try #require(late.turn)
        let interrupted = try #require(record.completions.first)
        #expect(interrupted.attempt.outcome == "ambiguous")
        #expect(interrupted.attempt.detail.contains("interrupted"))
        guard case .retry = interrupted.transition else {
            Issue.record("a webhook interrupted at shutdown is retried under its id, not \(interrupted.transition)")
            return
        }
        fixture.answer(record, due: [:])
        #expect(fixture.decide().done)
        #expect(fixture.scheduler.summary.interrupted == 1)
        #expect(fixture.scheduler.summary.released == ready.count)
    }

    /// Under load a store turn waits for a batch of finished attempts (half the slots) or for the window, whichever
    /// comes first; a worker with nothing else in flight records at once.
    @Test func finishedAttemptsAreRecordedInBatchesUnderLoadAndAtOnceWhenQuiet() throws {
        var fixture = try SchedulerFixture([("a", 4)], maxInFlight: 4)
        fixture.answer(try #require(fixture.decide().turn), due: ["a": 40])
        fixture.answer(try #require(fixture.decide().turn), due: ["a": 32])
        let first = fixture.decide()
        #expect(first.launch.count == 4)
        #expect(first.turn == nil, "four in flight and four claimed ahead: nothing to write")

        fixture.scheduler.finish(fixture.finished(first.launch[0].id, .delivered(proof: "HTTP 204")), now: fixture.now, unit: 0)
        let one = fixture.decide()
        #expect(one.launch.count == 1, "the freed slot waited for the store")
        #expect(one.turn == nil, "one finished attempt of a busy worker went to the store alone")
        let window = try #require(one.wakeAt) - fixture.uptime
        #expect(window > 0 && window <= 0.02)
        fixture.scheduler.finish(fixture.finished(first.launch[1].id, .delivered(proof: "HTTP 204")), now: fixture.now, unit: 0)
        let batch = try #require(fixture.decide().turn, "two finished attempts (half of four slots) did not make a turn")
        #expect(batch.completions.count == 2)
        fixture.answer(batch, due: ["a": 30])

        fixture.scheduler.finish(fixture.finished(first.launch[2].id, .delivered(proof: "HTTP 204")), now: fixture.now, unit: 0)
        #expect(fixture.decide().turn == nil)
        fixture.uptime += 0.02
        #expect(try #require(fixture.decide().turn, "the window ran out and nothing was recorded").completions.count == 1)

        var quiet = try SchedulerFixture([("a", 4)], maxInFlight: 4)
        quiet.answer(try #require(quiet.decide().turn), due: ["a": 1])
        quiet.answer(try #require(quiet.decide().turn), due: ["a": 1])
        let only = quiet.decide().launch
        #expect(only.count == 1)
        quiet.scheduler.finish(quiet.finished(only[0].id, .delivered(proof: "HTTP 204")), now: quiet.now, unit: 0)
        #expect(try #require(quiet.decide().turn, "a quiet worker kept its attempt back").completions.count == 1)
    }

    @Test func aStorageFaultKeepsTheAttemptsStartsAndClaimsNothingAndBacksOff() throws {
        var fixture = try Self.holding(slots: 2, maxInFlight: 2)
        fixture.answer(try #require(fixture.decide().turn), due: ["a": 6])
        let launched = fixture.decide().launch
        #expect(launched.count == 2)
        fixture.scheduler.finish(fixture.finished(launched[0].id, .delivered(proof: "HTTP 204")), now: fixture.now, unit: 0)
        let next = fixture.decide()
        #expect(next.launch.count == 1)
        let turn = try #require(next.turn)
        #expect(turn.completions.count == 1)
        let busy = HeraldError(.storageUnavailable, "Could not carry out the worker's turn: database is locked.")
        let waitable = fixture.scheduler.turnFailed(busy, uptime: fixture.uptime)
        #expect(waitable)
        #expect(fixture.scheduler.notices.contains { if case .storeUnavailable = $0 { true } else { false } })
        // A slot frees during the fault: the message claimed ahead waits, since its result could not be recorded.
        fixture.scheduler.finish(fixture.finished(launched[1].id, .delivered(proof: "HTTP 204")), now: fixture.now, unit: 0)
        let waiting = fixture.decide()
        #expect(waiting.turn == nil, "tried the store again at once")
        #expect(waiting.launch.isEmpty, "started a transfer during the fault")
        fixture.uptime = try #require(waiting.wakeAt)
        let retry = try #require(fixture.decide().turn)
        #expect(retry.completions.count == 2)
        #expect(retry.completions.first == turn.completions.first)
        #expect(retry.claims.isEmpty)
        let stillWaitable = fixture.scheduler.turnFailed(busy, uptime: fixture.uptime)
        #expect(stillWaitable)
        #expect(fixture.scheduler.notices.filter { if case .storeUnavailable = $0 { true } else { false } }.count == 1, "logged once, not per try")
        let backoff = try #require(fixture.decide().wakeAt) - fixture.uptime
        #expect(backoff > 0.25, "the back-off did not grow")
        fixture.uptime += backoff
        fixture.answer(try #require(fixture.decide().turn), due: ["a": 2])
        #expect(fixture.scheduler.notices.contains { if case .storeRecovered(_, 2) = $0 { true } else { false } })
        #expect(fixture.scheduler.fault == nil)
        #expect(fixture.decide().launch.count == 1, "did not carry on after the store recovered")
    }

    @Test func aFaultWaitingCannotCureStopsTheWorker() throws {
        var fixture = try Self.holding()
        _ = fixture.decide()
        let corrupt = HeraldError(.storageCorrupt, "database disk image is malformed")
        let waitable = fixture.scheduler.turnFailed(corrupt, uptime: fixture.uptime)
        #expect(!waitable)
    }

    /// A once-run ends when nothing is held and nothing can be sent within its wait limit; it waits for a retry due
    /// sooner, and for a paused channel whose pause ends sooner with something behind it.
    @Test func aOnceRunEndsOnlyWhenNothingCouldBeSentWithinItsLimit() throws {
        var fixture = try SchedulerFixture([("a", 1), ("b", 1)], once: true)
        let survey = try #require(fixture.decide().turn)
        fixture.answer(survey, due: [:], nextDue: ["a": fixture.now.addingTimeInterval(30), "b": fixture.now.addingTimeInterval(600)])
        let soon = fixture.decide()
        #expect(!soon.done, "left a retry due in 30 s behind")
        #expect(soon.wakeAt == fixture.uptime + 30)

        var later = try SchedulerFixture([("a", 1), ("b", 1)], once: true)
        let laterSurvey = try #require(later.decide().turn)
        later.answer(laterSurvey, due: [:], nextDue: ["b": later.now.addingTimeInterval(600)])
        #expect(later.decide().done, "waited ten minutes for a retry")
    }
}
