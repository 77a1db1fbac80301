import Foundation
import Testing

/// `herald token`: a token is shown once and kept only as a digest; bad names and roles are refused; a revoked name
/// is never given out again.
@Suite struct TokenCommandTests {
    @Test func aTokenIsShownOnceAndNeverStored() async throws {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook")
        let made = try await cli.run("token", "create", "--name", "ops", "--role", "operator", "--role", "AUDITOR")
        #expect(made.status == 0, "\(made.stderr)")
        let token = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("herald_") && token.count == 50, "\(token)")
        let listed = try await cli.run("token", "list")
        #expect(listed.stdout.contains("ops  operator,auditor  made "), "\(listed.stdout)")
        #expect(!listed.stdout.contains(token))
        let bytes = ["", "-wal"].compactMap { FileManager.default.contents(atPath: cli.database + $0) }.reduce(Data(), +)
        #expect(bytes.range(of: Data(token.utf8)) == nil, "the token is in the database file")

        let again = try await cli.run("token", "create", "--name", "ops", "--role", "operator")
        #expect(again.status != 0 && again.stderr.contains("exists already"), "\(again.stderr)")
        try await cli.expectSuccess("token", "revoke", "ops")
        #expect(try await cli.run("token", "list").stdout.contains("revoked "))
        let reused = try await cli.run("token", "create", "--name", "ops", "--role", "operator")
        #expect(reused.status != 0, "a revoked token's name was given out again")
        let twice = try await cli.run("token", "revoke", "ops")
        #expect(twice.status != 0 && twice.stderr.contains("No active token"), "\(twice.stderr)")
        let verified = try await cli.run("audit", "verify")
        #expect(verified.status == 0, "\(verified.stderr)")
    }

    @Test(arguments: [
        (["--name", "ops"], "at least one --role"),
        (["--name", "ops", "--role", "king"], "'king' is not a role"),
        (["--name", "bad name", "--role", "operator"], "is not a valid name"),
        (["--name", "line\nbreak", "--role", "operator"], "is not a valid name"),
    ])
    func badNamesAndRolesAreRefused(_ arguments: [String], _ expected: String) async throws {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook")
        let refused = try await cli.run(["token", "create"] + arguments)
        #expect(refused.status != 0 && refused.stderr.contains(expected), "\(refused.stderr)")
        #expect(try await cli.run("token", "list").stdout.isEmpty)
    }
}
