import Foundation
import HeraldChannels
import HeraldCore
import HeraldTransport
import Testing

/// What every chat and social adapter must do with any answer, whatever its network: keep a reason or proof that is
/// short and on one line (no control characters, no Unicode line or paragraph separators) however hostile the body,
/// and retry a server error without pausing the channel.
@Suite struct AdapterHostileAnswerTests {
    typealias F = AdapterFixture

    /// Each adapter as its own suite builds it, with the statuses whose bodies it reads.
    struct Reader: Sendable, CustomTestStringConvertible {
        var network: String
        var adapter: any ChannelAdapter
        var statuses: [Int]
        var testDescription: String { network }
    }

    static let readers: [Reader] = [
        Reader(network: "Slack", adapter: SlackAdapterTests().adapter, statuses: [200, 400, 404, 500]),
        Reader(network: "Teams", adapter: TeamsAdapterTests().adapter, statuses: [200, 400, 500]),
        Reader(network: "Mastodon", adapter: MastodonAdapterTests().adapter, statuses: [401, 422, 429, 503]),
        Reader(network: "Bluesky", adapter: BlueskyAdapterTests().adapter, statuses: [400, 401, 429, 500]),
        Reader(network: "X", adapter: XAdapterTests().adapter, statuses: [400, 401, 403, 429, 500]),
        Reader(network: "Facebook", adapter: FacebookAdapterTests().adapter, statuses: [400, 403, 500]),
        Reader(network: "LinkedIn", adapter: LinkedInAdapterTests().adapter, statuses: [400, 401, 426, 429, 500]),
    ]

    @Test(arguments: readers, F.hostileBodies)
    func aHostileBodyGivesAShortSingleLineReason(reader: Reader, body: [UInt8]) {
        for status in reader.statuses {
            F.expectSafe(reader.adapter.outcome(of: F.answer(status, bytes: body), now: F.now))
        }
    }

    @Test(arguments: readers)
    func unicodeLineSeparatorsInABodyDoNotBreakTheReason(reader: Reader) {
        for status in reader.statuses {
            F.expectSafe(reader.adapter.outcome(of: F.answer(status, bytes: F.unicodeLineBreakBody), now: F.now))
        }
    }

    @Test(arguments: readers.filter { ["Teams", "X", "LinkedIn"].contains($0.network) }, [500, 502, 503, 504])
    func serverErrorsRetryWithoutPausingTheChannel(reader: Reader, status: Int) throws {
        let outcome = reader.adapter.outcome(of: F.answer(status), now: F.now)
        let retry = try #require(outcome.retried)
        #expect(retry.after == nil)
        #expect(!retry.pauseChannel)
        #expect(outcome.pauseChannelUntil == nil)
    }
}
