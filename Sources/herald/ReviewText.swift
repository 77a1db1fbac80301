import Foundation
import HeraldApp
import HeraldCore
import HeraldPlanner
import HeraldServices
import HeraldStore

/// The plain-text forms of a review's timeline and status.
enum ReviewText {
    static func timeline(_ entries: [ReviewTimelineEntry], timeZone: TimeZone) -> String {
        let rows = entries.map { entry in
            [
                entry.step.rawValue, LocalTimeText.human(entry.sendAt, in: timeZone), entry.audience, recipients(entry.recipients, channel: entry.channel),
                entry.state, entry.note ?? "",
            ]
        }
        return Output.table(header: ["STEP", "SEND AT", "AUDIENCE", "RECIPIENTS", "STATE", "NOTE"], rows: rows)
    }

    static func recipients(_ list: [String], channel: String) -> String {
        switch list.count {
        case 0: return "(\(channel))"
        case 1...2: return list.joined(separator: ", ")
        default: return "\(list[0]) and \(list.count - 1) more"
        }
    }

    static func status(_ status: ReviewStatus, timeZone: TimeZone) -> String {
        let review = status.review
        var lines = ["review \(review.reference) (\(review.type)) \(review.title)", "publish \(review.publish)  status \(review.status.rawValue)"]
        if let hold = review.hold { lines.append("ON HOLD since \(LocalTimeText.human(hold.at, in: timeZone)) by \(hold.by): \(hold.reason)") }
        lines.append("")
        var rows: [[String]] = []
        for step in status.steps {
            for recipient in step.recipients {
                let approval = recipient.approval.map { $0.approvedBy.map { "approved by \($0)" } ?? "awaiting approval" }
                rows.append([
                    step.step, LocalTimeText.human(recipient.dueAt, in: timeZone), recipient.state.rawValue, recipient.recipient,
                    recipient.deliveredAt.map { LocalTimeText.human($0, in: timeZone) } ?? "", approval ?? recipient.proof ?? "",
                ])
            }
        }
        lines.append(Output.table(header: ["STEP", "DUE", "STATE", "RECIPIENT", "DELIVERED", "PROOF"], rows: rows))
        let shortfalls = status.steps.compactMap { step in step.shortfall.map { "  \(step.step): \($0)" } }
        if !shortfalls.isEmpty {
            lines.append("")
            lines.append("lead time no longer met:")
            lines += shortfalls
        }
        lines.append("")
        if status.ready {
            lines.append(review.status == .published ? "published" : "READY to publish: every pre-publication notice is delivered")
        } else {
            lines.append("NOT READY to publish:")
            lines += status.missing.map { "  - \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}
