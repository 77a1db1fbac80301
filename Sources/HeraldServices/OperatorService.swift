import Foundation
import HeraldCore
import HeraldStore

/// What an operator does with messages — list, inspect, retry, cancel, resolve, export — on any
/// store. The command line calls these and the HTTP API will call the same ones, so each rule lives in one place:
/// the gates and the deadline in the store's lifecycle (`docs/lifecycle.md`), the wording of refusals here.
public struct OperatorService<Store: OperatorStore & AuditStore>: Sendable {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// Throws unless the store can be read and written now.
    public func checkWritable() async throws {
        try await store.checkWritable()
    }

    public func messages(matching query: MessageQuery) async throws -> [Message] {
        try await store.messages(matching: query)
    }

    /// One message with every attempt and audit event, and the pause of its channel if there is one.
    public func detail(_ id: MessageID, now: Date) async throws -> (detail: MessageDetail, pause: ChannelPause?) {
        guard let detail = try await store.message(id) else {
            throw HeraldError(.notFound, "No message has the id \(id). List messages with 'herald log'.")
        }
        return (detail, try await store.channelPauses(now: now)[detail.message.channel])
    }

    public func retry(_ ids: [MessageID], actor: String, now: Date) async throws -> [ActionOutcome] {
        try await store.retry(ids, actor: actor, now: now)
    }

    public func retryDead(channel: String?, actor: String, now: Date) async throws -> [ActionOutcome] {
        try await store.retryDead(channel: channel, actor: actor, now: now)
    }

    /// Retries every message matching `query` (which must name a state a message can be retried from) as one
    /// operation, refusing, with nothing moved, a filter that matches more than `bound`: a wide filter is narrowed by
    /// the caller, never half done.
    public func retry(matching query: MessageQuery, bound: Int, actor: String, now: Date) async throws -> [ActionOutcome] {
        guard let state = query.state, MessageTransition.retry.allows(state) else {
            let states = MessageState.allCases.filter(MessageTransition.retry.allows).map(\.rawValue).joined(separator: ", ")
            throw HeraldError(.invalidInput, "Say which messages to retry by state: one of \(states).")
        }
        var query = query
        query.limit = bound + 1
        let ids = try await store.messages(matching: query).map(\.id)
        if ids.count > bound {
            throw HeraldError(
                .invalidInput, "More than \(bound) \(state.rawValue) messages match: narrow the filter (channel, since, until) and retry in parts."
            )
        }
        return try await store.retry(ids, actor: actor, now: now)
    }

    /// Cancels each message that has not been sent; the others are refused with the state they are in.
    public func cancel(_ ids: [MessageID], actor: String, now: Date) async throws -> [ActionOutcome] {
        let cancelled = Set(try await store.cancel(ids, actor: actor, now: now))
        var outcomes: [ActionOutcome] = []
        for id in ids {
            if cancelled.contains(id) {
                outcomes.append(ActionOutcome(id: id, result: .moved(.cancelled, gate: nil)))
            } else if let detail = try await store.message(id) {
                outcomes.append(ActionOutcome(id: id, result: .refused(MessageTransition.cancel.refusal(of: detail.message.state))))
            } else {
                outcomes.append(ActionOutcome(id: id, result: .notFound))
            }
        }
        return outcomes
    }

    /// Records an unconfirmed post found by hand at `url`: delivered, never sent again.
    public func resolve(_ id: MessageID, url: String, actor: String, now: Date) async throws {
        if try await store.resolveDelivered(id, url: url, actor: actor, now: now) { return }
        guard let detail = try await store.message(id) else {
            throw HeraldError(.notFound, "No message has the id \(id). List unconfirmed ones with 'herald log --state unconfirmed'.")
        }
        throw HeraldError(
            .conflict,
            "Message \(id) is \(detail.message.state.rawValue), not unconfirmed: only a post whose fate is unknown can be resolved by hand."
        )
    }

    /// Everything held about one person, for a subject access request: every message addressed to them with its
    /// content, attempts and events, and the reviews those messages belong to, as one JSON document.
    public func export(recipient text: String, now: Date) async throws -> String {
        let address = try EmailAddress.parse(text).address
        let (details, reviews) = try await store.messages(toAddress: address)
        var messages: [JSONValue] = []
        for detail in details {
            messages.append(try JSONDecoder().decode(JSONValue.self, from: Data(try MessageDetailView(detail).encodedJSON().utf8)))
        }
        let document: JSONValue = .object([
            "recipient": .string(address), "exported_at": .string(RFC3339.format(now)), "messages": .array(messages),
            "reviews": .array(reviews.map(JSONValue.string)),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }
}
