import Foundation
import HeraldCore
import HeraldTransport

/// A channel that logs in and posts with the session it gets back (Bluesky). The adapter stays pure: it builds the
/// login, renewal and post requests and reads their answers; the worker performs them, shares one session among the
/// channel's deliveries, and keeps it in the store, since logins are tightly rate-limited.
public protocol SessionChannelAdapter: ChannelAdapter {
    /// Who logs in (Bluesky: the identifier). A saved session of anyone else is not used: after the channel is pointed
    /// at another account, posts must not go out under the old one.
    var login: String { get }
    /// The credential a saved session is sealed with (see `SessionSeal`): it stays outside the database.
    var sessionSecret: String { get }
    /// Logging in afresh with the channel's credentials.
    func loginRequest(now: Date) throws -> TransferRequest
    /// Renewing a session with its refresh token; nil when the session cannot be renewed, only replaced.
    func renewalRequest(for session: ChannelSession, now: Date) -> TransferRequest?
    /// Reads the answer to a login or a renewal.
    func session(from result: Result<TransferResponse, TransportError>, now: Date) -> Result<ChannelSession, SessionRefusal>
    /// The request for one attempt, made with `session`. A refused token comes back as `.reauthenticate`.
    func request(for message: Message, session: ChannelSession, now: Date) throws -> TransferRequest
    /// A read that finds the message's post if an attempt already made it (Bluesky: the record at the message's key);
    /// nil where the network has no such look-up.
    func lookupRequest(for message: Message, session: ChannelSession, now: Date) -> TransferRequest?
    /// The look-up's answer: delivered, with the post, when the message's post was found; nil when it was not (or the
    /// look-up failed), so the attempt's own outcome stands.
    func lookedUp(_ result: Result<TransferResponse, TransportError>, for message: Message, now: Date) -> DeliveryOutcome?
}

extension SessionChannelAdapter {
    public func lookupRequest(for message: Message, session: ChannelSession, now: Date) -> TransferRequest? {
        nil
    }

    public func lookedUp(_ result: Result<TransferResponse, TransportError>, for message: Message, now: Date) -> DeliveryOutcome? {
        nil
    }

    public func request(for message: Message, now: Date) throws -> TransferRequest {
        throw HeraldError(.invalidInput, "Channel '\(message.channel)' posts only with a session; this is a bug in Herald.")
    }
}

/// The tokens of a logged-in session and the account they act for.
public struct ChannelSession: Sendable, Equatable, Codable {
    public var accessToken: String
    public var refreshToken: String?
    /// The account that owns the posts (Bluesky: the DID, which is also the repository written to).
    public var account: String
    /// The login that opened the session (see `SessionChannelAdapter.login`).
    public var login: String?

    public init(accessToken: String, refreshToken: String?, account: String, login: String?) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.account = account
        self.login = login
    }

    /// The form kept in the store.
    public var encoded: String {
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self)
    }

    public init?(encoded: String) {
        guard let session = try? JSONDecoder().decode(ChannelSession.self, from: Data(encoded.utf8)) else { return nil }
        self = session
    }
}

/// Why no session could be had; `outcome` is what that means for the message waiting on it (wrong password:
/// permanent; rate-limited or unreachable: retry).
public struct SessionRefusal: Error, Sendable, Equatable {
    public var outcome: DeliveryOutcome

    public init(_ outcome: DeliveryOutcome) {
        self.outcome = outcome
    }
}
