import Foundation
import Testing

/// The gates hold whatever an operator tries, through the real command line: a campaign post awaiting approval and a
/// step of a review on hold stay unsent through every sequence of cancel, retry, resolve and reschedule, each refusal
/// names the gate, and only approve or clear lets them out.
@Suite struct GateBypassTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A scratch setup whose channels all point at a closed port: were anything sent, its attempt would show.
    static func cli() throws -> HeraldCLI {
        let cli = try HeraldCLI(
            sinkURL: "http://127.0.0.1:9/hook",
            extraYAML: """
                  email: { type: smtp, url: "smtp://127.0.0.1:9", starttls: false, from: "Partnership <comms@partnership.example.test>" }
                  mastodon: { type: mastodon, url: "http://127.0.0.1:9", token: test-token }
                planner:
                  bank_holidays: \(root.appendingPathComponent("data/bank-holidays.json").path)
                  partnership: Northshire Safeguarding Partnership
                audiences:
                  practitioners: { channel: email }
                  comms_partners: { channel: partners }
                  comms_organisations: { channel: email, recipients: ["network@partners.example.test"] }
                  national_panel: { channel: email, recipients: ["panel@panel.example.test"] }
                  media: { channel: email, recipients: ["news@press.example.test"] }
                approvers: ["Executive"]
                """
        )
        return cli
    }

    enum Subject: String, CaseIterable {
        case campaignPost, reviewStep

        /// What a refusal or a held retry must say about the gate.
        var gateWords: String {
            switch self {
            case .campaignPost: "awaits an approval"
            case .reviewStep: "is on hold"
            }
        }
    }

    /// Loads a held campaign post or plans a review under a hold; returns the message to try to send and, for the
    /// review, its reference.
    static func prepare(_ subject: Subject, _ cli: HeraldCLI) async throws -> (id: String, review: String?) {
        switch subject {
        case .campaignPost:
            let file = try cli.write(
                """
                campaign: gates
                posts:
                  - name: launch
                    networks: [mastodon]
                    at: "2099-01-05 09:00"
                    text: "Safeguarding week starts"
                """,
                to: "campaign.yml"
            )
            let load = try await cli.run("campaign", "load", file)
            #expect(load.status == 0, "\(load.stderr)")
            let id = try #require(load.stdout.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
            return (id, nil)
        case .reviewStep:
            let practitioners = try cli.write("name,email,role\nJo Smith,jo@agency.example.test,practitioner\n", to: "practitioners.csv")
            let plan = try await cli.run(
                "review", "plan", "--templates", root.appendingPathComponent("templates").path, "--type", "LLR", "--id", "LLR-GATE",
                "--title", "Family E", "--signed-off", "2026-11-02", "--publish", publicationDay(), "--practitioners", practitioners,
                "--criminal-investigation"
            )
            #expect(plan.status == 0, "\(plan.stderr)")
            let held = try await cli.run("log", "--state", "held", "--json")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(held.stdout.utf8)) as? [[String: Any]])
            let id = try #require(rows.first?["id"] as? String)
            return (id, "LLR-GATE")
        }
    }

    /// A Wednesday about eight months ahead (and the one two weeks later), so the plan lies in the future of the real
    /// clock the command line runs on, inside the bank-holiday calendar's years.
    static func publicationDay(weeksLater: Int = 0) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var day = calendar.date(byAdding: .day, value: 240 + 7 * weeksLater, to: Date())!
        while calendar.component(.weekday, from: day) != 4 { day = calendar.date(byAdding: .day, value: 1, to: day)! }
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    static let sequences: [[String]] = [
        ["retry"], ["cancel", "retry"], ["cancel", "retry", "retry"], ["resolve", "retry"], ["cancel", "resolve", "retry"],
        ["reschedule", "retry"], ["cancel", "reschedule", "retry"], ["retry", "cancel", "retry"],
    ]

    static func state(of id: String, _ cli: HeraldCLI) async throws -> (state: String, attempts: Int) {
        let listed = try await cli.run("log", "--json", "--limit", "1000")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        let row = try #require(rows.first { $0["id"] as? String == id })
        return (try #require(row["state"] as? String), row["attempts"] as? Int ?? -1)
    }

    @Test(arguments: Subject.allCases, sequences)
    func noSequenceOfCommandsSendsAGatedMessage(subject: Subject, sequence: [String]) async throws {
        let cli = try Self.cli()
        let (id, review) = try await Self.prepare(subject, cli)
        for command in sequence {
            let result: HeraldCLI.Result
            switch command {
            case "resolve": result = try await cli.run("resolve", id, "--delivered", "https://mastodon.example/@p/1")
            case "reschedule":
                guard let review else { continue }
                result = try await cli.run("review", "reschedule", review, "--templates", Self.root.appendingPathComponent("templates").path, "--publish", Self.publicationDay(weeksLater: 2))
            default: result = try await cli.run(command, id)
            }
            let state = try await Self.state(of: id, cli).state
            #expect(["held", "cancelled"].contains(state), "after \(sequence): \(command) left it \(state)")
            if command == "retry" {
                #expect(result.status != 0, "retry of a gated message reported success: \(result.stdout)")
                #expect(result.stderr.contains(subject.gateWords), "the refusal does not name the gate: \(result.stderr)")
            }
        }
        let worker = try await cli.run("worker", "--once")
        #expect(worker.status == 0, "\(worker.stderr)")
        let after = try await Self.state(of: id, cli)
        #expect(after.attempts == 0, "a gated message was attempted after \(sequence)")
        #expect(["held", "cancelled"].contains(after.state))

        // The one way out: approve or clear, once the message is held again.
        _ = try await cli.run("retry", id)
        let opened =
            switch subject {
            case .campaignPost: try await cli.run("approve", id, "--as", "Executive")
            case .reviewStep: try await cli.run("review", "clear", try #require(review), "--as", "Business Manager")
            }
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(try await Self.state(of: id, cli).state == "scheduled")
    }
}
