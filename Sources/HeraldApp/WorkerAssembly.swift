import Foundation
import HeraldChannels
import HeraldConfig
import HeraldCore
import HeraldTransport
import HeraldWorker

/// Builds the worker's channels from configuration: the one place that maps a channel type to its adapter.
public enum WorkerAssembly {
    public static func channels(from configuration: HeraldConfiguration) throws -> [WorkerChannel] {
        try configuration.channels.values.sorted { $0.name < $1.name }.map { channel in
            let adapter: any ChannelAdapter
            switch channel.type {
            case .webhook:
                adapter = try WebhookAdapter(
                    settings: .init(url: channel.url, secrets: channel.secrets, timeout: channel.timeout, connectTimeout: channel.connectTimeout)
                )
            case .smtp:
                guard let email = channel.email else {
                    throw HeraldError(.configuration, "Channel '\(channel.name)' is an smtp channel without its email settings.")
                }
                adapter = SMTPAdapter(
                    settings: .init(
                        url: channel.url, requireSTARTTLS: email.requireSTARTTLS, helo: email.helo, from: email.from,
                        replyTo: email.replyTo, username: email.username, password: email.password, caFile: email.caFile,
                        timeout: channel.timeout, connectTimeout: channel.connectTimeout
                    )
                )
            default:
                adapter = try postAdapter(for: channel)
            }
            return WorkerChannel(
                name: channel.name, adapter: adapter, maxInFlight: channel.maxInFlight, rate: channel.rate, retry: channel.retry,
                circuit: channel.circuit, timeout: channel.timeout
            )
        }
    }

    /// A worker id that says where the worker runs, unique per process.
    public static func workerID() -> String {
        let host = ProcessInfo.processInfo.hostName.prefix(40)
        return "\(host)-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
    }
}
