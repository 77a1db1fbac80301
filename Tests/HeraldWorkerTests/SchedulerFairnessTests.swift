import Foundation
import HeraldCore
import HeraldStore
import Testing
@testable import HeraldWorker

/// How the scheduler shares a claim budget between channels: never to a channel with nothing due while one with due
/// work and room waits, and round robin when the budget is short — never by the channels' names.
@Suite struct SchedulerFairnessTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        /// The worker's global cap (the claim budget is twice it).
        var maxInFlight: Int
        /// Each channel: its name, `max_in_flight` and how many messages are due in the store.
        var channels: [(name: String, slots: Int, due: Int)]
        /// What the first claim asks of each channel.
        var expected: [String: Int]

        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(
            label: "a short budget skips the channel with nothing due", maxInFlight: 1,
            channels: [("a", 8, 3), ("b", 8, 0), ("c", 8, 3)], expected: ["a": 1, "c": 1]
        ),
        Case(
            label: "the one channel with due work gets the whole budget", maxInFlight: 1,
            channels: [("a", 8, 0), ("b", 8, 0), ("c", 8, 5)], expected: ["c": 2]
        ),
        Case(
            label: "a budget shorter than the channels with due work goes one each", maxInFlight: 2,
            channels: [("a", 8, 1), ("b", 8, 0), ("c", 8, 1), ("d", 8, 0), ("e", 8, 1), ("f", 8, 1)], expected: ["a": 1, "c": 1, "e": 1, "f": 1]
        ),
        Case(
            label: "each channel takes no more than is due, the rest goes to the others", maxInFlight: 5,
            channels: [("a", 8, 1), ("b", 8, 20), ("c", 8, 2)], expected: ["a": 1, "b": 7, "c": 2]
        ),
        Case(
            label: "a channel takes no more than twice its own slots", maxInFlight: 256,
            channels: [("a", 2, 50), ("b", 32, 50)], expected: ["a": 4, "b": 50]
        ),
        Case(
            label: "forty channels with three due each at the default settings", maxInFlight: 256,
            channels: (1...40).map { (String(format: "c%02d", $0), 32, 3) },
            expected: Dictionary(uniqueKeysWithValues: (1...40).map { (String(format: "c%02d", $0), 3) })
        ),
    ]

    @Test(arguments: cases)
    func theBudgetGoesOnlyWhereSomethingIsDue(_ table: Case) throws {
        var fixture = try SchedulerFixture(table.channels.map { ($0.name, $0.slots) }, maxInFlight: table.maxInFlight)
        let due = Dictionary(uniqueKeysWithValues: table.channels.map { ($0.name, $0.due) })
        let survey = try #require(fixture.decide().turn)
        #expect(survey.claims.isEmpty, "nothing is claimed before the backlog is known")
        fixture.answer(survey, due: due)
        let claim = try #require(fixture.decide().turn)
        #expect(claim.claimed == table.expected)
        // Whatever the table: no channel with due work and room is left out while one with nothing due gets some.
        let budget = 2 * table.maxInFlight
        let wanted = table.channels.reduce(0) { $0 + min($1.due, 2 * $1.slots) }
        #expect(claim.claims.reduce(0) { $0 + $1.limit } == min(budget, wanted))
        for channel in table.channels where channel.due == 0 { #expect(claim.claimed[channel.name] == nil) }
    }

    /// One transfer at a time across three channels: they take turns, instead of the first by name taking all.
    @Test func aBudgetOfOneServesEveryChannelInTurn() throws {
        var fixture = try SchedulerFixture([("a", 8), ("b", 8), ("c", 8)], maxInFlight: 1)
        var due = ["a": 3, "b": 3, "c": 3]
        var served: [String] = []
        for _ in 0..<60 where served.count < 9 {
            let decision = fixture.decide()
            #expect(decision.launch.count <= 1)
            for held in decision.launch {
                served.append(held.channel)
                fixture.scheduler.finish(fixture.finished(held.id, .delivered(proof: "HTTP 204")), now: fixture.now, unit: 0)
            }
            if let turn = decision.turn {
                fixture.answer(turn, due: due)
                for request in turn.claims { due[request.channel]! -= request.limit }
            }
        }
        #expect(served.count == 9)
        #expect(Array(served.prefix(3)).sorted() == ["a", "b", "c"], "the first three went to \(served.prefix(3))")
        for name in ["a", "b", "c"] { #expect(served.filter { $0 == name }.count == 3) }
    }

    /// A channel that is paused, or whose circuit is open, has no room: the budget goes to the others.
    @Test func aPausedChannelGetsNothingAndTheOthersGetItsShare() throws {
        var fixture = try SchedulerFixture([("a", 8), ("b", 8)], maxInFlight: 2)
        let survey = try #require(fixture.decide().turn)
        fixture.scheduler.absorb(
            WorkerTurnResult(backlog: [
                "a": ChannelBacklog(due: 0, nextDue: fixture.now.addingTimeInterval(600), pause: ChannelPause(until: fixture.now.addingTimeInterval(600), reason: "429")),
                "b": ChannelBacklog(due: 5, nextDue: fixture.now),
            ]),
            now: fixture.now, uptime: fixture.uptime
        )
        _ = survey
        let claim = try #require(fixture.decide().turn)
        #expect(claim.claimed == ["b": 4])
    }
}
