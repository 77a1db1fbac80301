import Foundation
import HeraldConfig
import HeraldCore
import HeraldStore

/// The state of every configured channel as an operator needs it: paused until when and why, circuit open, what is
/// in flight, how deep the queue is and how long its oldest due message has waited. Read from the store, so it is
/// the same whichever process (or how many workers) delivers.
public struct ChannelService<Store: OperatorStore>: Sendable {
    let configuration: HeraldConfiguration
    let store: Store

    public init(configuration: HeraldConfiguration, store: Store) {
        self.configuration = configuration
        self.store = store
    }

    public func states(now: Date) async throws -> [ChannelState] {
        let loads = try await store.channelLoads(now: now)
        let pauses = try await store.channelPauses(now: now)
        // Channels in the store but no longer configured still show, so nothing queued is invisible.
        let names = Set(configuration.channels.keys).union(loads.keys)
        return names.sorted().map { name in
            ChannelState(
                name: name, type: configuration.channels[name]?.type.rawValue, load: loads[name] ?? ChannelLoad(), pause: pauses[name], now: now
            )
        }
    }
}

/// One channel's state, in the API's JSON shape (field names are an interface: add, never rename).
public struct ChannelState: Codable, Sendable, Equatable {
    public var name: String
    /// Nil for a channel that has messages in the store but is no longer in channels.yml.
    public var type: String?
    public var paused_until: String?
    public var pause_reason: String?
    /// The pause is the worker's circuit breaker after repeated failures, not the receiver's own word.
    public var circuit_open: Bool
    public var in_flight: Int
    public var queued: Int
    public var due: Int
    public var oldest_due: String?
    public var oldest_due_age_seconds: Double?

    init(name: String, type: String?, load: ChannelLoad, pause: ChannelPause?, now: Date) {
        self.name = name
        self.type = type
        paused_until = pause.map { RFC3339.format($0.until) }
        pause_reason = pause?.reason
        circuit_open = pause?.reason.hasPrefix(ChannelPause.circuitReasonPrefix) ?? false
        in_flight = load.inFlight
        queued = load.queued
        due = load.due
        oldest_due = load.oldestDue.map(RFC3339.format)
        oldest_due_age_seconds = load.oldestDue.map { max(0, now.timeIntervalSince($0)) }
    }
}
