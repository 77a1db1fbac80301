import Foundation
import HeraldApp
import HeraldConfig
import HeraldCore
import HeraldServices
import HeraldStore
import HeraldStoreSQLite
import HeraldTesting
import HeraldTransport
import HeraldWorker
import Testing

/// A review workflow over real parts: channels.yml in a temporary folder, the project's templates and bank-holiday
/// file, a SQLite store, an aiosmtpd server for email, an HTTP sink for the comms partners' webhook, the libcurl
/// engine, and a manual clock the test moves through the timeline.
final class ReviewFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let secret = "whsec_" + Data((0..<32).map { UInt8($0) }).base64EncodedString()

    let directory: URL
    let smtp: SMTPSink
    let http: HTTPSink
    let workers: WorkerHarness
    var store: SQLiteStore { workers.store }
    let configuration: HeraldConfiguration
    let service: ReviewService<SQLiteStore>
    let clock: ManualClock

    init(now: Date) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-review-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        smtp = try await SMTPSink()
        http = try HTTPSink()
        let yaml = """
            channels:
              email:
                type: smtp
                url: smtp://127.0.0.1:\(smtp.port)
                starttls: false
                from: "Northshire Safeguarding Partnership <comms@partnership.example.test>"
                max_in_flight: 4
              partners:
                type: webhook
                url: \(http.url("/partners"))
                secret: ${PARTNER_SECRET}
            planner:
              bank_holidays: \(Self.root.appendingPathComponent("data/bank-holidays.json").path)
              partnership: Northshire Safeguarding Partnership
            audiences:
              practitioners: { channel: email }
              comms_partners: { channel: partners }
              comms_organisations: { channel: email, recipients: ["Comms Network <network@partners.example.test>"] }
              national_panel:
                channel: email
                recipients: ["Review Panel <panel@panel.example.test>", "DfE Reviews <reviews@dfe.example.test>"]
              media: { channel: email, recipients: ["Press Desk <news@press.example.test>"] }
            approvers: ["Business Manager"]
            """
        let file = directory.appendingPathComponent("channels.yml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        configuration = try ConfigurationLoader.load(path: file.path, environment: ["PARTNER_SECRET": Self.secret])
        clock = ManualClock(now)
        workers = try WorkerHarness(clock: clock)
        let templates = try TemplateLibrary(directory: Self.root.appendingPathComponent("templates").path)
        service = try ReviewService(configuration: configuration, templates: templates, store: workers.store)
    }

    deinit {
        smtp.stop()
        http.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    static let practitioners = try! PractitionerList.parse(
        """
        name,email,role
        Jo Smith,jo.smith@agency.example.test,practitioner
        Sam Patel,sam.patel@agency.example.test,manager
        Zoë Müller,zoe.muller@agency.example.test,practitioner
        """,
        file: "practitioners.csv"
    )

    /// Runs a worker once at the clock's time: it delivers what is due then, and nothing later.
    @discardableResult
    func runWorker() async throws -> WorkerSummary {
        try await workers.worker(
            try WorkerAssembly.channels(from: configuration), id: "review-test", lease: configuration.worker.lease, shutdownGrace: 2, once: true
        ).deliver()
    }

    /// `2026-04-08T08:00:00Z` → Date.
    static func instant(_ text: String) -> Date {
        RFC3339.parse(text)!
    }

    /// The envelope recipients of every email received so far, by subject prefix of the step.
    func emailRecipients() -> [String] {
        smtp.mails().flatMap(\.recipients).sorted()
    }
}
