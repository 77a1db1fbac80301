import Foundation
import HeraldApp
import HeraldConfig
import HeraldCore
import HeraldServices
import HeraldStore
import HeraldStoreSQLite
import HeraldTesting
import Testing

/// The mistakes a Business Unit officer will make when planning, each refused with what to do and nothing stored.
@Suite struct ReviewRefusalTests {
    @Test(arguments: [
        ("jo.smith@agency.example.test\nnot an address\n", "people.csv:2:"),
        ("name,email,role\nJo,jo@agency.example.test,practitioner\nSam,sam@@agency.example.test,manager\n", "people.csv:3:"),
        ("Jo,jo@agency.example.test,boss\n", "neither practitioner nor manager"),
        ("jo@agency.example.test\n# a comment\nJO@agency.example.test\n", "listed already on line 1"),
        ("Jo,jo@agency.example.test\n", "found 2 fields"),
        ("\n# nobody\n", "lists nobody"),
        ("Eve\rBcc: x@y.example <eve@agency.example.test>\n", "people.csv:1:"),
    ])
    func aBadPractitionersFileNamesTheLine(text: String, expected: String) {
        #expect {
            _ = try PractitionerList.parse(text, file: "people.csv")
        } throws: { error in
            (error as? HeraldError)?.message.contains(expected) == true
        }
    }

    @Test func aGoodPractitionersFileKeepsNamesAndRoles() throws {
        let list = try PractitionerList.parse("\u{FEFF}name,email,role\n\"Zoë Müller\",zoe@agency.example.test,Manager\nsam@agency.example.test\n", file: "p.csv")
        #expect(list.recipients == ["Zoë Müller <zoe@agency.example.test>", "sam@agency.example.test"])
        #expect(list.people.map(\.role) == ["manager", "practitioner"])
    }

    /// Real CSV: a quoted name may hold a comma or a doubled quote, and the file's other lines keep their numbers.
    @Test func aQuotedNameWithACommaIsOneField() throws {
        let list = try PractitionerList.parse(
            "name,email,role\n\"Smith, Jo\",jo@agency.example.test,practitioner\n\"Sam \"\"Sammy\"\" Patel\",sam@agency.example.test,manager\n",
            file: "p.csv"
        )
        #expect(list.people.map(\.address.displayName) == ["Smith, Jo", "Sam \"Sammy\" Patel"])
        #expect(list.people.map(\.address.address) == ["jo@agency.example.test", "sam@agency.example.test"])
        #expect(throws: HeraldError.self) { try PractitionerList.parse("ok@agency.example.test\n\"Smith, Jo\",jo@@x.org,practitioner\n", file: "p.csv") }
    }

    func refused(_ fixture: ReviewFixture, _ input: ReviewService<SQLiteStore>.PlanInput, saying expected: String) async throws {
        await #expect {
            _ = try await fixture.service.plan(input, dryRun: false, actor: "test", now: fixture.clock.now())
        } throws: { error in
            let message = (error as? HeraldError)?.message ?? "\(error)"
            let matches = message.contains(expected)
            if !matches { Issue.record("message was: \(message)") }
            return matches
        }
    }

    @Test func planningMistakesAreRefusedAndNothingIsStored() async throws {
        let fixture = try await ReviewFixture(now: ReviewFixture.instant("2026-03-02T10:00:00Z"))
        let people = ReviewFixture.practitioners
        func input(type: String = "SAR", signedOff: String? = "2026-02-20", publish: String = "2026-04-29", practitioners: PractitionerList? = people)
            -> ReviewService<SQLiteStore>.PlanInput
        {
            .init(type: type, reference: "SAR-9", title: "Adult C", signedOff: signedOff, publish: publish, practitioners: practitioners)
        }
        try await refused(fixture, input(type: "SCR"), saying: "'SCR' is not a review type")
        try await refused(fixture, input(signedOff: nil), saying: "--signed-off")
        try await refused(fixture, input(signedOff: "2026-05-01"), saying: "signed off on Friday 1 May 2026, after the publication date")
        try await refused(fixture, input(publish: "2026-03-16"), saying: "earliest publication date that gives every step its lead time is 2026-03-24")
        try await refused(fixture, input(publish: "2026-04-2"), saying: "YYYY-MM-DD")
        try await refused(fixture, input(practitioners: nil), saying: "--practitioners FILE")
        #expect(try await fixture.store.stateCounts().isEmpty)
        #expect(try await fixture.store.review("SAR-9") == nil)

        _ = try await fixture.service.plan(input(), dryRun: false, actor: "test", now: fixture.clock.now())
        try await refused(fixture, input(), saying: "already planned")
    }

    @Test func aStepWhoseAudienceIsMissingNamesIt() async throws {
        let fixture = try await ReviewFixture(now: ReviewFixture.instant("2026-03-02T10:00:00Z"))
        var configuration = fixture.configuration
        configuration.audiences["national_panel"] = nil
        let templates = try TemplateLibrary(directory: ReviewFixture.root.appendingPathComponent("templates").path)
        let service = try ReviewService(configuration: configuration, templates: templates, store: fixture.store)
        await #expect {
            _ = try await service.plan(
                .init(type: "CSPR", reference: "CSPR-9", title: "Child E", signedOff: "2026-02-20", publish: "2026-04-29", practitioners: ReviewFixture.practitioners),
                dryRun: false, actor: "test", now: fixture.clock.now()
            )
        } throws: { error in
            (error as? HeraldError)?.message.contains("audience 'national_panel'") == true
        }
        #expect(try await fixture.store.review("CSPR-9") == nil)
    }
}
