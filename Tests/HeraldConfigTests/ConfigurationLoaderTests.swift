import Foundation
import HeraldConfig
import HeraldCore
import HeraldRules
import Testing

@Suite struct ConfigurationLoaderTests {
    typealias Support = ConfigTestSupport

    @Test func aValidFileLoadsWithDefaultsAndOverrides() throws {
        let configuration = try Support.load(
            """
            worker:
              lease: 90s
            defaults:
              max_in_flight: 20
              rate: 50/s
              timeout: 15s
              connect_timeout: 5s
              retry: { base: 1s, cap: 10m, max_attempts: 6 }
              circuit: { failures: 10, cooldown: 1m }
            channels:
              partners:
                type: webhook
                url: https://${HOOK_HOST}/herald
                secret: ${PARTNER_SECRET}
                rate: 10/s
                retry: { max_attempts: 3 }
                circuit: { max_cooldown: 1h }
              panel:
                type: webhook
                url: http://127.0.0.1:9000/hook
                secrets: ["${PARTNER_SECRET}", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]
                max_in_flight: 4
                timeout: 45s
            """
        )
        #expect(configuration.worker == WorkerSettings(lease: 90, shutdownGrace: nil))
        #expect(configuration.warnings.count == 1 && configuration.warnings[0].hasPrefix("No audit key is configured"), "\(configuration.warnings)")
        #expect(configuration.channels.keys.sorted() == ["panel", "partners"])

        let partners = try #require(configuration.channels["partners"])
        #expect(partners.name == "partners")
        #expect(partners.type == .webhook)
        #expect(partners.url == "https://hooks.example.org/herald")
        #expect(partners.secrets == [Support.secret])
        #expect(partners.maxInFlight == 20)
        #expect(partners.rate == RateLimit(text: "10/s"))
        #expect(partners.timeout == 15)
        #expect(partners.connectTimeout == 5)
        #expect(partners.retry == RetryPolicy(base: 1, cap: 600, maxAttempts: 3))
        #expect(partners.circuit == CircuitPolicy(failures: 10, cooldown: 60, maxCooldown: 3600))

        let panel = try #require(configuration.channels["panel"])
        #expect(panel.secrets == [Support.secret, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
        #expect(panel.maxInFlight == 4)
        #expect(panel.rate == RateLimit(text: "50/s"))
        #expect(panel.timeout == 45)
        #expect(panel.retry == RetryPolicy(base: 1, cap: 600, maxAttempts: 6))
        #expect(panel.circuit == CircuitPolicy(failures: 10, cooldown: 60, maxCooldown: 600))
    }

    @Test func builtInDefaultsApplyWhenTheFileSaysNothing() throws {
        let configuration = try Support.load(
            "channels:\n  partners:\n    type: webhook\n    url: https://hooks.example.org/h\n    secret: ${PARTNER_SECRET}\n"
        )
        #expect(configuration.worker == WorkerSettings(lease: 60, shutdownGrace: nil))
        let partners = try #require(configuration.channels["partners"])
        #expect(partners.maxInFlight == 32)
        #expect(partners.rate == nil)
        #expect(partners.timeout == 30)
        #expect(partners.connectTimeout == 10)
        #expect(partners.retry == RetryPolicy(base: 2, cap: 900, maxAttempts: 8))
        #expect(partners.circuit == CircuitPolicy(failures: 5, cooldown: 30, maxCooldown: 600))
    }

    @Test func fileSecretsAreReadRelativeToTheConfigFile() throws {
        let directory = try Support.temporaryDirectory("herald-config")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("secrets"), withIntermediateDirectories: true)
        try (Support.secret + "\n").write(to: directory.appendingPathComponent("secrets/partners"), atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("channels.yml")
        try """
        channels:
          partners:
            type: webhook
            url: https://hooks.example.org/h
            secret: file:secrets/partners
        """.write(to: config, atomically: true, encoding: .utf8)

        let configuration = try ConfigurationLoader.load(path: config.path, environment: [:])
        #expect(configuration.channels["partners"]?.secrets == [Support.secret])
    }

    @Test func aMissingFileSaysWhichAndHowToPointAtAnother() {
        do {
            _ = try ConfigurationLoader.load(path: "/nonexistent/herald/channels.yml", environment: [:])
            Issue.record("loaded a file that does not exist")
        } catch let error as HeraldError {
            #expect(error.code == .configuration)
            #expect(error.message.contains("/nonexistent/herald/channels.yml"))
            #expect(error.message.contains("--config"))
            #expect(error.message.contains("HERALD_CONFIG"))
        } catch {
            Issue.record("not a HeraldError: \(error)")
        }
    }

    @Test(arguments: ["localhost", "127.0.0.1", "127.1.2.3", "[::1]"])
    func plainHTTPIsAllowedToLoopback(host: String) throws {
        let configuration = try Support.load(
            "channels:\n  local:\n    type: webhook\n    url: http://\(host):8080/h\n    secret: ${PARTNER_SECRET}\n"
        )
        #expect(configuration.channels["local"]?.url == "http://\(host):8080/h")
    }

    @Test func secretsWithoutPaddingAreAccepted() throws {
        let unpadded = String(Support.secret.dropLast())
        let configuration = try Support.load(
            "channels:\n  p:\n    type: webhook\n    url: https://x.example/h\n    secret: \(unpadded)\n"
        )
        #expect(configuration.channels["p"]?.secrets == [unpadded])
    }

    /// A grace shorter than a channel's timeout is allowed, but `herald check` and the worker say what it means.
    @Test func aShutdownGraceShorterThanATimeoutIsNamedInAWarning() throws {
        let configuration = try Support.load(
            """
            worker:
              shutdown_grace: 10s
            channels:
              partners:
                type: webhook
                url: https://hooks.example.org/herald
                secret: ${PARTNER_SECRET}
                timeout: 25s
            """
        )
        #expect(configuration.worker.shutdownGrace == 10)
        let warning = try #require(configuration.warnings.first)
        #expect(warning.hasPrefix("worker.shutdown_grace (10s) is shorter than channel 'partners' timeout (25s)"))
        #expect(warning.contains("recorded as interrupted"))
    }
}
