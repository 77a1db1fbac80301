import Foundation
import Testing

/// `herald check` through the real binary: a lease that leaves too little room for a channel's timeout is refused with
/// the reason; a shutdown grace shorter than a timeout passes with a warning that says what it means.
@Suite struct CheckTests {
    @Test func aLeaseNotComfortablyLongerThanTheTimeoutIsRefused() async throws {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook", lease: "10s", timeout: "9s")
        let result = try await cli.run("check")
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr.contains(
                "channels.yml:9: channels.partners: the worker lease (10s) is not comfortably longer than this channel's timeout (9s)"
            ),
            "\(result.stderr)"
        )
        #expect(result.stderr.contains("Make worker.lease at least 18s"))
        // The worker refuses to start on it just the same.
        let worker = try await cli.run("worker", "--once")
        #expect(worker.status != 0)
        #expect(worker.stderr.contains("not comfortably longer"))
    }

    @Test func aShortShutdownGraceIsAWarningNotARefusal() async throws {
        let cli = try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook", lease: "60s", timeout: "20s")
        let result = try await cli.run("check")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("warning: worker.shutdown_grace (2s) is shorter than channel 'partners' timeout (20s)"), "\(result.stdout)")
        #expect(result.stdout.hasSuffix("ok\n"))
    }
}
