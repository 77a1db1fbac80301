import Foundation
import HeraldCore

/// The variables a template reads, with the sections around each, so a missing one is found before rendering
/// (swift-mustache would silently render it as empty).
struct TemplateUsage: Sendable {
    /// A variable read at some depth: `sections` are the names of the enclosing `{{#…}}` sections, outermost first.
    /// Section names themselves are not uses: a missing section simply does not render.
    struct Use: Sendable {
        let name: String
        let sections: [String]
    }

    private(set) var uses: [Use] = []

    init(source: String) throws {
        var stack: [(name: String, inverted: Bool)] = []
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            var afterOpen = rest[open.upperBound...]
            let triple = afterOpen.first == "{"
            if triple { afterOpen = afterOpen.dropFirst() }
            guard let close = afterOpen.range(of: triple ? "}}}" : "}}") else {
                throw HeraldError(.template, "a '{{' has no closing '}}'")
            }
            let tag = afterOpen[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = afterOpen[close.upperBound...]
            guard let sigil = tag.first else { continue }
            let name = tag.dropFirst().trimmingCharacters(in: .whitespaces)
            switch sigil {
            case "!", ">", "%", "<", "$":
                continue
            case "=":
                throw HeraldError(.template, "changing delimiters ({{=…=}}) is not supported")
            case "#", "^":
                stack.append((name, sigil == "^"))
            case "/":
                guard let last = stack.popLast(), last.name == name else {
                    throw HeraldError(.template, "'{{/\(name)}}' closes a section that is not open")
                }
            case "&":
                uses.append(Use(name: name, sections: stack.filter { !$0.inverted }.map(\.name)))
            default:
                uses.append(Use(name: tag, sections: stack.filter { !$0.inverted }.map(\.name)))
            }
        }
        if let open = stack.last { throw HeraldError(.template, "the section '{{#\(open.name)}}' is never closed") }
    }

    /// The first variable used that `data` cannot supply, or nil.
    func firstMissing(in data: [String: JSONValue]) -> String? {
        for use in uses where use.name != "." {
            var contexts: [JSONValue] = [.object(data)]
            var skipped = false
            for section in use.sections {
                guard let value = Self.resolve(section, in: contexts), value.isTruthy else {
                    skipped = true  // the section does not render, so what it reads cannot be missing
                    break
                }
                contexts.append(value)
            }
            if skipped { continue }
            if Self.resolve(use.name, in: contexts) == nil { return use.name }
        }
        return nil
    }

    /// Looks `name` (possibly dotted) up from the innermost context outwards; lists match if any element has it.
    static func resolve(_ name: String, in contexts: [JSONValue]) -> JSONValue? {
        let path = name.split(separator: ".").map(String.init)
        guard let head = path.first else { return nil }
        for context in contexts.reversed() {
            if let found = lookup(head, in: context) {
                return path.dropFirst().reduce(Optional(found)) { value, key in value.flatMap { lookup(key, in: $0) } }
            }
        }
        return nil
    }

    private static func lookup(_ key: String, in value: JSONValue) -> JSONValue? {
        switch value {
        case .object(let fields): return fields[key]
        case .array(let items): return items.lazy.compactMap { lookup(key, in: $0) }.first
        default: return nil
        }
    }
}

extension JSONValue {
    /// Whether a `{{#section}}` over this value renders at all.
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let flag): flag
        case .array(let items): !items.isEmpty
        case .string(let text): !text.isEmpty
        default: true
        }
    }
}
