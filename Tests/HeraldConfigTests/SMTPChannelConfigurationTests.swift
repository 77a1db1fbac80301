import Foundation
import HeraldConfig
import HeraldCore
import Testing

/// The `smtp` channel type: what a valid one loads into, and every refusal with its file, line and key.
@Suite struct SMTPChannelConfigurationTests {
    typealias Support = ConfigTestSupport

    static let environment = Support.environment.merging(["SMTP_USER": "herald", "SMTP_PASSWORD": "s3cret pass"]) { $1 }

    /// A valid smtp channel on lines 1–5, to which a case appends (line 6 onwards).
    static let valid = """
        channels:
          mail:
            type: smtp
            url: smtps://smtp.example.org:465
            from: "Safeguarding Partnership <comms@partnership.example.org>"

        """

    @Test func loadsSenderCredentialsAndTLSSettings() throws {
        let yaml = Self.valid + """
                reply_to: Business Unit <bu@partnership.example.org>
                username: ${SMTP_USER}
                password: ${SMTP_PASSWORD}
                helo: herald.partnership.example.org

            """
        let channel = try #require(try Support.load(yaml, environment: Self.environment).channels["mail"])
        #expect(channel.type == .smtp)
        #expect(channel.url == "smtps://smtp.example.org:465")
        let email = try #require(channel.email)
        #expect(email.from == (try EmailAddress(displayName: "Safeguarding Partnership", address: "comms@partnership.example.org")))
        #expect(email.replyTo?.address == "bu@partnership.example.org")
        #expect(email.username == "herald")
        #expect(email.password == "s3cret pass")
        #expect(email.helo == "herald.partnership.example.org")
        #expect(email.requireSTARTTLS == false)
    }

    @Test func smtpURLsRequireSTARTTLSAndTheEHLONameDefaultsToTheSendersDomain() throws {
        let yaml = "channels:\n  mail:\n    type: smtp\n    url: smtp://smtp.example.org:587\n    from: comms@partnership.example.org\n"
        let email = try #require(try Support.load(yaml).channels["mail"]?.email)
        #expect(email.requireSTARTTLS)
        #expect(email.helo == "partnership.example.org")
    }

    @Test func loopbackMayGoWithoutTLSAndTrustAPrivateCA() throws {
        let folder = try Support.temporaryDirectory("smtp-ca")
        defer { try? FileManager.default.removeItem(at: folder) }
        try "-----BEGIN CERTIFICATE-----\n".write(to: folder.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)
        let yaml = "channels:\n  mail:\n    type: smtp\n    url: smtp://127.0.0.1:2525\n    from: a@example.org\n    starttls: false\n    ca_file: ca.pem\n"
        let email = try #require(try Support.load(yaml, baseDirectory: folder.path).channels["mail"]?.email)
        #expect(email.requireSTARTTLS == false)
        #expect(email.caFile == folder.appendingPathComponent("ca.pem").path)
    }

