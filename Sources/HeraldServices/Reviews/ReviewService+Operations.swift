import Foundation
import HeraldConfig
import HeraldCore
import HeraldPlanner
import HeraldStore

extension ReviewService {
    /// Moves every pending step to the new publication date at once, with its content rendered for the new dates.
    /// Refuses, changing nothing, if a pending step would then be due in the past.
    public func reschedule(_ reference: String, publish: String, learningEvent: String?, actor: String, now: Date) async throws -> [MessageID] {
        let review = try await requireReview(reference)
        if learningEvent != nil && review.learningEvent == nil {
            throw HeraldError(
                .invalidInput,
                "Review \(reference) was planned without a learning event, so there is no invitation to move. Enqueue the invitation separately."
            )
        }
        let request = try planRequest(of: review, publish: publish, learningEvent: learningEvent)
        let planned = try ReviewTimeline.steps(request, calendar: calendar, sendTime: sendTime)
        let pending = try await store.reviewMessages(reference).filter { [.held, .scheduled, .retrying].contains($0.message.state) }
        var moves: [ReviewMove] = []
        var contents: [String: [String: String]] = [:]
        for item in pending {
            guard let step = ReviewStep(rawValue: item.step), let target = planned.first(where: { $0.step == step }) else { continue }
            if target.sendAt <= now {
                let earliest = try ReviewTimeline.earliestPublication(
                    for: request, calendar: calendar, sendTime: sendTime, now: now,
                    considering: Set(pending.compactMap { ReviewStep(rawValue: $0.step) })
                )
                throw HeraldError(
                    .invalidInput,
                    "Publishing on \(request.publish.longDescription) would make the \(step.rawValue) step due on \(target.date.longDescription), which has passed. The earliest publication date that keeps every pending step's lead time is \(earliest.description) (\(earliest.weekdayName))."
                )
            }
            if contents[item.step] == nil {
                contents[item.step] = try templates.render(template: step.rawValue, data: templateData(for: request, step: step))
            }
            moves.append(ReviewMove(id: item.message.id, notBefore: target.sendAt, content: contents[item.step] ?? item.message.content))
        }
        return try await store.rescheduleReview(
            reference, publish: request.publish.description, learningEvent: request.learningEvent?.description, moves: moves, actor: actor, now: now
        )
    }

    public func hold(_ reference: String, reason: String, actor: String, now: Date) async throws -> [MessageID] {
        try InputRules.headerSafe(reason, field: "--reason", maximumLength: 500)
        if reason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw HeraldError(.invalidInput, "Say why the review is held with --reason, e.g. \"criminal investigation active\".")
        }
        return try await store.holdReview(reference, reason: reason, actor: actor, now: now)
    }

    public func clear(_ reference: String, actor: String, now: Date) async throws -> [MessageID] {
        try await store.clearReview(reference, actor: actor, now: now)
    }

    /// Records publication. Refuses while pre-publication notices are undelivered unless `force`, since publishing
    /// before practitioners and the national panel have heard is exactly what the plan exists to prevent.
    public func publish(_ reference: String, force: Bool, actor: String, now: Date) async throws {
        let status = try await status(reference, now: now)
        if !status.ready && !force {
            throw HeraldError(
                .conflict,
                "Review \(reference) is not ready to publish: \(status.missing.joined(separator: "; ")). Wait for them, or record publication anyway with --force."
            )
        }
        try await store.publishReview(reference, actor: actor, now: now)
    }

    public func cancel(_ reference: String, actor: String, now: Date) async throws -> [MessageID] {
        try await store.cancelReview(reference, actor: actor, now: now)
    }

    /// Enqueues the press release to the `media` audience, held until an approver agrees. Only for a published review.
    public func pressRelease(_ reference: String, at: String?, now: Date, actor: String) async throws -> [MessageID] {
        let review = try await requireReview(reference)
        guard review.status == .published else {
            throw HeraldError(
                .conflict,
                "Review \(reference) is \(review.status.rawValue), not published. A press release goes out only after 'herald review publish \(reference)'; until then answer media enquiries with 'herald review holding-statement \(reference)'."
            )
        }
        guard let audience = configuration.audiences["media"] else {
            throw HeraldError(.configuration, "channels.yml defines no 'media' audience for press releases. Add it under 'audiences:' with a channel and recipients.")
        }
        let request = try planRequest(of: review)
        let enqueue = EnqueueRequest(
            channel: audience.channel, kind: "press_release", to: audience.recipients, data: templateData(for: request, step: nil), at: at
        )
        var group = try Enqueuer(configuration: configuration, templates: templates).prepare(enqueue, now: now)
        for index in group.messages.indices { group.messages[index].state = .held }
        let results = try await store.addReviewMessages(
            reference, steps: [ReviewStepGroup(step: "press_release", group: group, needsApproval: true)], actor: actor, now: now
        )
        return results.flatMap(\.ids)
    }

    /// An approver's word on a message's group (see `Approvals`).
    public func approve(_ id: MessageID, as name: String, now: Date) async throws -> [MessageID] {
        try await Approvals(approvers: configuration.approvers, store: store).approve(id, as: name, now: now)
    }

    /// The holding statement for a media enquiry before publication, rendered but not sent.
    public func holdingStatement(_ reference: String) async throws -> [String: String] {
        let review = try await requireReview(reference)
        if review.status == .published {
            throw HeraldError(.conflict, "Review \(reference) is published: answer enquiries with the press release, not the holding statement.")
        }
        return try templates.render(template: "holding_statement", data: templateData(for: try planRequest(of: review), step: nil))
    }
}
