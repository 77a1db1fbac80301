import Foundation
import HeraldCore

/// Resolves `${NAME}` references and `file:PATH` values at start, so secrets live in the environment or in files
/// and never in channels.yml, the store or the logs. Errors name the variable or path, never the value.
struct SecretResolver {
    let environment: [String: String]
    /// The folder of the configuration file: relative `file:` paths are read from there.
    let baseDirectory: String
    /// `allow_literal_secrets: true`, for a local test: a secret written out in the file is accepted.
    var allowLiterals = false

    func resolve(_ value: YAMLValue) throws -> String {
        let text = try value.string()
        if text.hasPrefix("file:") {
            return try readFile(String(text.dropFirst("file:".count)), at: value)
        }
        if value.isSecret, !allowLiterals, !text.contains("${") {
            throw value.error(
                "the secret is written out in the file. Give it as ${VARIABLE} or file:PATH, so channels.yml can be shared without it "
                    + "(for a local test only, 'allow_literal_secrets: true' at the top accepts it)."
            )
        }
        return try substitute(text, at: value)
    }

    private func substitute(_ text: String, at value: YAMLValue) throws -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw value.error("'${' has no closing '}'. Write ${VARIABLE_NAME}.")
            }
            let name = String(rest[start.upperBound..<end])
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                let shown = value.isSecret ? "a '${…}' reference" : "'${\(name.prefix(40))}'"
                throw value.error("\(shown) is not a variable name. Use letters, digits and '_', e.g. ${PARTNER_WEBHOOK_SECRET}.")
            }
            guard let resolved = environment[name] else {
                let remedy = value.isSecret ? "Set it, or use file:PATH for this secret." : "Set it before starting Herald."
                throw value.error("the environment variable \(name) is not set. \(remedy)")
            }
            result += resolved
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    private func readFile(_ path: String, at value: YAMLValue) throws -> String {
        guard !path.isEmpty else { throw value.error("'file:' needs a path, e.g. file:secrets/partners.txt.") }
        let fullPath = path.hasPrefix("/") ? path : (baseDirectory as NSString).appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: fullPath), let text = String(data: data, encoding: .utf8) else {
            throw value.error("cannot read the secret file \(fullPath). Check that it exists and is readable.")
        }
        let trimmed = text.trimmingCharacters(in: .newlines)
        guard !trimmed.isEmpty else { throw value.error("the secret file \(fullPath) is empty.") }
        return trimmed
    }
}