    static let refusals: [Refusal] = [
        Refusal(rule: "missing from", yaml: "channels:\n  mail:\n    type: smtp\n    url: smtps://smtp.example.org\n", location: "channels.yml:2: channels.mail:", problem: "an smtp channel needs 'from'"),
        Refusal(rule: "from is not an address", yaml: "channels:\n  mail:\n    type: smtp\n    url: smtps://smtp.example.org\n    from: comms at example\n", location: "channels.yml:5: channels.mail.from:", problem: "comms at example"),
        Refusal(rule: "from with an injected header", yaml: "channels:\n  mail:\n    type: smtp\n    url: smtps://smtp.example.org\n    from: \"a@example.org\\r\\nBcc: x@example.org\"\n", location: "channels.yml:5: channels.mail.from:", problem: "line break"),
        Refusal(rule: "http url on an smtp channel", yaml: "channels:\n  mail:\n    type: smtp\n    url: https://smtp.example.org\n    from: a@example.org\n", location: "channels.yml:4: channels.mail.url:", problem: "needs smtps:// (TLS from the start) or smtp:// (STARTTLS)"),
        Refusal(rule: "smtp url on a webhook channel", yaml: "channels:\n  hook:\n    type: webhook\n    url: smtp://smtp.example.org\n    secret: ${PARTNER_SECRET}\n", location: "channels.yml:4: channels.hook.url:", problem: "the scheme 'smtp' is not supported"),
        Refusal(rule: "credentials in the url", yaml: "channels:\n  mail:\n    type: smtp\n    url: smtps://user:pw@smtp.example.org\n    from: a@example.org\n", location: "channels.yml:4: channels.mail.url:", problem: "the url carries credentials"),
        Refusal(rule: "a path in the url", yaml: "channels:\n  mail:\n    type: smtp\n    url: smtps://smtp.example.org/helo.example\n    from: a@example.org\n", location: "channels.yml:4: channels.mail.url:", problem: "the EHLO name goes in 'helo'"),
        Refusal(rule: "clear text to a remote server", yaml: "channels:\n  mail:\n    type: smtp\n    url: smtp://smtp.example.org:587\n    from: a@example.org\n    starttls: false\n", location: "channels.yml:6: channels.mail.starttls:", problem: "in clear text"),
        Refusal(rule: "starttls on smtps", yaml: valid + "    starttls: true\n", location: "channels.yml:6: channels.mail.starttls:", problem: "'starttls' applies to smtp:// urls"),
        Refusal(rule: "starttls not a boolean", yaml: "channels:\n  mail:\n    type: smtp\n    url: smtp://127.0.0.1:25\n    from: a@example.org\n    starttls: maybe\n", location: "channels.yml:6: channels.mail.starttls:", problem: "'maybe' is not true or false"),
        Refusal(rule: "username without password", yaml: valid + "    username: ${SMTP_USER}\n", location: "channels.yml:2: channels.mail:", problem: "give both 'username' and 'password'"),
        Refusal(rule: "password from an unset variable", yaml: valid + "    username: herald\n    password: ${NOPE_PASSWORD}\n", location: "channels.yml:7: channels.mail.password:", problem: "the environment variable NOPE_PASSWORD is not set"),
        Refusal(rule: "unreadable CA file", yaml: valid + "    ca_file: /nonexistent/ca.pem\n", location: "channels.yml:6: channels.mail.ca_file:", problem: "cannot read /nonexistent/ca.pem"),
        Refusal(rule: "bad helo name", yaml: valid + "    helo: not a host\n", location: "channels.yml:6: channels.mail.helo:", problem: "is not a host name"),
        Refusal(rule: "webhook secret on an smtp channel", yaml: valid + "    secret: ${PARTNER_SECRET}\n", location: "channels.yml:6: channels.mail.secret:", problem: "signing secrets apply to webhook channels only"),
        Refusal(rule: "email key on a webhook channel", yaml: "channels:\n  hook:\n    type: webhook\n    url: https://x.example/h\n    secret: ${PARTNER_SECRET}\n    from: a@example.org\n", location: "channels.yml:6: channels.hook.from:", problem: "'from' applies to smtp channels only"),
    ]

    @Test(arguments: refusals)
    func refusalNamesFileLineAndKey(_ refusal: Refusal) {
        let text = Support.message(refusal.yaml, environment: Self.environment)
        #expect(text.hasPrefix(refusal.location), "\(text)")
        #expect(text.contains(refusal.problem), "\(text)")
        #expect(text.hasSuffix("."), "\(text)")
    }

    @Test func thePasswordIsNeverQuotedInAnError() {
        let yaml = Self.valid + "    username: herald\n    password: [\"hunter2-secret\"]\n"
        let text = Support.message(yaml, environment: Self.environment)
        #expect(text.hasPrefix("channels.yml:7: channels.mail.password:"), "\(text)")
        #expect(!text.contains("hunter2"), "\(text)")
    }
}
