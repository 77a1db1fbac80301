import Foundation
import HeraldCore
import Testing

/// Each wait has a deadline far beyond its bound, so a wake is told from a deadline even on a machine busy enough to
/// stall the test for many seconds.
@Suite struct WakeSignalTests {
    @Test func aRingBeforeTheWaitIsRemembered() async {
        let signal = WakeSignal()
        signal.signal()
        let started = ContinuousClock.now
        await signal.wait(until: Date().addingTimeInterval(300))
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func aRingWakesTheSleeper() async {
        let signal = WakeSignal()
        let started = ContinuousClock.now
        Task {
            try? await Task.sleep(for: .milliseconds(50))
            signal.signal()
        }
        await signal.wait(until: Date().addingTimeInterval(300))
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func theDeadlineEndsTheWait() async {
        let started = ContinuousClock.now
        await WakeSignal().wait(until: Date().addingTimeInterval(0.1))
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(90) && elapsed < .seconds(60))
    }

    @Test func cancellingTheSleeperEndsTheWait() async {
        let signal = WakeSignal()
        let started = ContinuousClock.now
        let sleeper = Task { await signal.wait(until: Date().addingTimeInterval(300)) }
        try? await Task.sleep(for: .milliseconds(20))
        sleeper.cancel()
        await sleeper.value
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func cancellingBeforeTheWaitBeginsReturnsAtOnce() async {
        let signal = WakeSignal()
        let started = ContinuousClock.now
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await signal.wait(until: Date().addingTimeInterval(300))
        }
        await sleeper.value
        #expect(ContinuousClock.now - started < .seconds(60))
    }
}
