import Foundation
import HeraldConfig
import HeraldCore
import HeraldRules
import HeraldStore
import HeraldStoreSQLite
import HeraldTransport
import HeraldWorker
import Logging

/// `herald bench`: enqueue N webhook or email messages in batches into a fresh database, drain them to a sink, and
/// report enqueue/s, delivered/s, due→delivered latency percentiles and peak RSS. A measurement, never a test gate.
public struct Benchmark: Sendable {
    /// What the messages are delivered over.
    public enum Mode: Sendable {
        /// Signed webhooks to an HTTP sink.
        case webhook
        /// Email to an SMTP sink on loopback, about 1 KB each, one connection reused per transfer slot.
        case email
    }

    public var mode: Mode
    public var url: String
    public var messages: Int
    public var batchSize: Int
    public var maxInFlight: Int
    /// Messages scheduled a day ahead before the run, to measure memory with a large future backlog.
    public var futureMessages: Int
    public var directory: String

    public init(mode: Mode = .webhook, url: String, messages: Int, batchSize: Int, maxInFlight: Int, futureMessages: Int, directory: String) {
        self.mode = mode
        self.url = url
        self.messages = messages
        self.batchSize = batchSize
        self.maxInFlight = maxInFlight
        self.futureMessages = futureMessages
        self.directory = directory
    }

    public struct Report: Sendable {
        public var enqueuePerSecond: Double
        public var deliveredPerSecond: Double
        public var delivered: Int
        public var latencyP50: TimeInterval
        public var latencyP99: TimeInterval
        public var peakRSSBytes: Int
        public var futureScheduled: Int

        public var text: String {
            String(
                format: "enqueue/s %.0f  delivered/s %.0f  delivered %d  due→delivered p50 %.1f ms p99 %.1f ms  peak RSS %.1f MB  future scheduled %d",
                enqueuePerSecond, deliveredPerSecond, delivered, latencyP50 * 1000, latencyP99 * 1000,
                Double(peakRSSBytes) / 1_048_576, futureScheduled
            )
        }
    }

    public func run() async throws -> Report {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let databasePath = (directory as NSString).appendingPathComponent("bench.db")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
        // A fresh key each run: the bench pays for the keyed chain exactly as a production worker does.
        let store = try SQLiteStore(path: databasePath, auditKey: try AuditKey(base64: AuditKey.generateText()))
        let configuration = HeraldConfiguration(channels: ["bench": try channel()])

        if futureMessages > 0 {
            try await enqueue(count: futureMessages, into: store, at: Date().addingTimeInterval(86_400))
        }
        let enqueueStart = ContinuousClock.now
        try await enqueue(count: messages, into: store, at: nil)
        let enqueueSeconds = (ContinuousClock.now - enqueueStart).seconds

        let transport = CurlEngine()
        defer { transport.shutdown() }
        var logger = Logger(label: "herald.bench")
        logger.logLevel = .warning
        let worker = DeliveryWorker(
            store: store, transport: transport, channels: try WorkerAssembly.channels(from: configuration),
            configuration: .init(workerID: "bench", maxInFlight: maxInFlight, once: true), logger: logger
        )
        let drainStart = ContinuousClock.now
        let summary = try await worker.deliver()
        let drainSeconds = (ContinuousClock.now - drainStart).seconds

        let latencies = try await sampleLatencies(store: store, sample: 2000).sorted()
        return Report(
            enqueuePerSecond: Double(messages) / max(enqueueSeconds, 1e-9),
            deliveredPerSecond: Double(summary.delivered) / max(drainSeconds, 1e-9),
            delivered: summary.delivered,
            latencyP50: Self.percentile(latencies, 0.50), latencyP99: Self.percentile(latencies, 0.99),
            peakRSSBytes: Self.peakRSS(), futureScheduled: futureMessages
        )
    }

    private func channel() throws -> ChannelConfiguration {
        let retry = RetryPolicy(base: 0.05, cap: 1, maxAttempts: 3)
        switch mode {
        case .webhook:
            let secret = "whsec_" + Data((0..<32).map { UInt8($0) }).base64EncodedString()
            return ChannelConfiguration(name: "bench", type: .webhook, url: url, secrets: [secret], maxInFlight: maxInFlight, retry: retry)
        case .email:
            let email = EmailSettings(
                from: try EmailAddress(displayName: "Herald bench", address: "notify@example.test"), helo: "herald.example.test",
                requireSTARTTLS: false
            )
            return ChannelConfiguration(name: "bench", type: .smtp, url: url, maxInFlight: maxInFlight, retry: retry, email: email)
        }
    }

    /// About 1 KB of plain text, like the peers' messages.
    private static let emailText = "Hello,\n\nA review has been published.\n\n" + String(repeating: "This is filler text to bring the message to about one kilobyte. ", count: 14)

    private func content(_ number: Int) -> (recipient: String, content: [String: String]) {
        switch mode {
        case .webhook: (url, ["text": "bench message \(number)"])
        case .email: ("Practitioner \(number % 100) <practitioner\(number % 100)@example.test>", ["subject": "Review published (\(number))", "text": Self.emailText])
        }
    }

    private func enqueue(count: Int, into store: SQLiteStore, at: Date?) async throws {
        var remaining = count
        var sequence = 0
        while remaining > 0 {
            let now = Date()
            let size = min(batchSize, remaining)
            let groups = (0..<size).map { offset in
                let id = MessageID.make(at: now)
                let (recipient, content) = content(sequence + offset)
                let message = NewMessage(
                    id: id, channel: "bench", kind: "bench.event", recipient: recipient, content: content,
                    dataJSON: "{\"n\":\(sequence + offset)}", notBefore: at ?? now
                )
                return EnqueueGroup(groupID: id.rawValue, messages: [message])
            }
            _ = try await store.enqueue(groups, now: now)
            remaining -= size
            sequence += size
        }
    }

    /// Due→delivered latency of a sample of delivered messages: the end of the delivering attempt minus `not_before`.
    private func sampleLatencies(store: SQLiteStore, sample: Int) async throws -> [TimeInterval] {
        let delivered = try await store.messages(matching: MessageQuery(state: .delivered, limit: sample))
        var latencies: [TimeInterval] = []
        for message in delivered {
            guard let detail = try await store.message(message.id), let last = detail.attempts.last else { continue }
            latencies.append(last.startedAt.addingTimeInterval(last.duration).timeIntervalSince(message.notBefore))
        }
        return latencies
    }

    static func percentile(_ sorted: [TimeInterval], _ fraction: Double) -> TimeInterval {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.down)))]
    }

    /// VmHWM from /proc: the most resident memory this process has had.
    static func peakRSS() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.filter(\.isNumber)
            return (Int(digits) ?? 0) * 1024
        }
        return 0
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
