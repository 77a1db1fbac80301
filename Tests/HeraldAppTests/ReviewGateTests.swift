import Foundation
import HeraldApp
import HeraldCore
import HeraldServices
import HeraldStore
import HeraldStoreSQLite
import HeraldWorker
import HeraldTesting
import Testing

/// The gates around publication, over real parts: a hold lets nothing out, a press release needs publication and an
/// approver, and rescheduling moves what is pending, re-renders it, and flags what was sent too late.
///
/// The worker runs on a frozen manual clock, where a retry would never fall due: a time limit turns such a bug into
/// a failure instead of a hung run.
@Suite(.timeLimit(.minutes(2))) struct ReviewGateTests {
    func plan(_ fixture: ReviewFixture, type: String = "SAR", reference: String, publish: String, hold: Bool = false) async throws {
        _ = try await fixture.service.plan(
            .init(
                type: type, reference: reference, title: "Adult C", signedOff: "2026-02-20", publish: publish,
                practitioners: ReviewFixture.practitioners, criminalInvestigation: hold
            ),
            dryRun: false, actor: "test", now: fixture.clock.now()
        )
    }

    @Test func nothingLeavesUnderAHoldUntilItIsCleared() async throws {
        let fixture = try await ReviewFixture(now: ReviewFixture.instant("2026-03-02T10:00:00Z"))
        try await plan(fixture, reference: "SAR-1", publish: "2026-04-29", hold: true)
        try await plan(fixture, type: "LLR", reference: "LLR-1", publish: "2026-04-29")
        let held = try await fixture.service.hold("LLR-1", reason: "police investigation active", actor: "Business Manager", now: fixture.clock.now())
        #expect(held.count == 7, "3 practitioner notices, 1 partner briefing, 3 written briefings")

        fixture.clock.set(ReviewFixture.instant("2026-05-01T12:00:00Z"))
        let summary = try await fixture.runWorker()
        #expect(summary.delivered == 0)
        #expect(fixture.smtp.mails().isEmpty && fixture.http.requestCount == 0)
        for reference in ["SAR-1", "LLR-1"] {
            let status = try await fixture.service.status(reference, now: fixture.clock.now())
            #expect(!status.ready)
            #expect(status.missing.first?.contains("on hold") == true)
            #expect(status.steps.allSatisfy { $0.recipients.allSatisfy { $0.state == .held } })
        }
        await #expect(throws: HeraldError.self) {
            try await fixture.service.publish("LLR-1", force: true, actor: "test", now: fixture.clock.now())
        }

        let cleared = try await fixture.service.clear("LLR-1", actor: "Business Manager", now: fixture.clock.now())
        #expect(cleared.count == 7)
        #expect(try await fixture.runWorker().delivered == 7)
        #expect(fixture.smtp.mails().count == 6 && fixture.http.requestCount == 1)
        #expect(try await fixture.runWorker().delivered == 0, "SAR-1 is still held")

        #expect(try await fixture.store.verifyAudit().isIntact)
    }

    @Test func aPressReleaseNeedsPublicationAndAnApprover() async throws {
        let fixture = try await ReviewFixture(now: ReviewFixture.instant("2026-03-02T10:00:00Z"))
        try await plan(fixture, type: "LLR", reference: "LLR-2", publish: "2026-04-29")
        await #expect(throws: HeraldError.self) {
            _ = try await fixture.service.pressRelease("LLR-2", at: nil, now: fixture.clock.now(), actor: "test")
        }
        await #expect(throws: HeraldError.self) {
            try await fixture.service.publish("LLR-2", force: false, actor: "test", now: fixture.clock.now())
        }
        let holding = try await fixture.service.holdingStatement("LLR-2")
        #expect(holding["text"]?.contains("Local Learning Review") == true)

        fixture.clock.set(ReviewFixture.instant("2026-04-16T08:00:00Z"))
        #expect(try await fixture.runWorker().delivered == 4, "practitioner notices and the partner briefing")
        #expect(try await fixture.service.status("LLR-2", now: fixture.clock.now()).ready)
        try await fixture.service.publish("LLR-2", force: false, actor: "test", now: fixture.clock.now())
        await #expect(throws: HeraldError.self) { _ = try await fixture.service.holdingStatement("LLR-2") }

        let ids = try await fixture.service.pressRelease("LLR-2", at: nil, now: fixture.clock.now(), actor: "test")
        #expect(ids.count == 1)
        #expect(try await fixture.runWorker().delivered == 0)
        #expect(try await fixture.store.message(ids[0])?.message.state == .held)
        await #expect(throws: HeraldError.self) {
            _ = try await fixture.service.approve(ids[0], as: "Somebody Else", now: fixture.clock.now())
        }
        #expect(try await fixture.service.approve(ids[0], as: "business manager", now: fixture.clock.now()) == ids)
        await #expect(throws: HeraldError.self) {
            _ = try await fixture.service.approve(ids[0], as: "Business Manager", now: fixture.clock.now())
        }
        #expect(try await fixture.runWorker().delivered == 1)
        let press = fixture.smtp.mails().filter { $0.recipients == ["news@press.example.test"] }
        #expect(press.count == 1)
        #expect(try ParsedEmail(file: press[0].file).subject.contains("Adult C"))
        let status = try await fixture.service.status("LLR-2", now: fixture.clock.now())
        #expect(status.steps.first { $0.step == "press_release" }?.recipients.first?.approval?.approvedBy == "Business Manager")
    }

    @Test func reschedulingMovesPendingStepsAndFlagsAShortfall() async throws {
        let fixture = try await ReviewFixture(now: ReviewFixture.instant("2026-03-02T10:00:00Z"))
        try await plan(fixture, reference: "SAR-3", publish: "2026-04-29")
        fixture.clock.set(ReviewFixture.instant("2026-04-08T08:01:00Z"))
        #expect(try await fixture.runWorker().delivered == 3, "the practitioner notices, 21 days before")

        let tooSoon = await #expect(throws: HeraldError.self) {
            _ = try await fixture.service.reschedule("SAR-3", publish: "2026-04-15", learningEvent: nil, actor: "test", now: fixture.clock.now())
        }
        #expect(tooSoon?.message.contains("2026-04-23") == true, "\(tooSoon?.message ?? "")")

        let moved = try await fixture.service.reschedule("SAR-3", publish: "2026-04-24", learningEvent: nil, actor: "test", now: fixture.clock.now())
        #expect(moved.count == 5, "partner briefing, organisations notice, three written briefings moved; notices sent stay")
        let status = try await fixture.service.status("SAR-3", now: fixture.clock.now())
        #expect(status.review.publish == "2026-04-24")
        let due = Dictionary(status.steps.map { ($0.step, $0.recipients.map(\.dueAt)) }, uniquingKeysWith: { $0 + $1 })
        #expect(due["comms_partner_briefing"] == [ReviewFixture.instant("2026-04-10T08:00:00Z")])
        #expect(due["comms_organisations_notice"] == [ReviewFixture.instant("2026-04-17T08:00:00Z")])
        #expect(due["written_briefing"]?.allSatisfy { $0 == ReviewFixture.instant("2026-04-24T08:00:00Z") } == true)
        #expect(due["practitioner_notice"]?.allSatisfy { $0 == ReviewFixture.instant("2026-04-08T08:00:00Z") } == true)
        let shortfall = try #require(status.steps.first { $0.step == "practitioner_notice" }?.shortfall)
        #expect(shortfall.contains("16 days"), "\(shortfall)")
        #expect(status.steps.filter { $0.step != "practitioner_notice" }.allSatisfy { $0.shortfall == nil })

        let written = try #require(try await fixture.service.status("SAR-3", now: fixture.clock.now()).steps.first { $0.step == "written_briefing" })
        let message = try #require(try await fixture.store.message(written.recipients[0].id))
        #expect(message.message.content["text"]?.contains("Friday 24 April 2026") == true || message.message.content["subject"]?.contains("24 April") == true)
        // Content rendered anew for the new dates carries its new digest in its event: the trail still verifies.
        let verification = try await fixture.store.verifyAudit()
        #expect(verification.isIntact, "\(verification.faults)")
        #expect(message.message.content["text"]?.contains("29 April") != true)
    }
}
