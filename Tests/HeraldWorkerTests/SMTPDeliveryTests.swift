import Foundation
import HeraldChannels
import HeraldCore
import HeraldRules
import HeraldStore
import HeraldStoreSQLite
import HeraldTesting
import HeraldTransport
import HeraldWorker
import Logging
import Testing

extension SMTPSink.Options {
    /// A sink speaking TLS (`starttls` or `implicit`) with the given certificate.
    static func tls(_ mode: String, certificate: String, key: String) -> SMTPSink.Options {
        var options = SMTPSink.Options()
        options.tlsMode = mode
        options.certificate = certificate
        options.key = key
        return options
    }
}

/// An SMTP server (aiosmtpd) on 127.0.0.1 in front of the worker harness (real store, libcurl): the channel pointing at
/// it, and email messages to enqueue.
final class SMTPHarness {
    static let from = try! EmailAddress(displayName: "Safeguarding Partnership", address: "comms@partnership.example.test")

    let workers: WorkerHarness
    let sink: SMTPSink
    var store: SQLiteStore { workers.store }

    init(_ options: SMTPSink.Options = SMTPSink.Options()) async throws {
        workers = try WorkerHarness()
        sink = try await SMTPSink(options)
    }

    deinit {
        sink.stop()
    }

    func channel(
        scheme: String = "smtp", requireSTARTTLS: Bool = false, username: String? = nil, password: String? = nil, caFile: String? = nil,
        maxInFlight: Int = 4, retry: RetryPolicy = RetryPolicy(base: 0.05, cap: 0.2, maxAttempts: 4)
    ) -> WorkerChannel {
        let settings = SMTPAdapter.Settings(
            url: "\(scheme)://127.0.0.1:\(sink.port)", requireSTARTTLS: requireSTARTTLS, helo: "herald.example.test", from: Self.from,
            replyTo: try? EmailAddress(address: "business.unit@partnership.example.test"), username: username, password: password,
            caFile: caFile, timeout: 10, connectTimeout: 5
        )
        return WorkerChannel(name: "mail", adapter: SMTPAdapter(settings: settings), maxInFlight: maxInFlight, rate: nil, retry: retry, timeout: 10)
    }

    @discardableResult
    func enqueue(
        to recipients: [String] = ["Practitioner A <a@agency.example.test>"], subject: String = "Review published",
        text: String = "Dear colleague,\n\nThe review is published.\n", html: String? = nil
    ) async throws -> [MessageID] {
        let now = Date()
        var content = ["subject": subject, "text": text]
        content["html"] = html
        let messages = recipients.map { recipient in
            NewMessage(
                id: MessageID.make(at: now), channel: "mail", kind: "practitioner_notice", recipient: recipient, content: content,
                dataJSON: "{}", notBefore: now, deadline: nil
            )
        }
        return try await store.enqueue([EnqueueGroup(groupID: messages[0].id.rawValue, messages: messages)], now: now).flatMap(\.ids)
    }

    func runOnce(_ channel: WorkerChannel) async throws -> WorkerSummary {
        try await workers.runOnce([channel], maxInFlight: 16)
    }

    func detail(_ id: MessageID) async throws -> MessageDetail {
        try await workers.detail(id)
    }
}

@Suite struct SMTPDeliveryTests {
    static let subject = "Grüße — ‘Adult C’ 👋"
    static let text = "Dear colleague,\n.A line that starts with a dot\n..and one with two\n\nThanks — Grüße 👋\n"
    static let html = "<p>" + String(repeating: "Learning from the review of ‘Adult C’ — ", count: 50).prefix(1990) + "</p>"

