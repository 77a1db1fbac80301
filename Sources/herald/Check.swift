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
            for warning in configuration.warnings { print("warning: \(warning)") }
            print("ok")
        }
    }
}
