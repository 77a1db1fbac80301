import ArgumentParser
import HeraldApp
import HeraldConfig
import HeraldCore
import HeraldStore
import HeraldWorker

extension Herald {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate channels.yml and the templates, and say what they hold.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let paths = global.paths
            let configuration = try ConfigurationLoader.load(path: paths.config)
            let kinds = try TemplateLibrary(directory: paths.templates).check()
            print("\(paths.config): \(configuration.channels.count) channel(s): \(configuration.channels.keys.sorted().joined(separator: ", "))")
            print("\(paths.templates): \(kinds.count) template(s): \(kinds.joined(separator: ", "))")
            print(Self.auditSummary(configuration))
            if configuration.audit.checkpointChannel != nil, !kinds.contains("audit_checkpoint") {
                throw HeraldError(
                    .configuration,
                    "audit.checkpoint.channel is set but \(paths.templates) has no audit_checkpoint template to send checkpoints with: "
                        + "copy templates/audit_checkpoint from Herald's repository."
                )
            }
            for warning in configuration.warnings { print("warning: \(warning)") }
            print("ok")
        }

        /// The audit keys and retention in one line, never a key itself (the fingerprint names the audit key).
        static func auditSummary(_ configuration: HeraldConfiguration) -> String {
            let audit = configuration.audit
            let chain =
                if let key = audit.key { "keyed (key id \(key.id))" } else if audit.insecureUnkeyed { "UNKEYED (insecure_unkeyed)" } else {
                    "no key: nothing can be written"
                }
            let checkpoints =
                audit.signingKey == nil
                ? "no signing key" : [audit.checkpointFile.map { "to \($0)" }, audit.checkpointChannel.map { "to channel \($0)" }]
                    .compactMap { $0 }.joined(separator: " and ") + " every \(Int(audit.checkpointEvery))s"
            let retention = configuration.retention
            func days(_ period: Double?) -> String { period.map { "\(Int($0 / 86_400))d" } ?? "forever" }
            return "audit: chain \(chain); checkpoints \(checkpoints); retention content \(days(retention.content)), recipients \(days(retention.recipients))"
        }
    }
}
