import HeraldCore
import Yams

/// Reads a YAML file into its node tree, refusing what would make reading it costly.
///
/// Yams resolves an alias (`*name`) to the node its anchor names, shared rather than copied, so a few hundred bytes
/// of aliases to aliases (a "billion laughs") compose at once but describe a billion values, and any walk over them
/// (building a campaign post's data, say) would run for minutes. No file Herald reads needs more than a few thousand
/// values, so the tree is counted, up to a bound, before anything walks it.
enum YAMLDocument {
    /// Far above any real channels.yml or campaign file, far below what takes noticeable time to walk.
    static let maximumValues = 100_000

    /// The file's root node, or nil for an empty document.
    static func compose(_ yaml: String, file: String) throws -> Node? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw YAMLSyntaxError.describe(error, yaml: yaml, file: file)
        }
        if let root {
            var budget = maximumValues
            guard fits(root, within: &budget) else {
                throw HeraldError(
                    .configuration,
                    "\(file): the document holds more than \(maximumValues) values, most likely through YAML aliases (*name) that "
                        + "repeat one another. Write the values out instead."
                )
            }
        }
        return root
    }

    /// Counts the values under `node` (aliases counted each time they are used) and stops once `budget` is spent.
    private static func fits(_ node: Node, within budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        switch node {
        case .scalar, .alias:
            return true
        case .sequence(let sequence):
            return sequence.allSatisfy { fits($0, within: &budget) }
        case .mapping(let mapping):
            return mapping.allSatisfy { fits($0.key, within: &budget) && fits($0.value, within: &budget) }
        }
    }
}
