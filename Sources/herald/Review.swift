import ArgumentParser
import Foundation
import HeraldApp
import HeraldCore
import HeraldPlanner
import HeraldServices
import HeraldStore

extension Herald {
    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plan and follow a case review's publication: every notice, on the right working day, to the right people.",
            subcommands: [
                Plan.self, Status.self, Reschedule.self, Hold.self, Clear.self, Publish.self, PressRelease.self, HoldingStatement.self,
                CancelReview.self,
            ]
        )

        struct Plan: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Store a review and enqueue every step of its timeline (one message per recipient).",
                discussion: """
                    Steps: practitioner_notice (P−21 days), comms_partner_briefing (P−14), comms_organisations_notice (P−7, SAR), \
                    national_panel_notice (7 working days before P, CSPR), written_briefing (P), learning_event_invitation (P) and \
                    learning_event_reminder (3 working days before the event) when --learning-event is given. A step on a weekend or \
                    bank holiday moves to the previous working day. DATE is YYYY-MM-DD.
                    """
            )

            @OptionGroup var global: GlobalOptions
            @Option(help: "SAR, CSPR or LLR.") var type: String
            @Option(help: "The review's reference, e.g. SAR-2026-03.") var id: String
            @Option(help: "The review's published name.") var title: String
            @Option(name: .customLong("signed-off"), help: "The date the review was signed off.") var signedOff: String?
            @Option(help: "The planned publication date.") var publish: String
            @Option(help: "The case's practitioners and managers: one address per line, or CSV name,email,role.") var practitioners: String?
            @Option(name: .customLong("learning-event"), help: "The learning event's date, 7 days to 6 weeks after publication.")
            var learningEvent: String?
            @Flag(name: .customLong("criminal-investigation"), help: "Plan under a hold: nothing leaves until 'review clear'.")
            var criminalInvestigation = false
            @Flag(name: .customLong("dry-run"), help: "Print the timeline without storing anything.") var dryRun = false
            @Flag(help: "Print the timeline as JSON.") var json = false

            func run() async throws {
                let context = try AppContext.open(global.paths)
                let service = try context.reviews()
                let list = try practitioners.map(PractitionerList.load(path:))
                let entries = try await service.plan(
                    .init(
                        type: type, reference: id, title: title, signedOff: signedOff, publish: publish, learningEvent: learningEvent,
                        practitioners: list, criminalInvestigation: criminalInvestigation
                    ),
                    dryRun: dryRun, actor: Output.operatorName(), now: Date()
                )
                if json {
                    print(try Output.json(JSONValue.array(entries.map { $0.json(timeZone: service.timeZone) })))
                    return
                }
                print(ReviewText.timeline(entries, timeZone: service.timeZone))
                let total = entries.reduce(0) { $0 + $1.recipients.count }
                if dryRun {
                    print("dry run: \(entries.count) steps, \(total) messages; nothing stored")
                } else {
                    print("planned \(id): \(entries.count) steps, \(total) messages\(criminalInvestigation ? ", all held until 'herald review clear \(id)'" : "")")
                }
            }
        }

        struct Status: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Each step's recipients, states and proof, and whether the review is ready to publish.")

            @OptionGroup var global: GlobalOptions
            @Argument(help: "The review's reference.") var reference: String
            @Flag(help: "Print JSON.") var json = false

            func run() async throws {
                let context = try AppContext.open(global.paths)
                let service = try context.reviews()
                let status = try await service.status(reference, now: Date())
                if json {
                    print(try Output.json(status.json(timeZone: service.timeZone)))
                } else {
                    print(ReviewText.status(status, timeZone: service.timeZone))
                }
            }
        }

        struct Reschedule: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Move every pending step to a new publication date; what was sent stays.")

            @OptionGroup var global: GlobalOptions
            @Argument(help: "The review's reference.") var reference: String
            @Option(help: "The new publication date (YYYY-MM-DD).") var publish: String
            @Option(name: .customLong("learning-event"), help: "A new learning event date.") var learningEvent: String?

            func run() async throws {
                let context = try AppContext.open(global.paths)
                let moved = try await context.reviews().reschedule(
                    reference, publish: publish, learningEvent: learningEvent, actor: Output.operatorName(), now: Date()
                )
                print("rescheduled \(reference) to publish on \(publish): \(moved.count) pending message(s) moved")
                print("see 'herald review status \(reference)' for steps already sent whose lead time is no longer met")
            }
        }

        struct Hold: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Hold everything publication-related (a criminal investigation is active).")

            @OptionGroup var global: GlobalOptions
            @Argument(help: "The review's reference.") var reference: String
            @Option(help: "Why, for the audit trail.") var reason: String
            @Option(name: .customLong("as"), help: "Who is holding it (default: $HERALD_OPERATOR or $USER).") var actor: String?

            func run() async throws {
                let context = try AppContext.open(global.paths)
                let held = try await context.reviews().hold(reference, reason: reason, actor: actor ?? Output.operatorName(), now: Date())
                print("held \(reference): \(held.count) message(s) will not leave until 'herald review clear \(reference)'")
            }
        }

        struct Clear: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Lift a review's hold; held steps go out when due.")

            @OptionGroup var global: GlobalOptions
            @Argument(help: "The review's reference.") var reference: String
            @Option(name: .customLong("as"), help: "Who is clearing it (default: $HERALD_OPERATOR or $USER).") var actor: String?

            func run() async throws {
                let context = try AppContext.open(global.paths)
                let cleared = try await context.reviews().clear(reference, actor: actor ?? Output.operatorName(), now: Date())
                print("cleared \(reference): \(cleared.count) message(s) released")
            }
        }

        struct Publish: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Record that the review is published; a press release becomes possible.")

            @OptionGroup var global: GlobalOptions
            @Argument(help: "The review's reference.") var reference: String
            @Flag(help: "Record publication even though pre-publication notices are undelivered.") var force = false

            func run() async throws {
                let context = try AppContext.open(global.paths)
                try await context.reviews().publish(reference, force: force, actor: Output.operatorName(), now: Date())
                print("published \(reference)")
            }
        }

        struct PressRelease: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "press-release", abstract: "Enqueue the press release to the media audience, held until approved."
            )

            @OptionGroup var global: GlobalOptions
            @Argument(help: "The review's reference.") var reference: String
            @Option(help: "When to send once approved: ISO 8601 with offset, now, or +30m.") var at: String?

            func run() async throws {
                let context = try AppContext.open(global.paths)
                let ids = try await context.reviews().pressRelease(reference, at: at, now: Date(), actor: Output.operatorName())
                for id in ids { print(id) }
                print("held until an approver agrees: herald approve \(ids.first.map(\.rawValue) ?? "ID") --as NAME")
            }
        }

        struct HoldingStatement: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "holding-statement", abstract: "Print the holding statement for a media enquiry before publication."
            )

            @OptionGroup var global: GlobalOptions
            @Argument(help: "The review's reference.") var reference: String

            func run() async throws {
                let context = try AppContext.open(global.paths)
                let parts = try await context.reviews().holdingStatement(reference)
                if let subject = parts["subject"] { print(subject + "\n") }
                print(parts["text"] ?? parts.values.joined(separator: "\n"), terminator: "")
            }
        }

        struct CancelReview: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel everything of the review not yet sent.")

            @OptionGroup var global: GlobalOptions
            @Argument(help: "The review's reference.") var reference: String

            func run() async throws {
                let context = try AppContext.open(global.paths)
                let cancelled = try await context.reviews().cancel(reference, actor: Output.operatorName(), now: Date())
                print("cancelled \(reference): \(cancelled.count) message(s)")
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a held press release or campaign post (its whole group, every network) so it can leave.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "A message id of the group.") var id: String
        @Option(name: .customLong("as"), help: "The approver, as named under 'approvers' in channels.yml.") var approver: String

        func run() async throws {
            let context = try AppContext.open(global.paths)
            let released = try await context.approvals().approve(try Output.messageID(id), as: approver, now: Date())
            print("approved by \(approver): \(released.count) message(s) released")
        }
    }
}
