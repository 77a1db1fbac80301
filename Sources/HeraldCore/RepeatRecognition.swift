import Foundation

/// Whether, and for how long, a receiver recognises a request it may already have acted on — the only thing that
/// makes it safe to send again after a request went unanswered.
public enum RepeatRecognition: Sendable, Equatable {
    /// A repeat would act again (most social APIs): an unanswered post may already be public.
    case none
    /// The receiver deduplicates on a key Herald sends with every attempt (a webhook's `webhook-id`).
    case always
    /// The receiver keeps the key only this long (Mastodon's `Idempotency-Key`, one hour).
    case within(TimeInterval)
}
