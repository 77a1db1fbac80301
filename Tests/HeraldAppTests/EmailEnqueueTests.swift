import Foundation
import HeraldTesting
import Testing

/// Email through the real command line: what is refused at enqueue (nothing stored), and one message planned,
/// delivered to a real SMTP server, and shown with the server's reply as its proof.
@Suite struct EmailEnqueueTests {
    static let mailChannel = """
          mail:
            type: smtp
            url: smtp://127.0.0.1:PORT
            starttls: false
            from: "Safeguarding Partnership <comms@partnership.example.test>"
            max_in_flight: 2
        """

    func cli(port: Int = 9) throws -> HeraldCLI {
        try HeraldCLI(sinkURL: "http://127.0.0.1:9/hook", extraYAML: Self.mailChannel.replacingOccurrences(of: "PORT", with: "\(port)"))
    }

    func refused(_ cli: HeraldCLI, _ arguments: [String], saying expected: String) async throws {
        let result = try await cli.run(arguments)
        #expect(result.status != 0, "\(arguments) was accepted: \(result.stdout)")
        #expect(result.stderr.contains(expected), "stderr was: \(result.stderr)")
        #expect(try await cli.storedCount() == 0)
    }

    @Test func lineBreaksInSubjectsAndDisplayNamesAreRefusedAndNothingIsStored() async throws {
        let cli = try cli()
        let base = ["enqueue", "--channel", "mail", "--kind", "notice"]
        let data = ["--data", "{\"reference\":\"R1\"}"]
        try await refused(cli, base + ["--data", "{\"reference\":\"R1\\r\\nBcc: x@example.org\"}", "--to", "a@agency.example.test"], saying: "line break")
        try await refused(cli, base + ["--data", "{\"reference\":\"R1\\nBcc: x@example.org\"}", "--to", "a@agency.example.test"], saying: "line break")
        try await refused(cli, base + data + ["--to", "Evil\r\nBcc: x@example.org <a@agency.example.test>"], saying: "line break")
        try await refused(cli, base + data + ["--to", "Evil\nName <a@agency.example.test>"], saying: "line break")
        try await refused(cli, base + data + ["--to", "not an address"], saying: "not an address")
        try await refused(cli, base + data + ["--to", "a@agency.example.test", "--to", "b@@agency.example.test"], saying: "b@@agency.example.test")
        try await refused(cli, base + data, saying: "name each recipient with --to")
        let postOnly = cli.directory.appendingPathComponent("templates/textless")
        try FileManager.default.createDirectory(at: postOnly, withIntermediateDirectories: true)
        try "A post\n".write(to: postOnly.appendingPathComponent("post.mustache"), atomically: true, encoding: .utf8)
        try await refused(cli, ["enqueue", "--channel", "mail", "--kind", "textless", "--data", "{}", "--to", "a@agency.example.test"], saying: "has no subject.mustache")
    }

    @Test func anEmailIsDeliveredAndShownWithTheServersReply() async throws {
        let sink = try await SMTPSink()
        let cli = try cli(port: sink.port)
        let enqueued = try await cli.run(
            "enqueue", "--channel", "mail", "--kind", "notice", "--data", "{\"reference\":\"CSPR-7 ‘Child D’\"}",
            "--to", "Zoë Müller <zoe@agency.example.test>", "--to", "jo@agency.example.test"
        )
        #expect(enqueued.status == 0, "\(enqueued.stderr)")
        let ids = enqueued.stdout.split(separator: "\n").map(String.init)
        #expect(ids.count == 2)
        let worker = try await cli.run("worker", "--once")
        #expect(worker.status == 0, "\(worker.stderr)")
        let mails = sink.mails()
        #expect(mails.count == 2)
        for mail in mails {
            let parsed = try ParsedEmail(file: mail.file)
            #expect(parsed.subject == "Review CSPR-7 ‘Child D’")
            #expect(parsed.text == "Dear colleague, the review CSPR-7 ‘Child D’ will be published.\n")
            #expect(parsed.defects.isEmpty, "\(parsed.defects)")
        }
        #expect(Set(mails.flatMap(\.recipients)) == ["zoe@agency.example.test", "jo@agency.example.test"])
        let shown = try await cli.run("show", ids[0], "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(object["state"] as? String == "delivered")
        #expect(object["recipient"] as? String == "Zoë Müller <zoe@agency.example.test>")
        let attempts = try #require(object["attempts"] as? [[String: Any]])
        #expect(attempts.first?["status"] as? Int == 250)
        #expect((attempts.first?["detail"] as? String)?.contains("queued as") == true, "\(attempts)")
    }
}
