import Foundation
import HeraldChannels
import HeraldCore
import HeraldRules
import HeraldStore
import HeraldStoreSQLite
import HeraldTransport
import HeraldWorker
import Logging

/// The one way tests run a worker: a real SQLite store in a folder of its own, the transport and clock the test
/// chooses (the in-memory transport and a manual clock for the fast layer; libcurl and the system clock against real
/// receivers), and helpers to enqueue, run once, run in the background and look at what the store holds.
public final class WorkerHarness: @unchecked Sendable {
    // Invariant: every stored property is set once in init; the store, clock and transport are Sendable themselves.

    public let directory: URL
    public let store: SQLiteStore
    public let clock: any HeraldClock
    public let transport: any Transport
    private let ownsTransport: CurlEngine?

    /// - Parameters:
    ///   - clock: a `ManualClock` for tests that prove what did not happen; the system clock by default.
    ///   - transport: the in-memory transport, or nil for a libcurl engine the harness owns and shuts down.
    ///   - busyTimeout: how long the store waits for another process's lock.
    public init(clock: any HeraldClock = SystemClock(), transport: (any Transport)? = nil, busyTimeout: TimeInterval = 30) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-harness-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("herald.db").path, auditKey: TestKeys.audit, busyTimeout: busyTimeout)
        self.clock = clock
        if let transport {
            self.transport = transport
            ownsTransport = nil
        } else {
            let engine = CurlEngine()
            self.transport = engine
            ownsTransport = engine
        }
    }

    deinit {
        ownsTransport?.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    public var databasePath: String { directory.appendingPathComponent("herald.db").path }

    /// A second connection to the same database file, as another process would open it.
    public func otherStore(busyTimeout: TimeInterval = 30) throws -> SQLiteStore {
        try SQLiteStore(path: databasePath, auditKey: TestKeys.audit, busyTimeout: busyTimeout)
    }

    /// Stores one message per content on `channel`, due at `at` (the clock's now by default).
    @discardableResult
    public func enqueue(
        on channel: String, recipient: String = "receiver", contents: [[String: String]], kind: String = "review.notice", at: Date? = nil,
        deadline: Date? = nil, dedupeKey: String? = nil
    ) async throws -> [MessageID] {
        let now = clock.now()
        let groups = contents.enumerated().map { index, content in
            let message = NewMessage(
                id: MessageID.make(at: now), channel: channel, kind: kind, recipient: recipient, content: content,
                dataJSON: "{\"n\":\(index)}", notBefore: at ?? now, deadline: deadline
            )
            return EnqueueGroup(groupID: message.id.rawValue, dedupeKey: dedupeKey, messages: [message])
        }
        return try await store.enqueue(groups, now: now).flatMap(\.ids)
    }

    /// Stores `count` webhook-like messages on `channel`.
    @discardableResult
    public func enqueue(_ count: Int, on channel: String, recipient: String = "receiver", deadline: Date? = nil, dedupeKey: String? = nil)
        async throws -> [MessageID]
    {
        try await enqueue(
            on: channel, recipient: recipient, contents: (0..<count).map { ["text": "notice \($0)"] }, deadline: deadline, dedupeKey: dedupeKey
        )
    }

    /// A worker on this harness's store, transport and clock (or on `store`, for a second worker).
    public func worker(
        _ channels: [WorkerChannel], id: String = "test-worker", lease: TimeInterval = 30, shutdownGrace: TimeInterval? = nil,
        maxInFlight: Int = 64, once: Bool = false, store: SQLiteStore? = nil
    ) -> DeliveryWorker<SQLiteStore> {
        var logger = Logger(label: "herald.test.\(id)")
        logger.logLevel = .error
        return DeliveryWorker(
            store: store ?? self.store, transport: transport, channels: channels,
            configuration: .init(workerID: id, lease: lease, shutdownGrace: shutdownGrace, maxInFlight: maxInFlight, once: once), clock: clock,
            logger: logger
        )
    }

    /// Runs a once-worker to its end.
    public func runOnce(_ channels: [WorkerChannel], lease: TimeInterval = 30, maxInFlight: Int = 64) async throws -> WorkerSummary {
        try await worker(channels, lease: lease, maxInFlight: maxInFlight, once: true).deliver()
    }

    /// Starts a worker in the background; stop it with `stop()` on the returned run.
    public func start(_ worker: DeliveryWorker<SQLiteStore>) -> RunningWorker {
        RunningWorker(worker: worker, clock: clock)
    }

    public func detail(_ id: MessageID) async throws -> MessageDetail {
        guard let detail = try await store.message(id) else { throw HarnessError("no message \(id) in the store") }
        return detail
    }

    public func state(_ id: MessageID) async throws -> MessageState? {
        try await store.message(id)?.message.state
    }
}

/// A worker running in the background.
public struct RunningWorker: Sendable {
    public let worker: DeliveryWorker<SQLiteStore>
    let clock: any HeraldClock
    let task: Task<WorkerSummary, any Error>

    init(worker: DeliveryWorker<SQLiteStore>, clock: any HeraldClock) {
        self.worker = worker
        self.clock = clock
        task = Task { try await worker.deliver() }
    }

    /// Returns once the worker sleeps with nothing under way (see `WorkerActivity`); requests the in-memory
    /// transport holds open may still be in flight.
    public func idle() async {
        await worker.activity.idle(on: clock)
    }

    /// Returns once the worker sleeps with nothing under way and nothing in flight: for real transports.
    public func settled() async {
        await worker.activity.idle(on: clock, nothingInFlight: true)
    }

    /// Asks it to stop and waits for its summary.
    public func stop() async throws -> WorkerSummary {
        worker.stop()
        return try await task.value
    }

    /// Waits for it to end by itself.
    public func finish() async throws -> WorkerSummary {
        try await task.value
    }
}

/// A harness could not do what a test asked.
public struct HarnessError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension WorkerHarness {
    /// The signing secret of the test webhook channels.
    public static let webhookSecret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

    /// A webhook channel posting to `url` (a sink's, or any URL for the in-memory transport).
    public static func webhookChannel(
        _ name: String = "partners", url: String = "http://127.0.0.1:9/hook", maxInFlight: Int = 8, rate: RateLimit? = nil,
        retry: RetryPolicy = RetryPolicy(base: 0.05, cap: 0.2, maxAttempts: 5), circuit: CircuitPolicy = CircuitPolicy(), timeout: TimeInterval = 5
    ) throws -> WorkerChannel {
        let adapter = try WebhookAdapter(settings: .init(url: url, secrets: [webhookSecret], timeout: timeout, connectTimeout: min(2, timeout)))
        return WorkerChannel(name: name, adapter: adapter, maxInFlight: maxInFlight, rate: rate, retry: retry, circuit: circuit, timeout: timeout)
    }
}
