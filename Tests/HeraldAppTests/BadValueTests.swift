import Foundation
import GRDB
import HeraldCore
import Testing

/// Every kind of bad value the command line or a file can bring, in one table, through the real binary: each is
/// refused with a clear error and a failing exit status, nothing is stored, nothing crashes, and no secret is echoed.
@Suite struct BadValueTests {
    /// The one secret every case's setup has in reach (the webhook's); no output may contain it.
    static let secret = HeraldCLI.secret

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// Changes the scratch setup before the command runs (a file to write, a database to alter).
        var prepare: @Sendable (HeraldCLI) async throws -> Void = { _ in }
        /// The command; `FILE` stands for the path `prepare` wrote to `bad.yml`.
        var arguments: [String]
        var expected: String
        var testDescription: String { name }
    }

    static let enqueue = ["enqueue", "--channel", "partners", "--kind", "notice"]
    static let data = ["--data", "{\"reference\":\"R1\"}"]

    static let cases: [Case] = [
        Case(name: "a send time too far ahead", arguments: enqueue + data + ["--at", "+999999999999d"], expected: "more than 10 years ahead"),
        Case(name: "a deadline too far ahead", arguments: enqueue + data + ["--deadline", "9999-12-31T00:00:00Z"], expected: "more than 10 years ahead"),
        Case(name: "an integer past 2^53", arguments: enqueue + ["--data", "{\"reference\":\"R1\",\"n\":9007199254740993}"], expected: "'n' is 9007199254740993, beyond 2^53"),
        Case(name: "a right-to-left override in a subject", arguments: enqueue + ["--data", "{\"reference\":\"R1\\u202Egpj\"}"], expected: "text-direction control"),
        Case(name: "a lease that overflows", prepare: { try $0.replaceInConfig("lease: 60s", with: "lease: 99999999999999d") }, arguments: ["check"],
             expected: "is longer than the 86400s allowed here"),
        Case(name: "a literal secret", prepare: { cli in
            try cli.replaceInConfig("secret: ${TEST_WEBHOOK_SECRET}", with: "secret: \(secret)")
            try cli.replaceInConfig("\nallow_literal_secrets: true\n", with: "\n")
        }, arguments: ["check"], expected: "the secret is written out in the file"),
        Case(name: "a reference where a plain value belongs", prepare: { cli in
            try cli.replaceInConfig("  partners:\n", with: "  page:\n    type: facebook\n    page_id: ${TEST_WEBHOOK_SECRET}\n    token: t\n  partners:\n")
        }, arguments: ["check"], expected: "channels.page.page_id"),
        Case(name: "YAML aliases that expand to millions", prepare: { cli in
            let lists = ["b", "c", "d", "e", "f", "g"].enumerated().map { index, name in
                "      \(name): &\(name) [" + Array(repeating: "*\(["a", "b", "c", "d", "e", "f"][index])", count: 9).joined(separator: ", ") + "]\n"
            }.joined()
            _ = try cli.write(
                "campaign: week\nposts:\n  - name: launch\n    networks: [partners]\n    at: \"2099-01-05 09:00\"\n    text: Hi\n    data:\n"
                    + "      a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + lists,
                to: "bad.yml"
            )
        }, arguments: ["campaign", "load", "FILE"], expected: "more than 100000 values"),
        Case(name: "a database from a newer Herald", prepare: { cli in
            _ = try await cli.run("log")
            let queue = try DatabaseQueue(path: cli.database)
            try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99 future')") }
        }, arguments: ["log"], expected: "written by a newer Herald (schema v99 future"),
        Case(name: "a PostgreSQL url for --db", arguments: ["log", "--db", "postgres://herald:\(secret)@db.example.org/herald"], expected: "cannot use yet"),
    ]

    @Test(arguments: cases)
    func isRefusedClearlyWithNothingStored(_ testCase: Case) async throws {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook")
        try await testCase.prepare(cli)
        let file = cli.directory.appendingPathComponent("bad.yml").path
        let result = try await cli.run(testCase.arguments.map { $0 == "FILE" ? file : $0 })
        #expect(result.status != 0, "accepted: \(result.stdout)")
        #expect(result.stderr.contains(testCase.expected), "stderr was: \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error") && result.status < 128, "crashed with status \(result.status)")
        #expect(!(result.stdout + result.stderr).contains(Self.secret), "a secret was echoed")
        // A refused setup cannot even list (-1); a working one lists nothing.
        let stored = (try? await cli.storedCount()) ?? -1
        #expect(stored <= 0, "something was stored")
    }
}

extension HeraldCLI {
    /// Replaces text in this setup's channels.yml; fails if the text is not there, so a case cannot silently test
    /// nothing.
    func replaceInConfig(_ old: String, with new: String) throws {
        let url = directory.appendingPathComponent("channels.yml")
        let text = try String(contentsOf: url, encoding: .utf8)
        guard text.contains(old) else { throw HeraldError(.invalidInput, "channels.yml has no '\(old)'") }
        try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
    }
}
