import Foundation
import HeraldCore
import HeraldTransport

/// A pure translation between Herald and one receiver: a message becomes a request, a response becomes an outcome.
/// Adapters do no I/O, so each is tested without a network and the transport is tested once.
public protocol ChannelAdapter: Sendable {
    /// The request for one attempt; `now` is the attempt's time (signatures and timestamps depend on it).
    func request(for message: Message, now: Date) throws -> TransferRequest

    /// What the attempt's result means for the message.
    func outcome(of result: Result<TransferResponse, TransportError>, now: Date) -> DeliveryOutcome

    /// When the receiver says its budget is spent (`*-Remaining: 0`) even though this attempt went through: the time
    /// the whole channel may send again, so the next request is not wasted on a 429. Nil to carry on.
    func channelPause(after result: Result<TransferResponse, TransportError>, now: Date) -> Date?

    /// What the receiver does with a repeat of a request that went unanswered; it decides whether an `ambiguous`
    /// outcome is retried or left `unconfirmed` for an operator.
    var repeatRecognition: RepeatRecognition { get }
}

extension ChannelAdapter {
    public func channelPause(after result: Result<TransferResponse, TransportError>, now: Date) -> Date? {
        nil
    }

    public var repeatRecognition: RepeatRecognition { .none }
}
