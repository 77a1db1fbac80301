import Foundation
import HeraldCore
import Yams

/// A node of channels.yml with where it came from, so every complaint can name the file, the key path and the line.
struct YAMLValue {
    let node: Node
    let path: String
    let file: String
    /// The line of the key this value belongs to, if any: a block mapping or list starts on the line after its key,
    /// but the person reading the error looks for the key.
    var keyLine: Int? = nil

    var line: Int { keyLine ?? node.mark?.line ?? 1 }

    /// Whether this value is (or is part of) a secret, whose text must never be quoted back.
    var isSecret: Bool {
        let last = path.split(separator: ".").last.map(String.init) ?? ""
        return ["secret", "secrets", "password", "token", "consumer_secret", "token_secret"].contains(last) || last.hasPrefix("secrets[")
            || path == "audit.key" || path == "audit.signing_key"
    }

    /// An error at this value: `file:line: key.path: problem`.
    func error(_ problem: String) -> HeraldError {
        HeraldError(.configuration, "\(file):\(line): \(path.isEmpty ? "(top level)" : path): \(problem)")
    }

    /// The entries of a mapping, in file order; a key outside `allowed` is refused at its own line.
    func mapping(allowed: [String]) throws -> [(key: String, value: YAMLValue)] {
        guard case .mapping(let mapping) = node else {
            let expected = allowed.isEmpty ? "a mapping of names" : "a mapping of keys (\(allowed.joined(separator: ", ")))"
            throw error("expected \(expected), found \(kindName). Write 'key: value' pairs, one per line, indented under this key.")
        }
        var entries: [(key: String, value: YAMLValue)] = []
        for (keyNode, valueNode) in mapping {
            let keyValue = YAMLValue(node: keyNode, path: path, file: file)
            guard case .scalar(let scalar) = keyNode else { throw keyValue.error("keys must be plain names, not lists or mappings.") }
            let key = scalar.string
            let child = YAMLValue(node: valueNode, path: path.isEmpty ? key : "\(path).\(key)", file: file, keyLine: keyNode.mark?.line)
            if !allowed.isEmpty && !allowed.contains(key) {
                throw child.error("unknown key '\(key)'. Allowed here: \(allowed.joined(separator: ", ")).")
            }
            entries.append((key, child))
        }
        return entries
    }

    /// Entries of a mapping whose keys are names chosen by the user (channel names).
    func namedMapping() throws -> [(key: String, value: YAMLValue)] {
        try mapping(allowed: [])
    }

    func string() throws -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a single value, found \(kindName). Write one value after the colon, e.g. key: value.") }
        if node.null != nil || scalar.string.isEmpty { throw error("the value is empty. Give a value or remove the key.") }
        return scalar.string
    }

    func boolean() throws -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let text: throw error("'\(text.prefix(40))' is not true or false.")
        }
    }

    /// A positive duration no longer than `maximum`, so no later arithmetic on it can overflow or stall.
    func duration(maximum: TimeInterval) throws -> TimeInterval {
        let text = try string()
        guard let seconds = DurationText.seconds(text), seconds > 0 else {
            throw error("'\(text.prefix(40))' is not a duration. Write a positive number and a unit, e.g. 500ms, 30s, 5m, 2h, 1d.")
        }
        guard seconds <= maximum else {
            throw error("'\(text.prefix(40))' is longer than the \(Self.durationText(maximum)) allowed here.")
        }
        return seconds
    }

    func positiveInteger(maximum: Int = 100_000) throws -> Int {
        let text = try string()
        guard let value = Int(text), value >= 1, value <= maximum else {
            throw error("'\(text.prefix(40))' is not a whole number from 1 to \(maximum).")
        }
        return value
    }

    /// A duration as a person would write it back: `3600s`, `0.5s`.
    static func durationText(_ seconds: TimeInterval) -> String {
        seconds.rounded() == seconds && abs(seconds) < 1e12 ? "\(Int(seconds))s" : "\(seconds)s"
    }

    func list() throws -> [YAMLValue] {
        guard case .sequence(let sequence) = node else { throw error("expected a list, found \(kindName). Write [a, b], or one '- item' per line.") }
        return sequence.enumerated().map { index, item in YAMLValue(node: item, path: "\(path)[\(index)]", file: file) }
    }

    private var kindName: String {
        switch node {
        case .scalar where node.null != nil: "nothing"
        case .scalar where isSecret: "a single value"
        case .scalar(let scalar): "the value '\(scalar.string.prefix(30))'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
