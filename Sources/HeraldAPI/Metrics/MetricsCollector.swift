import CoreMetrics
import Foundation
import HeraldCore
import HeraldStore
import HeraldServices
import Prometheus

/// Turns store readings into Prometheus metrics (docs/api.md lists them). One per server: it keeps the position in
/// the attempts read so far, so counters and histograms only ever grow, and sets the gauges afresh on each scrape.
actor MetricsCollector<Store: MetricsStore & OperatorStore> {
    let service: MetricsService<Store>
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    private var cursor: Int64 = 0
    private var auditEvents: Int64 = 0
    private var counters: [String: CoreMetrics.Counter] = [:]
    private var timers: [String: CoreMetrics.Timer] = [:]
    private var gauges: [String: CoreMetrics.Gauge] = [:]
    /// Every gauge set before, so one whose subject is gone (no dead messages left) reads 0 rather than its last value.
    private var gaugesSet: Set<String> = []

    init(service: MetricsService<Store>) {
        self.service = service
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            "herald_delivery_duration_seconds": [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60].map(Self.duration),
            "herald_delivery_latency_seconds": [0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 3600, 21_600, 86_400].map(Self.duration),
        ]
        self.factory = factory
    }

    private static func duration(_ seconds: Double) -> Duration { .milliseconds(Int64(seconds * 1000)) }

    /// The text format, after bringing every metric up to date with the store.
    func scrape(now: Date) async throws -> String {
        let reading = try await service.read(after: cursor, now: now)
        cursor = reading.cursor
        for sample in reading.attempts {
            counter("herald_deliveries_total", [("channel", sample.channel), ("outcome", sample.outcome)]).increment()
            timer("herald_delivery_duration_seconds", sample.channel).recordNanoseconds(Int64(sample.duration * 1e9))
            if let latency = sample.latency { timer("herald_delivery_latency_seconds", sample.channel).recordNanoseconds(Int64(latency * 1e9)) }
        }
        if reading.auditEvents > auditEvents {
            counter("herald_audit_events_total", []).increment(by: Int(reading.auditEvents - auditEvents))
            auditEvents = reading.auditEvents
        }
        var set: [String: ([(String, String)], String, Double)] = [:]
        func gauge(_ name: String, _ dimensions: [(String, String)], _ value: Double) {
            set[Self.key(name, dimensions)] = (dimensions, name, value)
        }
        for count in reading.counts {
            gauge("herald_messages", [("channel", count.channel), ("state", count.state.rawValue)], Double(count.count))
        }
        for (channel, load) in reading.loads {
            gauge("herald_oldest_due_age_seconds", [("channel", channel)], load.oldestDue.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        }
        for channel in Set(reading.counts.map(\.channel)).union(reading.pauses.keys) {
            let pause = reading.pauses[channel]
            gauge("herald_channel_paused", [("channel", channel)], pause == nil ? 0 : 1)
            gauge("herald_channel_circuit_open", [("channel", channel)], pause?.reason.hasPrefix(ChannelPause.circuitReasonPrefix) == true ? 1 : 0)
        }
        for key in gaugesSet where set[key] == nil { gauges[key]?.record(0) }
        for (key, (dimensions, name, value)) in set {
            if gauges[key] == nil { gauges[key] = Gauge(label: name, dimensions: dimensions, factory: factory) }
            gauges[key]?.record(value)
            gaugesSet.insert(key)
        }
        return registry.emitToString()
    }

    private func counter(_ name: String, _ dimensions: [(String, String)]) -> CoreMetrics.Counter {
        let key = Self.key(name, dimensions)
        if let counter = counters[key] { return counter }
        let counter = Counter(label: name, dimensions: dimensions, factory: factory)
        counters[key] = counter
        return counter
    }

    private func timer(_ name: String, _ channel: String) -> CoreMetrics.Timer {
        let key = Self.key(name, [("channel", channel)])
        if let timer = timers[key] { return timer }
        let timer = Timer(label: name, dimensions: [("channel", channel)], factory: factory)
        timers[key] = timer
        return timer
    }

    private static func key(_ name: String, _ dimensions: [(String, String)]) -> String {
        ([name] + dimensions.map { "\($0.0)=\($0.1)" }).joined(separator: "\u{1F}")
    }
}
