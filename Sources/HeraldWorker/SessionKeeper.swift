import Foundation
import HeraldChannels
import HeraldCore
import HeraldStore
import HeraldTransport
import Logging

/// Holds one channel's session for all of its deliveries: loads the saved one, logs in only when there is none,
/// renews once per expiry however many deliveries noticed it, and saves every new session (a renewal revokes the old
/// refresh token, so the store must always hold the newest).
actor SessionKeeper<Store: MessageQueue> {
    private let channel: String
    private let adapter: any SessionChannelAdapter
    private let store: Store
    private let transport: any Transport
    private let clock: any HeraldClock
    private let logger: Logger
    /// Seals what is saved, so the database does not hold the session in clear.
    private let seal: SessionSeal
    private var session: ChannelSession?
    private var loadedFromStore = false
    /// A login or renewal under way: later callers wait for it instead of starting their own.
    private var pending: Task<Result<ChannelSession, SessionRefusal>, Never>?

    init(channel: String, adapter: any SessionChannelAdapter, store: Store, transport: any Transport, clock: any HeraldClock, logger: Logger) {
        self.channel = channel
        self.adapter = adapter
        self.store = store
        self.transport = transport
        self.clock = clock
        self.logger = logger
        seal = SessionSeal(secret: adapter.sessionSecret, channel: channel)
    }

    /// The session to post with: the one in hand, the saved one, or a new login.
    func current() async -> Result<ChannelSession, SessionRefusal> {
        if let session { return .success(session) }
        if let pending { return await Self.value(of: pending) }
        if !loadedFromStore {
            loadedFromStore = true
            if let text = try? await store.channelSession(channel), let saved = seal.open(text), saved.login == adapter.login {
                session = saved
                return .success(saved)
            }
        }
        return await replace(renewing: nil)
    }

    /// A session to replace `stale`, which the receiver refused: another delivery's renewal if one already happened,
    /// else a renewal, else (once) a new login.
    func renew(after stale: ChannelSession) async -> Result<ChannelSession, SessionRefusal> {
        if let session, session != stale { return .success(session) }
        if let pending { return await Self.value(of: pending) }
        return await replace(renewing: stale)
    }

    /// Waits for a login or renewal; a waiter that is cancelled (its worker stops) abandons it, so the stop does not
    /// wait for a receiver that is slow to answer.
    private static func value(of task: Task<Result<ChannelSession, SessionRefusal>, Never>) async -> Result<ChannelSession, SessionRefusal> {
        await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
    }

    private func replace(renewing stale: ChannelSession?) async -> Result<ChannelSession, SessionRefusal> {
        let task = Task { [adapter, transport, clock, logger, channel] () -> Result<ChannelSession, SessionRefusal> in
            if let stale, let renewal = adapter.renewalRequest(for: stale, now: clock.now()) {
                let renewed = adapter.session(from: await transport.send(renewal), now: clock.now())
                if case .success = renewed { return renewed }
                logger.info("session renewal refused; logging in again", metadata: ["channel": "\(channel)"])
            }
            do {
                let login = try adapter.loginRequest(now: clock.now())
                return adapter.session(from: await transport.send(login), now: clock.now())
            } catch {
                return .failure(SessionRefusal(.permanent(reason: "could not build the login request: \(error)")))
            }
        }
        pending = task
        let result = await Self.value(of: task)
        pending = nil
        if case .success(let fresh) = result {
            session = fresh
            do {
                try await store.saveChannelSession(channel, try seal.seal(fresh), now: clock.now())
            } catch {
                logger.warning("could not save the channel's new session", metadata: ["channel": "\(channel)", "error": "\(error)"])
            }
        }
        return result
    }
}
