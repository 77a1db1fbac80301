import Foundation
import Testing

/// A database the user may only read (an archived copy, another account's file): `log`, `show` and `audit verify`
/// work, and anything that would change it is refused with the reason. Run as root (as CI is), the commands drop to
/// `nobody` with setpriv (reading through the file's group), since file modes do not bind root; otherwise the file and
/// its folder are made read-only.
@Suite struct ReadOnlyDatabaseTests {
    @Test func aReadOnlyDatabaseCanBeListedAndVerifiedButNotChanged() async throws {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook")
        let enqueued = try await cli.run("enqueue", "--channel", "partners", "--kind", "notice", "--data", "{\"reference\":\"R1\"}")
        #expect(enqueued.status == 0, "\(enqueued.stderr)")
        let id = enqueued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        // Readable by its group only (the database holds personal data, so it may not be readable by every user).
        let asRoot = getuid() == 0
        if asRoot {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: cli.directory.path)
            try FileManager.default.setAttributes([.posixPermissions: 0o640, .groupOwnerAccountID: 65534], ofItemAtPath: cli.database)
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: cli.database)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: cli.directory.path)
        }
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: cli.directory.path) }
        func run(_ arguments: String...) async throws -> HeraldCLI.Result {
            let command = (["\"$HERALD\""] + arguments.map { "'\($0)'" }).joined(separator: " ")
            return try await cli.run(shell: asRoot ? "exec setpriv --reuid=nobody --regid=nogroup --clear-groups \(command)" : "exec \(command)")
        }

        let listed = try await run("log", "--json")
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains(id))
        let shown = try await run("show", id)
        #expect(shown.status == 0, "\(shown.stderr)")
        let verified = try await run("audit", "verify")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("audit trail intact"))

        let cancelled = try await run("cancel", id)
        #expect(cancelled.status != 0)
        #expect(cancelled.stderr.contains("read-only for this user"), "\(cancelled.stderr)")
        let worker = try await run("worker", "--once")
        #expect(worker.status != 0)
        #expect(worker.stderr.contains("read-only"), "\(worker.stderr)")
        #expect(try await cli.storedCount() == 1)
    }
}
