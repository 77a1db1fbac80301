import Foundation
import HeraldCore

/// The operator's side of the store: reading messages and acting on them. Actions follow the lifecycle table
/// (`docs/lifecycle.md`), gates included, and each writes its audit event in the same transaction.
public protocol OperatorStore: Sendable {
    func message(_ id: MessageID) async throws -> MessageDetail?
    /// Newest first, up to the query's limit.
    func messages(matching query: MessageQuery) async throws -> [Message]
    func stateCounts() async throws -> StateCounts
    /// Throws unless the store can be read and written now (`/readyz`): takes and releases the write lock.
    func checkWritable() async throws

    /// Reschedules dead, unconfirmed, expired or cancelled messages for delivery now, with a fresh retry budget and
    /// the deadline they had. A message past its deadline is refused; one behind a closed gate (an approval, a review
    /// on hold) goes back to `held`, never to `scheduled` (see `MessageTransition`).
    func retry(_ ids: [MessageID], actor: String, now: Date) async throws -> [ActionOutcome]
    /// Reschedules every dead message, optionally of one channel, as `retry` does.
    func retryDead(channel: String?, actor: String, now: Date) async throws -> [ActionOutcome]
    /// Cancels messages that have not been delivered and are not being sent right now; returns those cancelled.
    func cancel(_ ids: [MessageID], actor: String, now: Date) async throws -> [MessageID]

    /// Records an operator's word that an unconfirmed message's post exists after all (found by hand at `url`): the
    /// message is delivered with that URL as its receipt, and is never sent again. False if it is not unconfirmed.
    func resolveDelivered(_ id: MessageID, url: String, actor: String, now: Date) async throws -> Bool

    /// Every message addressed to `address` (an email address, compared without regard to case, with or without a
    /// display name), oldest first, with attempts and events, and the references of the reviews they belong to: what
    /// a subject access request asks for.
    func messages(toAddress address: String) async throws -> (messages: [MessageDetail], reviews: [String])

    /// The channels paused beyond `now`, until when and why: what other workers were told.
    func channelPauses(now: Date) async throws -> [String: ChannelPause]
    /// The queue of every channel that has messages waiting or being sent.
    func channelLoads(now: Date) async throws -> [String: ChannelLoad]
}
