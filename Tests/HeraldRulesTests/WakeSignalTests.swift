import Foundation
import HeraldCore
import HeraldTesting
import Testing

/// The doorbell on a manual clock: a deadline ends the wait when the clock is advanced to it, and not before.
@Suite(.timeLimit(.minutes(1))) struct WakeSignalTests {
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))

    @Test func aRingBeforeTheWaitIsRemembered() async {
        let signal = WakeSignal()
        signal.signal()
        #expect(signal.isPending)
        await signal.wait(untilUptime: clock.uptime() + 300, clock: clock)
        #expect(!signal.isPending)
    }

    @Test func aRingWakesTheSleeper() async {
        let signal = WakeSignal()
        let sleeper = Task { await signal.wait(untilUptime: nil, clock: clock) }
        signal.signal()
        await sleeper.value
    }

    @Test func theDeadlineEndsTheWaitOnlyWhenTheClockReachesIt() async {
        let signal = WakeSignal()
        let deadline = clock.uptime() + 60
        let begun = clock.sleepsBegun
        let woke = Task { () -> TimeInterval in
            await signal.wait(untilUptime: deadline, clock: clock)
            return clock.uptime()
        }
        while clock.sleepsBegun == begun { await Task.yield() }
        clock.advance(by: 59)
        #expect(clock.nextDeadline == deadline, "the wait ended before its deadline")
        clock.advance(by: 1)
        #expect(await woke.value == deadline)
    }

    @Test func cancellingTheSleeperEndsTheWait() async {
        let signal = WakeSignal()
        let sleeper = Task { await signal.wait(untilUptime: nil, clock: clock) }
        sleeper.cancel()
        await sleeper.value
    }

    @Test func cancellingBeforeTheWaitBeginsReturnsAtOnce() async {
        let signal = WakeSignal()
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await signal.wait(untilUptime: clock.uptime() + 300, clock: clock)
        }
        await sleeper.value
    }
}
