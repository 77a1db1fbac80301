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

/// A real store on a temporary file, the real libcurl engine, and a real HTTP sink on 127.0.0.1.
final class WorkerHarness {
    static let secret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

    let directory: URL
    let store: SQLiteStore
    let sink: HTTPSink
    let transport = CurlEngine()

    init(handler: @escaping @Sendable (SinkRequest) -> SinkReply = { _ in SinkReply(status: 204) }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-worker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("herald.db").path)
        sink = try HTTPSink(handler: handler)
    }

    deinit {
        transport.shutdown()
        sink.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    func channel(
        maxInFlight: Int = 8, retry: RetryPolicy = RetryPolicy(base: 0.05, cap: 0.2, maxAttempts: 5), timeout: TimeInterval = 5,
        circuit: CircuitPolicy = CircuitPolicy()
    ) throws -> WorkerChannel {
        let adapter = try WebhookAdapter(settings: .init(url: sink.url("/hook"), secrets: [Self.secret], timeout: timeout, connectTimeout: 2))
        return WorkerChannel(name: "partners", adapter: adapter, maxInFlight: maxInFlight, rate: nil, retry: retry, circuit: circuit)
    }

    @discardableResult
    func enqueue(_ count: Int = 1, deadline: Date? = nil, key: String? = nil) async throws -> [MessageID] {
        let now = Date()
        let groups = (0..<count).map { index in
            let message = NewMessage(
                id: MessageID.make(at: now), channel: "partners", kind: "review.notice", recipient: sink.url("/hook"),
                content: ["text": "notice \(index)"], dataJSON: "{\"n\":\(index)}", notBefore: now, deadline: deadline
            )
            return EnqueueGroup(groupID: message.id.rawValue, dedupeKey: key, messages: [message])
        }
        return try await store.enqueue(groups, now: now).flatMap(\.ids)
    }

    func runOnce(_ channel: WorkerChannel) async throws -> DeliveryWorker<SQLiteStore>.Summary {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let worker = DeliveryWorker(
            store: store, transport: transport, channels: [channel],
            configuration: .init(workerID: "test-worker", lease: 30, shutdownGrace: 2, maxInFlight: 64, once: true), logger: logger
        )
        return try await worker.run()
    }

    func state(_ id: MessageID) async throws -> MessageState? {
        try await store.message(id)?.message.state
    }
}
