import Foundation
import HeraldStoreSQLite
import HeraldTesting
import Testing

/// The SQLite driver against every case every store must pass (`StoreConformance` in HeraldTesting).
@Suite struct SQLiteConformanceTests {
    @Test(arguments: StoreConformance<SQLiteStore>.Case.allCases)
    func conforms(_ testCase: StoreConformance<SQLiteStore>.Case) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await StoreConformance { try SQLiteStore(path: directory.appendingPathComponent("herald.db").path, auditKey: TestKeys.audit) }.run(testCase)
    }
}
