import Foundation
import HeraldCore

/// The worker's side of the store, and the way in: messages are enqueued, then claimed, recorded, renewed and
/// released by workers in turns. Every state change writes its audit event in the same transaction; `docs/store.md`
/// sets out the guarantees every driver keeps (durable on return, leases, ordering), and `StoreConformance` in
/// HeraldTesting checks them.
public protocol MessageQueue: Sendable {
    /// Stores every group or none. Returns once the messages are committed to disk. A group whose dedupe key was seen
    /// before stores nothing and returns the first group's ids, in the order they were stored.
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

    /// The saved session of a channel that logs in (Bluesky), as the adapter encoded it. Kept in the store because
    /// logging in is tightly rate-limited: a restarted or second worker reuses the session instead.
    func channelSession(_ channel: String) async throws -> String?
    /// Replaces a channel's saved session (after a login or a refresh, which revokes the old refresh token).
    func saveChannelSession(_ channel: String, _ session: String, now: Date) async throws
}

extension MessageQueue {
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
