import Foundation
import HeraldCore

/// One delivery attempt as the audit trail keeps it: when, how long, what came back, in a short redacted form.
public struct AttemptRecord: Sendable, Equatable {
    public var number: Int
    public var startedAt: Date
    public var duration: TimeInterval
    /// `delivered`, `retry`, `permanent`, `ambiguous`.
    public var outcome: String
    /// HTTP status or SMTP reply code; nil when no response came.
    public var status: Int?
    /// A short excerpt: the proof of delivery or the reason for failure.
    public var detail: String
    public var worker: String
    /// The public post this attempt created (its id and URL), the receipt an operator shows.
    public var post: PublishedPost?

    public init(
        number: Int, startedAt: Date, duration: TimeInterval, outcome: String, status: Int?, detail: String, worker: String,
        post: PublishedPost? = nil
    ) {
        self.number = number
        self.startedAt = startedAt
        self.duration = duration
        self.outcome = outcome
        self.status = status
        self.detail = detail
        self.worker = worker
        self.post = post
    }
}

/// The state a finished attempt moves its message to.
public enum Transition: Sendable, Equatable {
    case delivered
    case retry(at: Date)
    case dead(reason: String)
    case unconfirmed(reason: String)
    case expired
}

/// A worker's report on one claimed message, applied in one transaction with its audit event.
public struct Completion: Sendable, Equatable {
    public var messageID: MessageID
    public var attempt: AttemptRecord
    public var transition: Transition
    /// The message's `unansweredSince` after this attempt: kept, begun by this attempt, or nil.
    public var unansweredSince: Date?
    /// A pause this attempt calls for on its channel (the receiver's rate limit, or the circuit it opened), written
    /// in the same transaction as the attempt so that every worker holds back from then on.
    public var channelPause: ChannelPause?

    public init(
        messageID: MessageID, attempt: AttemptRecord, transition: Transition, unansweredSince: Date? = nil, channelPause: ChannelPause? = nil
    ) {
        self.messageID = messageID
        self.attempt = attempt
        self.transition = transition
        self.unansweredSince = unansweredSince
        self.channelPause = channelPause
    }
}

/// Asks for up to `limit` due messages of one channel.
public struct ClaimRequest: Sendable, Equatable {
    public var channel: String
    public var limit: Int

    public init(channel: String, limit: Int) {
        self.channel = channel
        self.limit = limit
    }
}

/// A message taken under lease, with the attempt number this delivery will be.
public struct ClaimedMessage: Sendable, Equatable {
    public var message: Message
    public var attemptNumber: Int
    /// Attempts made since the message was last (re)scheduled by an operator; counts against the retry limit.
    public var attemptsInBudget: Int
    /// When the lease runs out and another worker may claim the message: nothing may be sent that could outlast it.
    public var leaseExpires: Date

    public init(message: Message, attemptNumber: Int, attemptsInBudget: Int, leaseExpires: Date) {
        self.message = message
        self.attemptNumber = attemptNumber
        self.attemptsInBudget = attemptsInBudget
        self.leaseExpires = leaseExpires
    }
}
