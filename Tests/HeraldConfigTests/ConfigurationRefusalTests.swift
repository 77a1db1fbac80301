import Foundation
import HeraldConfig
import HeraldCore
import Testing

/// One refusal rule: the YAML, the `file:line: key.path:` the message must start with, and words it must contain.
struct Refusal: Sendable, CustomTestStringConvertible {
    let rule: String
    let yaml: String
    let location: String
    let problem: String
    var testDescription: String { rule }
}

/// Every rule of channels.yml refuses with the exact file, line and key path, and says what is wrong.
/// Line numbers are those of the inline YAML (line 1 is the first line of the string).
@Suite struct ConfigurationRefusalTests {
    typealias Support = ConfigTestSupport

    /// A valid channel, lines 1–5, to which a case appends (line 6 onwards).
    static let valid = "channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secret: ${PARTNER_SECRET}\n"

    static let refusals: [Refusal] = [
        Refusal(rule: "empty file", yaml: "", location: "channels.yml:1: (top level):", problem: "the file is empty"),
        Refusal(rule: "aliases that expand to millions of values", yaml: CampaignLoaderTests.billionLaughs.replacingOccurrences(of: "campaign: week\n", with: "channels: {}\nplanner:\n"), location: "channels.yml:", problem: "more than 100000 values"),
        Refusal(rule: "comments only", yaml: "# nothing yet\n", location: "channels.yml:1: (top level):", problem: "the file is empty"),
        Refusal(rule: "root is a list", yaml: "- partners\n- panel\n", location: "channels.yml:1: (top level):", problem: "expected a mapping of keys (worker, defaults, channels, planner, audiences, approvers, allow_literal_secrets, audit, retention, tls), found a list"),
        Refusal(rule: "YAML syntax error", yaml: "channels:\n  partners:\n    type: webhook\n    url: \"https://x.example/h\n", location: "channels.yml:4:", problem: "not valid YAML"),
        Refusal(rule: "bad indentation", yaml: "channels:\n  partners:\n    type: webhook\n   url: https://x.example/h\n", location: "channels.yml:4:", problem: "not valid YAML"),
        Refusal(rule: "unknown top-level key", yaml: "workers:\n  lease: 60s\n" + "channels: {}\n", location: "channels.yml:1: workers:", problem: "unknown key 'workers'. Allowed here: worker, defaults, channels, planner, audiences, approvers, allow_literal_secrets, audit, retention, tls."),
        Refusal(rule: "tls file unreadable", yaml: valid + "tls:\n  cert: /nonexistent/server.pem\n  key: /nonexistent/server.key\n", location: "channels.yml:7: tls.cert:", problem: "cannot read '/nonexistent/server.pem'"),
        Refusal(rule: "tls without its key", yaml: valid + "tls:\n  cert: /etc/passwd\n", location: "channels.yml:6: tls:", problem: "give both cert"),
        Refusal(rule: "unknown tls key", yaml: valid + "tls:\n  certificate: x.pem\n", location: "channels.yml:7: tls.certificate:", problem: "unknown key 'certificate'. Allowed here: cert, key."),
        Refusal(rule: "unknown channel key", yaml: valid + "    colour: blue\n", location: "channels.yml:6: channels.partners.colour:", problem: "unknown key 'colour'. Allowed here: type, url, secret, secrets,"),
        Refusal(rule: "unknown key opening a block names the key's line", yaml: valid + "    retri:\n      base: 2s\n", location: "channels.yml:6: channels.partners.retri:", problem: "unknown key 'retri'"),
        Refusal(rule: "unknown retry key", yaml: valid + "    retry: { base: 1s, attempts: 3 }\n", location: "channels.yml:6: channels.partners.retry.attempts:", problem: "Allowed here: base, cap, max_attempts."),
        Refusal(rule: "unknown worker key", yaml: "worker:\n  leese: 60s\n", location: "channels.yml:2: worker.leese:", problem: "Allowed here: lease, shutdown_grace."),
        Refusal(rule: "channels missing", yaml: "worker:\n  lease: 60s\n", location: "channels.yml:1: (top level):", problem: "no 'channels' mapping"),
        Refusal(rule: "channels empty", yaml: "worker:\n  lease: 60s\nchannels: {}\n", location: "channels.yml:3: channels:", problem: "no channels are defined"),
        Refusal(rule: "channels with no value", yaml: "channels:\n", location: "channels.yml:1: channels:", problem: "no channels are defined"),
        Refusal(rule: "channels is a list", yaml: "channels:\n  - partners\n", location: "channels.yml:1: channels:", problem: "expected a mapping of names, found a list"),
        Refusal(rule: "channel name with a space", yaml: "channels:\n  bad name!:\n    type: webhook\n", location: "channels.yml:2: channels.bad name!:", problem: "is not a channel name. Use 1 to 64 letters"),
        Refusal(rule: "channel name too long", yaml: "channels:\n  \(String(repeating: "a", count: 65)):\n    type: webhook\n", location: "channels.yml:2: channels.aaaa", problem: "is not a channel name"),
        Refusal(rule: "duplicate channel name", yaml: valid + "  partners:\n    type: webhook\n", location: "channels.yml:6: channels.partners:", problem: "'partners' is given twice in the same mapping (also on line 2)"),
        Refusal(rule: "duplicate key", yaml: "channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    type: webhook\n", location: "channels.yml:5: channels.partners.type:", problem: "'type' is given twice"),
        Refusal(rule: "duplicate key in a flow mapping", yaml: valid + "    retry: { base: 1s, base: 2s }\n", location: "channels.yml:6: channels.partners.retry.base:", problem: "'base' is given twice"),
        Refusal(rule: "missing type", yaml: "channels:\n  partners:\n    url: https://x.example/h\n", location: "channels.yml:2: channels.partners:", problem: "no 'type'. Say which kind of channel this is: webhook, smtp, slack, teams, mastodon, bluesky, x, facebook, linkedin."),
        Refusal(rule: "unknown channel type", yaml: "channels:\n  partners:\n    type: carrier-pigeon\n    url: https://x.example/h\n", location: "channels.yml:3: channels.partners.type:", problem: "unknown channel type 'carrier-pigeon'. Supported: webhook, smtp, slack, teams, mastodon, bluesky, x, facebook, linkedin."),
        Refusal(rule: "missing url", yaml: "channels:\n  partners:\n    type: webhook\n    secret: ${PARTNER_SECRET}\n", location: "channels.yml:2: channels.partners:", problem: "no 'url'"),
        Refusal(rule: "url without a scheme", yaml: "channels:\n  partners:\n    type: webhook\n    url: hooks.example.org/h\n", location: "channels.yml:4: channels.partners.url:", problem: "not a URL with a host"),
        Refusal(rule: "url without a host", yaml: "channels:\n  partners:\n    type: webhook\n    url: https:///h\n", location: "channels.yml:4: channels.partners.url:", problem: "not a URL with a host"),
        Refusal(rule: "url not http(s)", yaml: "channels:\n  partners:\n    type: webhook\n    url: ftp://x.example/h\n", location: "channels.yml:4: channels.partners.url:", problem: "the scheme 'ftp' is not supported. Use https://."),
        Refusal(rule: "plain http to a remote host", yaml: "channels:\n  partners:\n    type: webhook\n    url: http://hooks.example.org/h\n", location: "channels.yml:4: channels.partners.url:", problem: "Use https://"),
        Refusal(rule: "plain http to a name that only starts like loopback", yaml: "channels:\n  partners:\n    type: webhook\n    url: http://127.0.0.1.example.org/h\n", location: "channels.yml:4: channels.partners.url:", problem: "Use https://"),
        Refusal(rule: "unset variable in url", yaml: "channels:\n  partners:\n    type: webhook\n    url: https://${NOPE_HOST}/h\n", location: "channels.yml:4: channels.partners.url:", problem: "the environment variable NOPE_HOST is not set"),
        Refusal(rule: "duration with a spelled-out unit", yaml: valid + "    retry:\n      base: 5 mins\n", location: "channels.yml:7: channels.partners.retry.base:", problem: "'5 mins' is not a duration. Write a positive number and a unit, e.g. 500ms, 30s, 5m, 2h, 1d."),
        Refusal(rule: "negative duration", yaml: "worker:\n  lease: -3s\n" + valid, location: "channels.yml:2: worker.lease:", problem: "'-3s' is not a duration"),
        Refusal(rule: "a lease that would overflow", yaml: "worker:\n  lease: 99999999999999d\n" + valid, location: "channels.yml:2: worker.lease:", problem: "is longer than the 86400s allowed here"),
        Refusal(rule: "a timeout over an hour", yaml: valid + "    timeout: 2h\n", location: "channels.yml:6: channels.partners.timeout:", problem: "is longer than the 3600s allowed here"),
        Refusal(rule: "a retry cap over a week", yaml: valid + "    retry: { cap: 8d }\n", location: "channels.yml:6: channels.partners.retry.cap:", problem: "is longer than the 604800s allowed here"),
        Refusal(rule: "a duration with too many digits", yaml: "worker:\n  lease: 1000000000000000000000000s\n" + valid, location: "channels.yml:2: worker.lease:", problem: "is not a duration"),
        Refusal(rule: "zero duration", yaml: "defaults:\n  timeout: 0s\n" + valid, location: "channels.yml:2: defaults.timeout:", problem: "'0s' is not a duration"),
        Refusal(rule: "max_in_flight zero", yaml: valid + "    max_in_flight: 0\n", location: "channels.yml:6: channels.partners.max_in_flight:", problem: "'0' is not a whole number"),
        Refusal(rule: "max_in_flight fractional", yaml: "defaults:\n  max_in_flight: 2.5\n" + valid, location: "channels.yml:2: defaults.max_in_flight:", problem: "'2.5' is not a whole number"),
        Refusal(rule: "max_attempts negative", yaml: valid + "    retry: { max_attempts: -1 }\n", location: "channels.yml:6: channels.partners.retry.max_attempts:", problem: "'-1' is not a whole number"),
        Refusal(rule: "max_attempts a word", yaml: valid + "    retry: { max_attempts: many }\n", location: "channels.yml:6: channels.partners.retry.max_attempts:", problem: "'many' is not a whole number"),
        Refusal(rule: "bad rate", yaml: valid + "    rate: lots\n", location: "channels.yml:6: channels.partners.rate:", problem: "'lots' is not a rate. Write a count per second, minute or hour"),
        Refusal(rule: "rate per day", yaml: valid + "    rate: 10/d\n", location: "channels.yml:6: channels.partners.rate:", problem: "'10/d' is not a rate"),
        Refusal(rule: "retry base above cap in defaults", yaml: "defaults:\n  retry: { base: 1h, cap: 1m }\n" + valid, location: "channels.yml:2: defaults.retry.base:", problem: "longer than the cap"),
        Refusal(rule: "retry base above the inherited cap", yaml: valid + "    retry:\n      base: 1h\n", location: "channels.yml:7: channels.partners.retry.base:", problem: "longer than the cap"),
        Refusal(rule: "a list where a mapping is expected", yaml: valid + "    retry: [2s, 15m]\n", location: "channels.yml:6: channels.partners.retry:", problem: "expected a mapping of keys (base, cap, max_attempts), found a list"),
        Refusal(rule: "a mapping where a value is expected", yaml: valid + "    timeout: { seconds: 3 }\n", location: "channels.yml:6: channels.partners.timeout:", problem: "expected a single value, found a mapping"),
        Refusal(rule: "a value where a list is expected", yaml: "channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secrets: ${PARTNER_SECRET}\n", location: "channels.yml:5: channels.partners.secrets:", problem: "expected a list"),
        Refusal(rule: "empty value", yaml: valid + "    rate:\n", location: "channels.yml:6: channels.partners.rate:", problem: "the value is empty"),
        Refusal(rule: "unknown circuit key", yaml: valid + "    circuit: { failure: 3 }\n", location: "channels.yml:6: channels.partners.circuit.failure:", problem: "Allowed here: failures, cooldown, max_cooldown."),
        Refusal(rule: "circuit failures of zero", yaml: valid + "    circuit: { failures: 0 }\n", location: "channels.yml:6: channels.partners.circuit.failures:", problem: "not a whole number from 1 to 1000"),
        Refusal(rule: "circuit cooldown past its maximum", yaml: valid + "    circuit:\n      max_cooldown: 1m\n      cooldown: 5m\n", location: "channels.yml:8: channels.partners.circuit.cooldown:", problem: "longer than max_cooldown (60s)"),
        Refusal(rule: "timeout not shorter than the lease", yaml: valid + "    timeout: 2m\n", location: "channels.yml:6: channels.partners.timeout:", problem: "worker lease"),
        Refusal(rule: "a lease only just longer than the timeout", yaml: "worker:\n  lease: 10s\n" + valid + "    timeout: 9s\n", location: "channels.yml:8: channels.partners.timeout:", problem: "the worker lease (10s) is not comfortably longer than this channel's timeout (9s)"),
        Refusal(rule: "a lease shorter than twice the default timeout", yaml: "worker:\n  lease: 45s\n" + valid, location: "channels.yml:4: channels.partners:", problem: "Make worker.lease at least 60s"),
        Refusal(rule: "unset secret variable", yaml: "channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secret: ${NOT_SET_ANYWHERE}\n", location: "channels.yml:5: channels.partners.secret:", problem: "the environment variable NOT_SET_ANYWHERE is not set"),
        Refusal(rule: "unset variable in a rotation list", yaml: "channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secrets:\n      - ${PARTNER_SECRET}\n      - ${OLD_SECRET}\n", location: "channels.yml:7: channels.partners.secrets[1]:", problem: "OLD_SECRET is not set"),
        Refusal(rule: "unclosed variable reference", yaml: "channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secret: ${PARTNER_SECRET\n", location: "channels.yml:5: channels.partners.secret:", problem: "no closing '}'"),
        Refusal(rule: "unreadable secret file", yaml: "channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secret: file:partners.secret\n", location: "channels.yml:5: channels.partners.secret:", problem: "cannot read the secret file /nonexistent/partners.secret"),
        Refusal(rule: "webhook without a secret", yaml: "channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n", location: "channels.yml:2: channels.partners:", problem: "a webhook channel needs a signing secret"),
        Refusal(rule: "empty rotation list", yaml: "channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secrets: []\n", location: "channels.yml:5: channels.partners.secrets:", problem: "the list is empty"),
        Refusal(rule: "secret and secrets both", yaml: valid + "    secrets: [\"${PARTNER_SECRET}\"]\n", location: "channels.yml:5: channels.partners.secret:", problem: "either 'secret' or 'secrets'"),
        Refusal(rule: "secret without whsec_", yaml: "channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secret: not-a-whsec\n", location: "channels.yml:5: channels.partners.secret:", problem: "not a Standard Webhooks secret"),
        Refusal(rule: "secret too short", yaml: "channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secret: whsec_AAECAwQFBgcICQoLDA0ODxAR\n", location: "channels.yml:5: channels.partners.secret:", problem: "not a Standard Webhooks secret"),
        Refusal(rule: "secret not base64", yaml: "channels:\n  partners:\n    type: webhook\n    url: https://x.example/h\n    secret: whsec_!!!!AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\n", location: "channels.yml:5: channels.partners.secret:", problem: "not a Standard Webhooks secret"),
    ]

    @Test(arguments: refusals)
    func refusalNamesFileLineAndKey(_ refusal: Refusal) {
        let text = Support.message(refusal.yaml)
        #expect(text.hasPrefix(refusal.location), "\(text)")
        #expect(text.contains(refusal.problem), "\(text)")
    }

    /// Every message is `<file>:<line>: <key.path>: <problem>. <what to do>.`: it ends a sentence.
    @Test(arguments: refusals)
    func refusalIsASentence(_ refusal: Refusal) {
        let text = Support.message(refusal.yaml)
        #expect(text.hasSuffix("."), "\(text)")
    }
}
