import Foundation
import HeraldCore
import Yams

/// Turns Yams' parse errors into `file:line: key.path: problem` messages. Yams refuses duplicate keys itself but
/// names neither the key path nor the second occurrence, so both are recovered from the text's indentation.
enum YAMLSyntaxError {
    static func describe(_ error: YamlError, yaml: String, file: String) -> HeraldError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let around = context.map { " (\($0.description.split(separator: "\n").first ?? ""))" } ?? ""
            // At the end of the file (an unclosed quote or bracket) the line where the open thing began is the useful one.
            let line = problem.contains("end of stream") ? context?.mark.line ?? mark.line : mark.line
            // `{ secret: ${X} }` is the usual way in: a plain `${…}` inside braces reads as a nested mapping.
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            let text = lines.indices.contains(line - 1) ? lines[line - 1] : ""
            let hint = text.contains("{") && text.contains("${") ? " Inside { … }, quote a ${VARIABLE} value: key: \"${VARIABLE}\"." : ""
            return HeraldError(
                .configuration,
                "\(file):\(line): this is not valid YAML: \(problem)\(around). Check the indentation, colons and quotes on or just before that line.\(hint)"
            )
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            let place = duplicate(key, near: context.mark, in: yaml)
            let earlier = place.line == context.mark.line ? "" : " (also on line \(context.mark.line))"
            return HeraldError(
                .configuration,
                "\(file):\(place.line): \(place.path): '\(key)' is given twice in the same mapping\(earlier). Keep one."
            )
        case .reader(let problem, let offset, _, _):
            // The reader's own description quotes the text around the fault, which may be a secret.
            let line = offset.map { offset in yaml.utf8.prefix(offset).reduce(1) { $1 == 10 ? $0 + 1 : $0 } } ?? 1
            return HeraldError(.configuration, "\(file):\(line): this is not valid YAML text: \(problem). Check the file's encoding.")
        default:
            return HeraldError(.configuration, "\(file):1: this is not valid YAML. Check the file's encoding and syntax.")
        }
    }

    /// The key path of the duplicated key and the line of its repetition, found by indentation (block style);
    /// falls back to the line Yams gave.
    static func duplicate(_ key: String, near mark: Mark, in yaml: String) -> (path: String, line: Int) {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = mark.line - 1
        guard lines.indices.contains(index) else { return (key, mark.line) }
        let indent = max(0, mark.column - 1)

        var parents: [String] = inlineParents(of: lines[index], before: indent)
        var level = indentation(lines[index])
        // A `- ` item on the way up names its list's key with the item's index, e.g. `posts[1].text`.
        var itemIndex: Int?
        for offset in stride(from: index - 1, through: 0, by: -1) where level > 0 || itemIndex != nil {
            let line = lines[offset]
            if let dash = dashIndent(line), dash < level {
                itemIndex = itemsBefore(offset, indent: dash, in: lines)
                level = dash
                continue
            }
            // A list may sit at its key's own indentation (`posts:` then `- name: …` at column 0).
            guard let (lineIndent, lineKey) = keyLine(line), lineIndent < level || (itemIndex != nil && lineIndent == level) else { continue }
            parents.insert(itemIndex.map { "\(lineKey)[\($0)]" } ?? lineKey, at: 0)
            itemIndex = nil
            level = lineIndent
        }
        let path = (parents + [key]).joined(separator: ".")

        for offset in lines.indices where offset > index {
            let line = lines[offset]
            guard let (lineIndent, lineKey) = keyLine(line) else {
                if indentation(line) < indent, !isBlankOrComment(line) { break }
                continue
            }
            if lineIndent < indent { break }
            if lineIndent == indent && lineKey == key { return (path, offset + 1) }
        }
        return (path, mark.line)
    }

    /// Keys opening flow mappings earlier on the same line, e.g. `retry` in `  retry: { base: 1s, base: 2s }`.
    private static func inlineParents(of line: String, before column: Int) -> [String] {
        let prefix = String(line.unicodeScalars.prefix(column))
        guard prefix.contains("{") else { return [] }
        var keys: [String] = []
        var word = ""
        var lastKey: String?
        for character in prefix {
            switch character {
            case ":": lastKey = word.trimmingCharacters(in: .whitespaces)
            case "{":
                if let lastKey, !lastKey.isEmpty { keys.append(lastKey) }
                word = ""
            case ",": word = ""
            default: word.append(character)
            }
            if character == ":" { word = "" }
        }
        return keys
    }

    /// The indentation and key of a block-mapping line such as `    type: webhook`, or nil.
    private static func keyLine(_ line: String) -> (indent: Int, key: String)? {
        guard !isBlankOrComment(line) else { return nil }
        var body = Substring(line.drop { $0 == " " })
        let indent = line.count - body.count
        if body.hasPrefix("- ") { return nil }
        guard let colon = body.firstIndex(of: ":") else { return nil }
        let after = body[body.index(after: colon)...]
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        body = body[..<colon]
        let key = body.trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
        return key.isEmpty ? nil : (indent, key)
    }

    private static func indentation(_ line: String) -> Int { line.prefix { $0 == " " }.count }

    /// The indentation of a block-list item line (`  - name: launch`), or nil.
    private static func dashIndent(_ line: String) -> Int? {
        let body = line.drop { $0 == " " }
        return body.hasPrefix("- ") || body == "-" ? line.count - body.count : nil
    }

    /// How many items of the same list come before the item starting at line `offset`.
    private static func itemsBefore(_ offset: Int, indent: Int, in lines: [String]) -> Int {
        var count = 0
        for line in lines[..<offset].reversed() where !isBlankOrComment(line) {
            if dashIndent(line) == indent {
                count += 1
            } else if indentation(line) <= indent {
                break
            }
        }
        return count
    }

    private static func isBlankOrComment(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed.hasPrefix("#")
    }
}
