import Foundation
import HeraldTesting
import Testing

/// Bad input through the real command line: a clear error on stderr, a failing exit status, nothing stored.
@Suite struct EnqueueInputTests {
    func refused(_ cli: HeraldCLI, _ arguments: [String], saying expected: String) async throws {
        let result = try await cli.run(arguments)
        #expect(result.status != 0, "\(arguments) was accepted: \(result.stdout)")
        #expect(result.stderr.contains(expected), "stderr was: \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
        #expect(try await cli.storedCount() == 0)
    }

    @Test func eachBadInputIsRefusedWithAClearErrorAndNothingStored() async throws {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook")
        let base = ["enqueue", "--channel", "partners", "--kind", "notice"]
        try await refused(cli, ["enqueue", "--channel", "nope", "--kind", "notice", "--data", "{\"reference\":\"R1\"}"], saying: "no channel 'nope'")
        try await refused(cli, base + ["--data", "{\"reference\":\"R1\"}", "--at", "tomorrow"], saying: "is not a time")
        try await refused(cli, base + ["--data", "{\"reference\":\"R1\"}", "--at", "+5 mins"], saying: "is not a time")
        for far in ["+999999999999d", "+99999999d", "+3651d", "9999-12-31T00:00:00Z"] {
            try await refused(cli, base + ["--data", "{\"reference\":\"R1\"}", "--at", far], saying: "more than 10 years ahead")
        }
        try await refused(cli, base + ["--data", "{\"reference\":\"R1\"}", "--deadline", "+999999999999d"], saying: "more than 10 years ahead")
        try await refused(cli, base + ["--data", "{\"reference\":\"R1\\u202E\"}"], saying: "text-direction control")
        try await refused(cli, base + ["--data", "{\"reference\":\"R1\",\"case\":{\"ids\":[1,9007199254740993]}}"], saying: "'case.ids[1]' is 9007199254740993, beyond 2^53")
        try await refused(cli, base + ["--data", "{\"reference\":\"R1\",\"n\":123456789012345678901234567890}"], saying: "'n' is 123456789012345677877719597056")
        let farLine = try cli.write("{\"channel\":\"partners\",\"kind\":\"notice\",\"at\":\"+999999999999d\",\"data\":{\"reference\":\"R1\"}}\n", to: "far.jsonl")
        try await refused(cli, ["enqueue", "--batch", farLine], saying: "far.jsonl:1:")
        let bigLine = try cli.write("{\"channel\":\"partners\",\"kind\":\"notice\",\"data\":{\"reference\":\"R1\",\"n\":9007199254740993}}\n", to: "big.jsonl")
        try await refused(cli, ["enqueue", "--batch", bigLine], saying: "big.jsonl:1: 'data.n' is 9007199254740993, beyond 2^53")
        try await refused(cli, base + ["--data", "{nope"], saying: "not valid JSON")
        try await refused(cli, base + ["--data", "[1,2]"], saying: "must be a JSON object")
        try await refused(cli, base + ["--data", "{}"], saying: "uses 'reference'")
        try await refused(cli, base + ["--data", "{\"reference\":\"R1\"}", "--to", "a@example.org\r\nBcc: x@example.org"], saying: "line break")
        try await refused(cli, base + ["--data", "{\"reference\":\"R1\"}", "--dedupe-key", "k\r\nX: y"], saying: "line break")
        try await refused(cli, ["enqueue", "--channel", "partners", "--kind", "notice\r\nX", "--data", "{\"reference\":\"R1\"}"], saying: "not a valid name")
        try await refused(cli, base + ["--data", "{\"reference\":\"R1\\r\\nBcc: x\"}"], saying: "line break")
        try await refused(cli, base + ["--data", "{\"reference\":\"R1\"}", "--deadline", "+1s", "--at", "+1h"], saying: "not after the send time")
        try await refused(cli, base + ["--data", "{\"reference\":\"R1\"}", "--to", "someone@example.org"], saying: "--to is not used")
        try await refused(cli, base + ["--template", "../../etc", "--data", "{\"reference\":\"R1\"}"], saying: "not a valid name")
        try await refused(cli, ["enqueue", "--channel", "partners", "--kind", "press_release", "--data", "{}"], saying: "'herald review press-release REF'")
        try await refused(cli, base + ["--template", "press_release", "--data", "{}"], saying: "only after its review is published")

        let huge = try cli.write("{\"reference\":\"R1\",\"blob\":\"" + String(repeating: "x", count: 10_000_000) + "\"}", to: "huge.json")
        try await refused(cli, base + ["--data-file", huge], saying: "the limit is 1.0 MiB")
        let hugeLine = try cli.write(
            "{\"channel\":\"partners\",\"kind\":\"notice\",\"data\":{\"reference\":\"" + String(repeating: "y", count: 10_000_000) + "\"}}\n",
            to: "huge.jsonl"
        )
        try await refused(cli, ["enqueue", "--batch", hugeLine], saying: "larger than 1 MiB")
        let latin1 = cli.directory.appendingPathComponent("latin1.json")
        try Data([0x7B, 0x22, 0x72, 0x22, 0x3A, 0x22, 0xE9, 0x22, 0x7D]).write(to: latin1)
        try await refused(cli, base + ["--data-file", latin1.path], saying: "not valid UTF-8")
    }

