import Foundation
import HeraldConfig
import HeraldCore
import HeraldRules
import Testing

@Suite struct ConfigurationLoaderTests {
    static let secret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    let environment = ["PARTNER_SECRET": ConfigurationLoaderTests.secret, "HOOK_HOST": "hooks.example.org"]

    func load(_ yaml: String, baseDirectory: String = "/nonexistent") throws -> HeraldConfiguration {
        try ConfigurationLoader.load(yaml: yaml, fileName: "channels.yml", environment: environment, baseDirectory: baseDirectory)
    }

    func message(_ yaml: String) -> String {
        do {
            _ = try load(yaml)
            return "loaded without error"
        } catch let error as HeraldError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func aValidFileLoadsWithDefaultsAndOverrides() throws {
        let configuration = try load(
            """
            worker:
              lease: 90s
            defaults:
              max_in_flight: 20
              timeout: 15s
              retry: { base: 1s, cap: 10m, max_attempts: 6 }
            channels:
              partners:
                type: webhook
                url: https://${HOOK_HOST}/herald
                secret: ${PARTNER_SECRET}
                rate: 10/s
                retry: { max_attempts: 3 }
              panel:
                type: webhook
                url: http://127.0.0.1:9000/hook
                secrets: ["${PARTNER_SECRET}", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]
                max_in_flight: 4
            """
        )
        #expect(configuration.worker.lease == 90)
        #expect(configuration.worker.shutdownGrace == 10)
        let partners = try #require(configuration.channels["partners"])
        #expect(partners.url == "https://hooks.example.org/herald")
        #expect(partners.secrets == [Self.secret])
        #expect(partners.maxInFlight == 20)
        #expect(partners.rate == RateLimit(count: 10, per: 1))
        #expect(partners.timeout == 15)
        #expect(partners.retry == RetryPolicy(base: 1, cap: 600, maxAttempts: 3))
        let panel = try #require(configuration.channels["panel"])
        #expect(panel.secrets.count == 2)
        #expect(panel.maxInFlight == 4)
        #expect(panel.retry.maxAttempts == 6)
    }

    @Test func fileSecretsAreReadRelativeToTheConfigFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try (Self.secret + "\n").write(to: directory.appendingPathComponent("partners.secret"), atomically: true, encoding: .utf8)
        let configuration = try load(
            """
            channels:
              partners:
                type: webhook
                url: https://hooks.example.org/h
                secret: file:partners.secret
            """, baseDirectory: directory.path
        )
        #expect(configuration.channels["partners"]?.secrets == [Self.secret])
    }

    /// Each refusal names the file, the line and the key path, and says what to do.
    @Test(arguments: [
        ("channels:\n  partners:\n    type: carrier-pigeon\n    url: https://x.example/h\n", "channels.yml:3: channels.partners.type:", "unknown channel type"),
        ("channels:\n  partners:\n    type: webhook\n    secret: ${PARTNER_SECRET}\n", "channels.yml:3: channels.partners:", "no 'url'"),
        ("channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secret: ${PARTNER_SECRET}\n    colour: blue\n",
         "channels.yml:6: channels.partners.colour:", "unknown key 'colour'"),
        ("channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secret: ${PARTNER_SECRET}\n    retry:\n      base: 5 mins\n",
         "channels.yml:7: channels.partners.retry.base:", "'5 mins' is not a duration"),
        ("channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secret: ${NOT_SET_ANYWHERE}\n",
         "channels.yml:5: channels.partners.secret:", "NOT_SET_ANYWHERE is not set"),
        ("channels:\n  partners:\n    type: webhook\n    url: http://hooks.example.org/h\n    secret: ${PARTNER_SECRET}\n",
         "channels.yml:4: channels.partners.url:", "Use https://"),
        ("worker:\n  lease: -3s\nchannels: {}\n", "channels.yml:2: worker.lease:", "not a duration"),
        ("channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secret: ${PARTNER_SECRET}\n    max_in_flight: 0\n",
         "channels.yml:6: channels.partners.max_in_flight:", "whole number"),
        ("channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secret: ${PARTNER_SECRET}\n    rate: lots\n",
         "channels.yml:6: channels.partners.rate:", "is not a rate"),
        ("channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secret: not-a-whsec\n",
         "channels.yml:5: channels.partners.secret:", "Standard Webhooks secret"),
        ("channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n", "channels.yml:3: channels.partners:", "signing secret"),
        ("defaults:\n  retry: { base: 1h, cap: 1m }\nchannels: {}\n", "channels.yml:2: defaults.retry.base:", "longer than the cap"),
        ("channels:\n  - partners\n", "channels.yml:2: channels:", "expected a mapping"),
        ("channels: {}\n", "channels.yml:1: channels:", "no channels"),
        ("worker:\n  lease: 60s\n", "channels.yml:1: (top level):", "no 'channels'"),
        ("channels:\n  partners: [\n", "channels.yml:", "not valid YAML"),
        ("channels:\n  partners:\n    type: webhook\n    type: webhook\n", "channels.yml:", "more than once"),
        ("channels:\n  bad name!:\n    type: webhook\n", "channels.yml:3: channels.bad name!:", "not a channel name"),
        ("channels:\n  partners:\n    type: webhook\n    url: ftp://x.example/h\n    secret: ${PARTNER_SECRET}\n",
         "channels.yml:4: channels.partners.url:", "not supported"),
        ("channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secret: ${PARTNER_SECRET}\n    timeout: 2m\n",
         "channels.yml:6: channels.partners.timeout:", "worker lease"),
    ])
    func refusalsNameFileLineAndKey(yaml: String, location: String, problem: String) {
        let text = message(yaml)
        #expect(text.hasPrefix(location), "\(text)")
        #expect(text.contains(problem), "\(text)")
    }

    @Test func errorsNeverContainTheSecret() {
        let yaml = "channels:\n  partners:\n    type: webhook\n    url: http://evil.example/h\n    secret: ${PARTNER_SECRET}\n"
        #expect(!message(yaml).contains(Self.secret))
        let bad = "channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secret: whsec_short\n"
        #expect(!message(bad).contains("whsec_short"))
    }

    @Test func aMissingFileSaysHowToPointAtAnother() {
        #expect {
            try ConfigurationLoader.load(path: "/nonexistent/channels.yml")
        } throws: { error in
            let message = (error as? HeraldError)?.message ?? ""
            return message.contains("/nonexistent/channels.yml") && message.contains("--config")
        }
    }

    @Test(arguments: ["localhost", "127.0.0.1", "127.1.2.3", "[::1]"])
    func plainHTTPIsAllowedToLoopback(host: String) throws {
        let configuration = try load(
            "channels:\n  local:\n    type: webhook\n    url: http://\(host):8080/h\n    secret: ${PARTNER_SECRET}\n"
        )
        #expect(configuration.channels["local"] != nil)
    }
}
