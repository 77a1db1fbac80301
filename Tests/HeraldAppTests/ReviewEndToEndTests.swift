import Foundation
import HeraldApp
import HeraldCore
import HeraldPlanner
import HeraldServices
import HeraldStore
import HeraldStoreSQLite
import HeraldWorker
import HeraldTesting
import Testing

/// A CSPR planned with three practitioners, delivered over real SMTP and a signed webhook as a manual clock walks
/// through its timeline: each step leaves on its own day and hour (across the BST change and Easter), to exactly its
/// audience, and the review reports ready once every pre-publication notice is delivered.
///
/// The worker runs on a frozen manual clock, where a retry would never fall due: a time limit turns such a bug into
/// a failure instead of a hung run.
@Suite(.timeLimit(.minutes(2))) struct ReviewEndToEndTests {
    struct Stop: Sendable {
        var step: String
        var sendAt: String
        var emails: [String]
        var webhooks: Int
    }

    static let practitioners = ["jo.smith@agency.example.test", "sam.patel@agency.example.test", "zoe.muller@agency.example.test"]

    /// Written out by hand: P = Wednesday 8 April 2026 (BST), two days after Easter Monday; the panel notice counts back
    /// seven working days over Easter Monday and Good Friday to Thursday 26 March (GMT); the reminder counts back three
    /// working days over the Early May bank holiday (4 May) to Thursday 30 April.
    static let stops = [
        Stop(step: "practitioner_notice", sendAt: "2026-03-18T09:00:00Z", emails: practitioners, webhooks: 0),
        Stop(step: "comms_partner_briefing", sendAt: "2026-03-25T09:00:00Z", emails: [], webhooks: 1),
        Stop(step: "national_panel_notice", sendAt: "2026-03-26T09:00:00Z", emails: ["panel@panel.example.test", "reviews@dfe.example.test"], webhooks: 0),
        Stop(step: "written_briefing+learning_event_invitation", sendAt: "2026-04-08T08:00:00Z", emails: practitioners + practitioners, webhooks: 0),
        Stop(step: "learning_event_reminder", sendAt: "2026-04-30T08:00:00Z", emails: practitioners, webhooks: 0),
    ]

    @Test func aCSPRArrivesStepByStepOnTheRightDaysAndIsThenReady() async throws {
        let fixture = try await ReviewFixture(now: ReviewFixture.instant("2026-03-02T10:00:00Z"))
        let timeline = try await fixture.service.plan(
            .init(
                type: "CSPR", reference: "CSPR-2026-02", title: "Child D", signedOff: "2026-02-20", publish: "2026-04-08",
                learningEvent: "2026-05-06", practitioners: ReviewFixture.practitioners
            ),
            dryRun: false, actor: "test", now: fixture.clock.now()
        )
        #expect(timeline.map(\.step.rawValue) == [
            "practitioner_notice", "comms_partner_briefing", "national_panel_notice", "written_briefing", "learning_event_invitation",
            "learning_event_reminder",
        ])
        var emailsSoFar: [String] = []
        var webhooksSoFar = 0
        for stop in Self.stops {
            let due = ReviewFixture.instant(stop.sendAt)
            fixture.clock.set(due.addingTimeInterval(-60))
            try await fixture.runWorker()
            #expect(fixture.emailRecipients() == emailsSoFar.sorted(), "\(stop.step): something left before \(stop.sendAt)")
            #expect(fixture.http.requestCount == webhooksSoFar, "\(stop.step): a webhook left early")

            let status = try await fixture.service.status("CSPR-2026-02", now: fixture.clock.now())
            #expect(status.ready == (stop.step == "written_briefing+learning_event_invitation" || stop.step == "learning_event_reminder"))

            fixture.clock.set(due.addingTimeInterval(60))
            let summary = try await fixture.runWorker()
            emailsSoFar += stop.emails
            webhooksSoFar += stop.webhooks
            #expect(summary.delivered == stop.emails.count + stop.webhooks, "\(stop.step)")
            #expect(fixture.emailRecipients() == emailsSoFar.sorted(), "\(stop.step) went to the wrong people")
            #expect(fixture.http.requestCount == webhooksSoFar)
        }

        let webhook = try #require(fixture.http.requests.first)
        #expect(webhook.bodyText.contains("\"type\":\"comms_partner_briefing\""))
        #expect(webhook.bodyText.contains("CSPR-2026-02"))

        let status = try await fixture.service.status("CSPR-2026-02", now: fixture.clock.now())
        #expect(status.ready)
        let days = Dictionary(grouping: status.steps.flatMap { step in step.recipients.map { (step.step, $0) } }, by: \.0)
        let london = TimeZone(identifier: "Europe/London")!
        let expectedDays = [
            "practitioner_notice": "2026-03-18", "comms_partner_briefing": "2026-03-25", "national_panel_notice": "2026-03-26",
            "written_briefing": "2026-04-08", "learning_event_invitation": "2026-04-08", "learning_event_reminder": "2026-04-30",
        ]
        for (step, day) in expectedDays {
            let recipients = try #require(days[step]).map(\.1)
            for recipient in recipients {
                #expect(recipient.state == .delivered)
                let delivered = try #require(recipient.deliveredAt)
                #expect(LocalDate.today(in: london, now: delivered).description == day, "\(step) delivered on the wrong day")
                #expect(recipient.proof?.contains("queued as") == true || recipient.proof?.contains("HTTP 204") == true, "\(recipient.proof ?? "")")
            }
        }

        let subjects = try fixture.smtp.mails().map { try ParsedEmail(file: $0.file).subject }
        #expect(subjects.allSatisfy { $0.contains("Child D") || $0.contains("CSPR-2026-02") }, "\(subjects)")
        #expect(try await fixture.store.verifyAudit().isIntact)
    }
}