    @Test func plainToLoopbackArrivesIntactAndTheReplyIsTheProof() async throws {
        let harness = try await SMTPHarness()
        let ids = try await harness.enqueue(
            to: [
                "Zoë Müller <zoe@agency.example.test>", "\"Smith, Jo\" <jo@agency.example.test>", "plain@agency.example.test",
                "\(Self.subject) <c@agency.example.test>",
            ],
            subject: Self.subject, text: Self.text, html: String(Self.html)
        )
        let summary = try await harness.runOnce(harness.channel(maxInFlight: 1))
        #expect(summary.delivered == 4)
        let mails = harness.sink.mails()
        #expect(mails.count == 4)
        #expect(
            Set(mails.flatMap(\.recipients))
                == ["zoe@agency.example.test", "jo@agency.example.test", "plain@agency.example.test", "c@agency.example.test"]
        )
        #expect(mails.allSatisfy { $0.mailFrom == "comms@partnership.example.test" && !$0.tls })
        let expectedNames = [
            "zoe@agency.example.test": "Zoë Müller", "jo@agency.example.test": "Smith, Jo", "plain@agency.example.test": "",
            "c@agency.example.test": Self.subject,
        ]
        for mail in mails {
            let parsed = try ParsedEmail(file: mail.file)
            #expect(parsed.defects.isEmpty, "\(parsed.defects)")
            #expect(parsed.allLinesCrlf)
            #expect(parsed.maxLineLength <= 78)
            #expect(parsed.subject == Self.subject)
            #expect(parsed.fromDisplay == "Safeguarding Partnership")
            #expect(parsed.fromAddress == "comms@partnership.example.test")
            #expect(parsed.replyTo?.first?.last == "business.unit@partnership.example.test")
            let to = try #require(parsed.to.first)
            #expect(expectedNames[to[1]] == to[0])
            #expect(parsed.autoSubmitted == "auto-generated")
            #expect(parsed.mimeVersion == "1.0")
            #expect(parsed.contentType.hasPrefix("multipart/alternative"))
            #expect(parsed.text == Self.text)
            #expect(parsed.html == String(Self.html) + "\n" || parsed.html == String(Self.html))
            #expect(ids.map { "<\($0.rawValue)@partnership.example.test>" }.contains(parsed.messageId))
        }
        for id in ids {
            let detail = try await harness.detail(id)
            #expect(detail.message.state == .delivered)
            #expect(detail.attempts.first?.status == 250)
            #expect(detail.attempts.first?.detail.contains("queued as") == true, "\(detail.attempts)")
        }
        let connections = Set(try mails.map { try #require(Self.peer(of: $0)) })
        #expect(connections.count == 1, "one connection carried all four: \(connections)")
    }

    @Test func startTLSWithAPrivateCA() async throws {
        let certificates = try TestCertificates()
        let options = SMTPSink.Options.tls("starttls", certificate: certificates.serverCertificate, key: certificates.serverKey)
        let harness = try await SMTPHarness(options)
        let id = try #require(try await harness.enqueue().first)
        let summary = try await harness.runOnce(harness.channel(requireSTARTTLS: true, caFile: certificates.caFile))
        #expect(summary.delivered == 1)
        #expect(harness.sink.mails().first?.tls == true)
        #expect(try await harness.detail(id).message.state == .delivered)
    }

    @Test func implicitTLSWithAPrivateCA() async throws {
        let certificates = try TestCertificates()
        let options = SMTPSink.Options.tls("implicit", certificate: certificates.serverCertificate, key: certificates.serverKey)
        let harness = try await SMTPHarness(options)
        let id = try #require(try await harness.enqueue().first)
        let summary = try await harness.runOnce(harness.channel(scheme: "smtps", caFile: certificates.caFile))
        #expect(summary.delivered == 1)
        #expect(harness.sink.mails().first?.tls == true)
        #expect(try await harness.detail(id).message.state == .delivered)
    }

    @Test func aCertificateForAnotherHostIsDeadWithATLSReason() async throws {
        let certificates = try TestCertificates()
        let options = SMTPSink.Options.tls("implicit", certificate: certificates.wrongHostCertificate, key: certificates.wrongHostKey)
        let harness = try await SMTPHarness(options)
        let id = try #require(try await harness.enqueue().first)
        let summary = try await harness.runOnce(harness.channel(scheme: "smtps", caFile: certificates.caFile))
        #expect(summary.dead == 1)
        let detail = try await harness.detail(id)
        #expect(detail.message.state == .dead)
        #expect(detail.attempts.count == 1)
        #expect(detail.attempts.first?.detail.hasPrefix("TLS failed") == true, "\(detail.attempts)")
        #expect(harness.sink.mails().isEmpty)
    }

    @Test func aServerWithoutSTARTTLSIsNeverSentClearText() async throws {
        let harness = try await SMTPHarness()
        let id = try #require(try await harness.enqueue().first)
        let summary = try await harness.runOnce(harness.channel(requireSTARTTLS: true, username: "herald", password: "secret"))
        #expect(summary.dead == 1)
        #expect(try await harness.detail(id).attempts.first?.detail.hasPrefix("TLS failed") == true)
        #expect(harness.sink.mails().isEmpty)
    }

    @Test(arguments: [("right-password", true), ("wrong-password", false)])
    func authRequired(password: String, accepted: Bool) async throws {
        let certificates = try TestCertificates()
        var options = SMTPSink.Options.tls("starttls", certificate: certificates.serverCertificate, key: certificates.serverKey)
        options.authUser = "herald"
        options.authPassword = "right-password"
        let harness = try await SMTPHarness(options)
        let id = try #require(try await harness.enqueue().first)
        let summary = try await harness.runOnce(
            harness.channel(requireSTARTTLS: true, username: "herald", password: password, caFile: certificates.caFile)
        )
        let detail = try await harness.detail(id)
        if accepted {
            #expect(summary.delivered == 1)
            #expect(harness.sink.mails().first?.authLogin == "herald")
        } else {
            #expect(summary.dead == 1)
            #expect(detail.attempts.count == 1)
            #expect(detail.attempts.first?.status == 535)
            #expect(detail.attempts.first?.detail.contains("username or password") == true, "\(detail.attempts)")
            #expect(harness.sink.mails().isEmpty)
        }
    }

    /// 421 as the greeting (the server is closing), 451 at the end of the data.
    @Test(arguments: [421, 451])
    func transientRepliesAreRetriedThenDelivered(code: Int) async throws {
        var options = SMTPSink.Options()
        options.failFirst = 2
        if code == 421 { options.greetingCode = code } else { options.failCode = code }
        let harness = try await SMTPHarness(options)
        let id = try #require(try await harness.enqueue().first)
        let summary = try await harness.runOnce(harness.channel())
        #expect(summary.delivered == 1)
        #expect(summary.retried == 2)
        let detail = try await harness.detail(id)
        #expect(detail.attempts.map(\.status) == [code, code, 250])
        #expect(harness.sink.mails().count == 1)
    }

    @Test func a550IsDeadAfterOneAttempt() async throws {
        var options = SMTPSink.Options()
        options.rejectRecipients = ["gone@agency.example.test"]
        let harness = try await SMTPHarness(options)
        let ids = try await harness.enqueue(to: ["gone@agency.example.test", "here@agency.example.test"])
        let summary = try await harness.runOnce(harness.channel())
        #expect(summary.dead == 1)
        #expect(summary.delivered == 1)
        let gone = try await harness.detail(ids[0])
        #expect(gone.message.state == .dead)
        #expect(gone.attempts.map(\.status) == [550])
        #expect(gone.attempts.first?.detail.contains("550 5.1.1 No such user") == true, "\(gone.attempts.first?.detail ?? "")")
        #expect(gone.attempts.first?.detail.contains("221") == false, "the QUIT reply was kept as the reason")
        #expect(try await harness.detail(ids[1]).message.state == .delivered)
    }

    /// The client's address:port as the sink saw it, from the envelope file.
    static func peer(of mail: SMTPSink.Mail) -> String? {
        let envelope = URL(fileURLWithPath: mail.file).deletingPathExtension().appendingPathExtension("json")
        guard let data = try? Data(contentsOf: envelope), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return nil
        }
        return object["peer"].map { "\($0)" }
    }
}
