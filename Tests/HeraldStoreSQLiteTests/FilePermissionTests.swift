import Foundation
import HeraldCore
import HeraldStore
import HeraldStoreSQLite
import HeraldTesting
import Testing

/// The database holds personal data: it and its WAL and shared-memory files are created for this user only, and a
/// database every user of the machine could read is refused with the command that closes it.
@Suite struct FilePermissionTests {
    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1) & 0o777
    }

    @Test func theDatabaseAndItsCompanionsAreForThisUserOnly() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        _ = try await fixture.store.enqueue([StoreFixture.group([StoreFixture.message(at: Date())])], now: Date())
        for file in [fixture.path, fixture.path + "-wal", fixture.path + "-shm"] {
            #expect(FileManager.default.fileExists(atPath: file), "\(file) missing")
            let mode = try Self.mode(file)
            #expect(mode == 0o600, "\(file) is \(String(mode, radix: 8))")
        }
    }

    @Test func aDatabaseEveryoneCanReadIsRefusedWithTheFix() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-mode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("herald.db").path
        _ = try SQLiteStore(path: path, auditKey: TestKeys.audit)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let error = try #require(throws: HeraldError.self) { try SQLiteStore(path: path, auditKey: TestKeys.audit) }
        #expect(error.message.contains("can be read by every user of this machine (mode 644)"), "\(error.message)")
        #expect(error.message.contains("chmod o-rwx \(path)*"))
    }
}
