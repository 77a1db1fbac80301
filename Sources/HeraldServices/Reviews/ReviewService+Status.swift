import Foundation
import HeraldCore
import HeraldPlanner
import HeraldStore

extension ReviewService {
    /// Every step with its recipients' states and proof, shortfalls after a reschedule, and the readiness verdict.
    public func status(_ reference: String, now: Date) async throws -> ReviewStatus {
        let review = try await requireReview(reference)
        let request = try planRequest(of: review)
        let planned = (try? ReviewTimeline.steps(request, calendar: calendar, sendTime: sendTime)) ?? []
        let messages = try await store.reviewMessages(reference)
        var order: [String] = []
        var byStep: [String: [ReviewMessage]] = [:]
        for item in messages {
            if byStep[item.step] == nil { order.append(item.step) }
            byStep[item.step, default: []].append(item)
        }
        var missing: [String] = []
        if let hold = review.hold {
            missing.append("the review is on hold since \(LocalTimeText.human(hold.at, in: timeZone)) by \(hold.by): \(hold.reason)")
        }
        var steps: [ReviewStatus.Step] = []
        for name in order {
            let items = byStep[name] ?? []
            let recipients = items.map { item in
                let delivered = item.deliveredAttempt
                return ReviewStatus.Recipient(
                    id: item.message.id, recipient: item.message.recipient, state: item.message.state, dueAt: item.message.notBefore,
                    deliveredAt: delivered.map { $0.startedAt.addingTimeInterval($0.duration) }, proof: delivered?.detail, approval: item.approval
                )
            }
            let step = ReviewStep(rawValue: name)
            var shortfall: String?
            if let step, let target = planned.first(where: { $0.step == step }),
                let sentAt = recipients.compactMap(\.deliveredAt).min()
            {
                shortfall = ReviewTimeline.shortfall(
                    of: step, sentAt: sentAt, planned: target, publish: request.publish, sendTime: sendTime, calendar: calendar
                )
            }
            if step?.isBeforePublication == true && review.status == .planned {
                for recipient in recipients where recipient.state != .delivered {
                    missing.append(
                        "\(name) to \(recipient.recipient) is \(recipient.state.rawValue), due \(LocalTimeText.human(recipient.dueAt, in: timeZone))"
                    )
                }
            }
            steps.append(ReviewStatus.Step(step: name, recipients: recipients, shortfall: shortfall))
        }
        if review.status == .cancelled { missing.insert("the review is cancelled", at: 0) }
        return ReviewStatus(review: review, steps: steps, ready: missing.isEmpty, missing: missing)
    }
}
