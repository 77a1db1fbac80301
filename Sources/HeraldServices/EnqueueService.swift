import Foundation
import HeraldConfig
import HeraldCore
import HeraldStore

/// Enqueueing as a service over one store, with the templates loaded once: what the CLI's `enqueue` and the API's
/// `POST /v1/messages` both call.
public struct EnqueueService<Store: MessageQueue>: Sendable {
    let enqueuer: Enqueuer
    let store: Store

    public init(configuration: HeraldConfiguration, templates: TemplateLibrary, store: Store) {
        enqueuer = Enqueuer(configuration: configuration, templates: templates)
        self.store = store
    }

    /// Renders and stores every request, all or none; `label(index)` names a request in errors (a batch's file and
    /// line, or a JSON pointer). `actor`, when the caller is known for certain (an API token), is noted on each
    /// `enqueued` event.
    public func enqueue(_ requests: [EnqueueRequest], actor: String? = nil, now: Date, label: (Int) -> String) async throws -> [EnqueueResult] {
        var groups = try enqueuer.prepare(requests, now: now, label: label)
        if let actor {
            for index in groups.indices { groups[index].requestedBy = actor }
        }
        return try await store.enqueue(groups, now: now)
    }
}
