import Foundation
import HeraldCore
import Yams

/// A node of channels.yml with where it came from, so every complaint can name the file, the key path and the line.
struct YAMLValue {
    let node: Node
    let path: String
    let file: String

    var line: Int { node.mark?.line ?? 1 }

    /// An error at this value: `file:line: key.path: problem`.
    func error(_ problem: String) -> HeraldError {
        HeraldError(.configuration, "\(file):\(line): \(path.isEmpty ? "(top level)" : path): \(problem)")
    }

    /// The entries of a mapping, in file order; a key outside `allowed` is refused at its own line.
    func mapping(allowed: [String]) throws -> [(key: String, value: YAMLValue)] {
        guard case .mapping(let mapping) = node else {
            throw error("expected a mapping of keys (\(allowed.joined(separator: ", "))), found \(kindName).")
        }
        var entries: [(key: String, value: YAMLValue)] = []
        for (keyNode, valueNode) in mapping {
            let keyValue = YAMLValue(node: keyNode, path: path, file: file)
            guard case .scalar(let scalar) = keyNode else { throw keyValue.error("keys must be plain names.") }
            let key = scalar.string
            let child = YAMLValue(node: valueNode, path: path.isEmpty ? key : "\(path).\(key)", file: file)
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
        guard case .scalar(let scalar) = node else { throw error("expected a single value, found \(kindName).") }
        if node.null != nil || scalar.string.isEmpty { throw error("is empty; give a value or remove the key.") }
        return scalar.string
    }

    func duration() throws -> TimeInterval {
        let text = try string()
        guard let seconds = DurationText.seconds(text), seconds > 0 else {
            throw error("'\(text.prefix(40))' is not a duration. Write a positive number and a unit, e.g. 500ms, 30s, 5m, 2h, 1d.")
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

    func list() throws -> [YAMLValue] {
        guard case .sequence(let sequence) = node else { throw error("expected a list, found \(kindName).") }
        return sequence.enumerated().map { index, item in YAMLValue(node: item, path: "\(path)[\(index)]", file: file) }
    }

    private var kindName: String {
        switch node {
        case .scalar(let scalar): "the value '\(scalar.string.prefix(30))'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
