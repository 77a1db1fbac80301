import Foundation
import Testing

/// A subject access request through the real command line: one person's messages, with content and attempts, and
/// nobody else's; a bad address is refused.
@Suite struct ExportTests {
    @Test func anExportHoldsThePersonsMessagesAndNoOneElses() async throws {
        let cli = try HeraldCLI(
            sinkURL: "http://127.0.0.1:9/hook",
            extraYAML: "  email: { type: smtp, url: \"smtp://127.0.0.1:9\", starttls: false, from: \"Partnership <comms@partnership.example.test>\" }\n"
        )
        for to in ["Zoë Müller <Zoe.Muller@agency.example.test>", "sam@agency.example.test", "zoe.muller@agency.example.test"] {
            let result = try await cli.run(
                "enqueue", "--channel", "email", "--kind", "notice", "--to", to, "--data", "{\"reference\":\"R-\(to.count)\"}"
            )
            #expect(result.status == 0, "\(result.stderr)")
        }
        let exported = try await cli.run("export", "--recipient", "ZOE.MULLER@agency.example.test")
        #expect(exported.status == 0, "\(exported.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any])
        #expect(document["recipient"] as? String == "ZOE.MULLER@agency.example.test")
        let messages = try #require(document["messages"] as? [[String: Any]])
        #expect(messages.count == 2, "\(messages.map { $0["recipient"] ?? "" })")
        #expect(messages.allSatisfy { ($0["recipient"] as? String)?.lowercased().contains("zoe.muller@agency.example.test") == true })
        #expect(messages.allSatisfy { ($0["content"] as? [String: String])?["subject"]?.hasPrefix("Review R-") == true })
        #expect(!exported.stdout.contains("sam@agency.example.test"))

        let nobody = try await cli.run("export", "--recipient", "nobody@agency.example.test")
        #expect(nobody.status == 0)
        let empty = try #require(try JSONSerialization.jsonObject(with: Data(nobody.stdout.utf8)) as? [String: Any])
        #expect((empty["messages"] as? [Any])?.isEmpty == true)
        let refused = try await cli.run("export", "--recipient", "not an address")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("email address"), "\(refused.stderr)")
    }
}
