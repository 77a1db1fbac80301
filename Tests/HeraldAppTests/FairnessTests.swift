import Foundation
import HeraldTesting
import Testing

/// One `herald worker --once` through the real binary serves every channel that has something due, however short its
/// transfer budget: no channel waits while the budget goes to others, and none is left for a second run.
@Suite struct FairnessTests {
    /// A channels.yml fragment of `count` more webhook channels `c01`, `c02`, … posting to the sink.
    static func channels(_ names: [String], sink: HTTPSink) -> String {
        names.map { "  \($0):\n    type: webhook\n    url: \(sink.url("/\($0)"))\n    secret: ${TEST_WEBHOOK_SECRET}\n" }.joined()
    }

    /// Enqueues `each` messages on every channel in one batch, and returns their ids.
    static func enqueue(_ cli: HeraldCLI, _ names: [String], each: Int) async throws -> Set<String> {
        let lines = names.flatMap { name in (0..<each).map { "{\"channel\":\"\(name)\",\"kind\":\"notice\",\"data\":{\"reference\":\"\(name)-\($0)\"}}" } }
        let batch = try cli.write(lines.joined(separator: "\n"), to: "batch.jsonl")
        let result = try await cli.run("enqueue", "--batch", batch)
        #expect(result.status == 0, "\(result.stderr)")
        return Set(result.stdout.split(separator: "\n").map(String.init))
    }

    /// Requests per channel, by the path each channel posts to.
    static func perChannel(_ sink: HTTPSink) -> [String: Int] {
        Dictionary(grouping: sink.requests, by: { String($0.path.dropFirst()) }).mapValues(\.count)
    }

    @Test func threeChannelsWithOneTransferAtATimeAreAllServed() async throws {
        let sink = try HTTPSink()
        defer { sink.stop() }
        let names = ["a", "b", "c"]
        let cli = try HeraldCLI(sinkURL: sink.url("/partners"), extraYAML: Self.channels(names, sink: sink))
        let ids = try await Self.enqueue(cli, names, each: 3)
        #expect(ids.count == 9)
        let run = try await cli.run("worker", "--once", "--max-in-flight", "1")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("delivered 9"), "\(run.stdout)")
        #expect(Self.perChannel(sink) == ["a": 3, "b": 3, "c": 3])
        // They take turns: each channel is served once in every three requests.
        let order = sink.requests.map(\.path)
        for round in stride(from: 0, to: order.count, by: 3) { #expect(Set(order[round..<min(round + 3, order.count)]).count == 3, "\(order)") }
        #expect(Set(sink.requests.compactMap { $0.header("webhook-id") }) == ids)
    }

    @Test func fortyChannelsAtTheDefaultSettingsAreAllServed() async throws {
        let sink = try HTTPSink()
        defer { sink.stop() }
        let names = (1...40).map { String(format: "c%02d", $0) }
        let cli = try HeraldCLI(sinkURL: sink.url("/partners"), extraYAML: Self.channels(names, sink: sink), timeout: "30s")
        let ids = try await Self.enqueue(cli, names, each: 3)
        #expect(ids.count == 120)
        let run = try await cli.run("worker", "--once")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("delivered 120"), "\(run.stdout)")
        let counts = Self.perChannel(sink)
        #expect(counts.count == 40)
        #expect(counts.values.allSatisfy { $0 == 3 }, "\(counts)")
    }
}
