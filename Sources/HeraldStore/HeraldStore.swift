import Foundation
import HeraldCore

/// The durable queue: everything Herald knows lives behind this protocol, and every state change it makes
/// writes its audit event in the same transaction. The worker and the CLI are generic over it, so the
/// embedded SQLite driver and the PostgreSQL driver behave the same.
public protocol HeraldStore: Sendable {
    /// Stores every group or none. Returns once the messages are committed to disk.
    func enqueue(_ groups: [EnqueueGroup], now: Date) async throws -> [EnqueueResult]

    /// Carries out one worker turn in one transaction (see `WorkerTurn`): records completions (and the channel pauses
    /// they call for), renews and releases leases held by `worker`, expires overdue messages, claims due messages for
    /// `worker` — fairly within each request, oldest due first, never from a channel paused in the store — and reports
    /// the backlog of the surveyed channels as it stands afterwards. A completion for a message whose lease `worker`
    /// no longer holds keeps its attempt but changes no state. A turn that writes nothing only reads.
    func workerTurn(_ turn: WorkerTurn, worker: String, now: Date) async throws -> WorkerTurnResult

    /// Returns when the store may hold something new that another process wrote (an enqueue, a retry, a release)
    /// since the last `workerTurn`, or when the task is cancelled.
    func waitForChange() async

    func message(_ id: MessageID) async throws -> MessageDetail?
    func messages(matching query: MessageQuery) async throws -> [Message]
    func stateCounts() async throws -> StateCounts

    /// Reschedules dead, unconfirmed, expired or cancelled messages for delivery now, with a fresh retry budget and
    /// the deadline they had. A message past its deadline is refused; one behind a closed gate (an approval, a review
    /// on hold) goes back to `held`, never to `scheduled` (see `MessageTransition`).
    func retry(_ ids: [MessageID], actor: String, now: Date) async throws -> [ActionOutcome]
    /// Reschedules every dead message, optionally of one channel, as `retry` does.
    func retryDead(channel: String?, actor: String, now: Date) async throws -> [ActionOutcome]
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

    /// The channels paused beyond `now`, until when and why: what other workers were told.
    func channelPauses(now: Date) async throws -> [String: ChannelPause]

    func verifyAudit() async throws -> AuditVerification
}

extension HeraldStore {
    /// Takes due messages under a lease for `worker`: a turn that only claims.
    public func claim(_ requests: [ClaimRequest], worker: String, lease: TimeInterval, now: Date) async throws -> [ClaimedMessage] {
        try await workerTurn(WorkerTurn(claims: requests, lease: lease), worker: worker, now: now).claimed
    }

    /// Records attempts: a turn that only completes.
    public func complete(_ completions: [Completion], worker: String, now: Date) async throws {
        _ = try await workerTurn(WorkerTurn(completions: completions), worker: worker, now: now)
    }

    /// Gives claimed messages back unsent: a turn that only releases.
    public func release(_ ids: [MessageID], worker: String, now: Date) async throws {
        _ = try await workerTurn(WorkerTurn(releases: ids), worker: worker, now: now)
    }

    /// The backlog of `channels` now: a turn that only reads.
    public func backlog(of channels: [String], limit: Int = 1, now: Date) async throws -> [String: ChannelBacklog] {
        try await workerTurn(WorkerTurn(survey: channels, surveyLimit: limit), worker: "", now: now).backlog
    }
}