    /// `--db` takes a file or `sqlite:PATH`; a PostgreSQL URL is named as not available yet, never made into a file.
    @Test func theDatabaseIsAFileOrASQLiteURL() async throws {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook")
        let stored = try await cli.run("enqueue", "--db", "sqlite:\(cli.database)", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R1\"}")
        #expect(stored.status == 0, "\(stored.stderr)")
        #expect(try await cli.storedCount() == 1)
        for (value, expected) in [("postgres://herald@db.example.org/herald", "cannot use yet"), ("", "--db is empty"), ("ftp://x/y", "a URL Herald does not know")] {
            let refused = try await cli.run("log", "--db", value)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains(expected), "\(value): \(refused.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: cli.directory.appendingPathComponent("postgres:").path))
    }

    /// Latin-1 bytes on the command line would otherwise become U+FFFD and be stored changed.
    @Test func argumentsThatAreNotUTF8AreRefused() async throws {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook")
        let result = try await cli.run(
            shell: #"exec "$HERALD" enqueue --channel partners --kind notice --data "{\"reference\":\"R$(printf '\351')\"}""#
        )
        #expect(result.status != 0)
        #expect(result.stderr.contains("Argument 7 is not valid UTF-8"), "\(result.stderr)")
        #expect(try await cli.storedCount() == 0)
    }

    @Test func aBatchIsAllOrNothingAndNamesTheBadLine() async throws {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook")
        let good = "{\"channel\":\"partners\",\"kind\":\"notice\",\"data\":{\"reference\":\"R1\"}}"
        let batch = try cli.write([good, "", good, "{\"channel\":\"partners\",\"kind\":\"notice\",\"at\":\"later\",\"data\":{\"reference\":\"R\"}}"].joined(separator: "\n"), to: "b.jsonl")
        try await refused(cli, ["enqueue", "--batch", batch], saying: "b.jsonl:4:")
        let broken = try cli.write(good + "\n{not json\n", to: "c.jsonl")
        try await refused(cli, ["enqueue", "--batch", broken], saying: "c.jsonl:2: the line is not a valid JSON object")

        let fine = try cli.write([good, good, good].joined(separator: "\n") + "\n", to: "ok.jsonl")
        let result = try await cli.run("enqueue", "--batch", fine)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 3)
        #expect(try await cli.storedCount() == 3)
    }

    @Test func dedupeKeyTwicePrintsTheSameIdAndStoresOne() async throws {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook")
        let arguments = ["enqueue", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R1\"}", "--dedupe-key", "R1-panel"]
        let first = try await cli.run(arguments)
        let second = try await cli.run(arguments)
        #expect(first.status == 0 && second.status == 0)
        #expect(first.stdout == second.stdout)
        #expect(try await cli.storedCount() == 1)
    }

    @Test func aBadConfigFileStopsEveryCommandWithFileKeyAndLine() async throws {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook", extraYAML: "  other:\n    type: webhook\n    url: http://example.org/h\n    secret: ${TEST_WEBHOOK_SECRET}\n")
        let result = try await cli.run("check")
        #expect(result.status != 0)
        #expect(result.stderr.contains("channels.yml:16: channels.other.url:"), "\(result.stderr)")
    }
}
