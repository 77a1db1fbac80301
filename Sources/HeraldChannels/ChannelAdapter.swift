import Foundation
import HeraldCore
import HeraldTransport

/// A pure translation between Herald and one receiver: a message becomes a request, a response becomes an outcome.
/// Adapters do no I/O, so each is tested without a network and the transport is tested once.
public protocol ChannelAdapter: Sendable {
    /// The request for one attempt; `now` is the attempt's time (signatures and timestamps depend on it).
    func request(for message: Message, now: Date) throws -> TransferRequest

    /// What the attempt's result means for the message, and for the channel: a rate limit or a spent budget comes
    /// back in the outcome (`DeliveryOutcome.pauseChannelUntil`), read once, here.
    func outcome(of result: Result<TransferResponse, TransportError>, now: Date) -> DeliveryOutcome

    /// What the receiver does with a repeat of a request that went unanswered; it decides whether an `ambiguous`
    /// outcome is retried or left `unconfirmed` for an operator.
    var repeatRecognition: RepeatRecognition { get }
}

extension ChannelAdapter {
    public var repeatRecognition: RepeatRecognition { .none }
}
