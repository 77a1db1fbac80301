import Foundation
import HeraldStore

/// Everything `/metrics` shows, read from the store in one pass: the attempts since the last reading (by cursor),
/// and the present state of messages, channels and the audit trail.
public struct MetricsService<Store: MetricsStore & OperatorStore>: Sendable {
    let store: Store
    /// Attempts read per query, so a first scrape of a long history does not hold one read open for long.
    let batch = 10_000

    public init(store: Store) {
        self.store = store
    }

    public struct Reading: Sendable {
        public var counts: [ChannelStateCount]
        /// The attempts recorded since the cursor given, oldest first.
        public var attempts: [AttemptSample]
        /// Pass to the next reading.
        public var cursor: Int64
        public var loads: [String: ChannelLoad]
        public var pauses: [String: ChannelPause]
        public var auditEvents: Int64
    }

    public func read(after cursor: Int64, now: Date) async throws -> Reading {
        var attempts: [AttemptSample] = []
        var next = cursor
        while true {
            let (samples, moved) = try await store.attempts(after: next, limit: batch)
            attempts += samples
            next = moved
            if samples.count < batch { break }
        }
        return Reading(
            counts: try await store.messageCounts(), attempts: attempts, cursor: next, loads: try await store.channelLoads(now: now),
            pauses: try await store.channelPauses(now: now), auditEvents: try await store.auditEventCount()
        )
    }
}
