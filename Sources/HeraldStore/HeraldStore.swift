import Foundation
import HeraldCore

/// The durable queue: everything Herald knows lives behind this protocol, and every state change it makes
/// writes its audit event in the same transaction. The worker and the CLI are generic over it, so the
/// embedded SQLite driver and the PostgreSQL driver behave the same.
public protocol HeraldStore: Sendable {
    /// Stores every group or none. Returns once the messages are committed to disk.
    func enqueue(_ groups: [EnqueueGroup], now: Date) async throws -> [EnqueueResult]

    /// Marks overdue messages `expired`, then takes due messages under a lease for `worker`, in one transaction.
    /// A message whose lease ran out is due again.
    func claim(_ requests: [ClaimRequest], worker: String, lease: TimeInterval, now: Date) async throws -> [ClaimedMessage]

    /// Records attempts and moves messages on. A completion for a message whose lease `worker` no longer holds
    /// keeps its attempt but changes no state.
    func complete(_ completions: [Completion], worker: String, now: Date) async throws

    /// Gives messages back unsent (a stopping worker), so another worker can take them at once.
    func release(_ ids: [MessageID], worker: String, now: Date) async throws

    /// The earliest time at which something becomes claimable or expires, if anything is pending.
    func nextWakeTime(channels: [String]) async throws -> Date?

    /// Returns when the store may hold something new (an enqueue, a retry, a release) since it last answered
    /// `nextWakeTime`, or at `deadline`.
    func waitForChange(until deadline: Date) async

    func message(_ id: MessageID) async throws -> MessageDetail?
    func messages(matching query: MessageQuery) async throws -> [Message]
    func stateCounts() async throws -> StateCounts

    /// Reschedules dead, unconfirmed, expired or cancelled messages for delivery now, with a fresh retry budget.
    func retry(_ ids: [MessageID], actor: String, now: Date) async throws -> [MessageID]
    /// Reschedules every dead message, optionally of one channel.
    func retryDead(channel: String?, actor: String, now: Date) async throws -> [MessageID]
    /// Cancels messages that have not been delivered and are not being sent right now.
    func cancel(_ ids: [MessageID], actor: String, now: Date) async throws -> [MessageID]

    /// Records an operator's word that an unconfirmed message's post exists after all (found by hand at `url`): the
    /// message is delivered with that URL as its receipt, and is never sent again. False if it is not unconfirmed.
    func resolveDelivered(_ id: MessageID, url: String, actor: String, now: Date) async throws -> Bool

    /// The saved session of a channel that logs in (Bluesky), as the adapter encoded it. Kept in the store because
    /// logging in is tightly rate-limited: a restarted or second worker reuses the session instead.
    func channelSession(_ channel: String) async throws -> String?
    /// Replaces a channel's saved session (after a login or a refresh, which revokes the old refresh token).
    func saveChannelSession(_ channel: String, _ session: String, now: Date) async throws

    /// Records that a channel must send nothing until `until` (a receiver's rate-limit reset, an open circuit):
    /// until then `claim` gives out nothing of the channel and `nextWakeTime` answers no earlier, so every worker on
    /// this store holds back, not only the one that was told. A later `until` wins; `reason` is kept in the audit trail.
    func pauseChannel(_ channel: String, until: Date, reason: String, now: Date) async throws
    /// The channels paused beyond `now`, until when and why: what other workers were told.
    func channelPauses(now: Date) async throws -> [String: ChannelPause]

    func verifyAudit() async throws -> AuditVerification

    /// Records `completions` and claims for `requests` in one step; drivers that can should do both in one
    /// transaction, since this is what a busy worker does on every turn.
    func completeAndClaim(
        _ completions: [Completion], claims requests: [ClaimRequest], worker: String, lease: TimeInterval, now: Date
    ) async throws -> [ClaimedMessage]
}

extension HeraldStore {
    public func completeAndClaim(
        _ completions: [Completion], claims requests: [ClaimRequest], worker: String, lease: TimeInterval, now: Date
    ) async throws -> [ClaimedMessage] {
        try await complete(completions, worker: worker, now: now)
        return try await claim(requests, worker: worker, lease: lease, now: now)
    }
}
