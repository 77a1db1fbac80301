import Foundation
import HeraldCore

/// The variables a template reads, kept in the shape of its sections, so a missing one is found before rendering
/// (swift-mustache would silently render it as empty, and a notice would go out with a hole in it).
struct TemplateUsage: Sendable {
    /// One tag that matters for the check, with the tags nested inside a section.
    indirect enum Tag: Sendable {
        /// `{{name}}`, `{{{name}}}` or `{{&name}}`: must resolve somewhere.
        case variable(String)
        /// `{{#name}}…{{/name}}` (`inverted: false`) or `{{^name}}…{{/name}}`. The name itself may be absent:
        /// absence is meaningful there (the section simply does not render, or the inverted one does).
        case section(name: String, inverted: Bool, body: [Tag])
        /// An inheritance block (`{{$name}}…{{/name}}`, `{{<partial}}…{{/partial}}`): its body reads the same context.
        case block(body: [Tag])
    }

    let tags: [Tag]

    init(source: String) throws {
        var stack: [(name: String, kind: Character, body: [Tag])] = [("", " ", [])]
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            var afterOpen = rest[open.upperBound...]
            let triple = afterOpen.first == "{"
            if triple { afterOpen = afterOpen.dropFirst() }
            guard let close = afterOpen.range(of: triple ? "}}}" : "}}") else {
                throw HeraldError(.template, "a '{{' has no closing '}}'")
            }
            let tag = afterOpen[..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
            rest = afterOpen[close.upperBound...]
            guard let sigil = tag.first else { continue }
            let name = Self.variableName(tag.dropFirst().trimmingCharacters(in: .whitespaces))
            switch sigil {
            case "!", ">", "%":
                continue
            case "=":
                throw HeraldError(.template, "changing delimiters ({{=…=}}) is not supported")
            case "#", "^", "$", "<":
                stack.append((name, sigil, []))
            case "/":
                guard stack.count > 1, let last = stack.popLast(), last.name == name else {
                    throw HeraldError(.template, "'{{/\(name)}}' closes a section that is not open")
                }
                let finished: Tag =
                    switch last.kind {
                    case "#", "^": .section(name: last.name, inverted: last.kind == "^", body: last.body)
                    default: .block(body: last.body)
                    }
                stack[stack.count - 1].body.append(finished)
            case "&":
                stack[stack.count - 1].body.append(.variable(name))
            default:
                stack[stack.count - 1].body.append(.variable(Self.variableName(tag)))
            }
        }
        if stack.count > 1, let open = stack.last { throw HeraldError(.template, "the section '{{#\(open.name)}}' is never closed") }
        tags = stack[0].body
    }

    /// The variable a tag reads: `upper(name)` reads `name`; `index()` reads none (it is the list position).
    private static func variableName(_ text: String) -> String {
        guard let open = text.lastIndex(of: "(") else { return text }
        let inner = text[text.index(after: open)...]
        return String(inner.prefix { $0 != ")" }).trimmingCharacters(in: .whitespaces)
    }

    /// The first variable the template reads that `data` cannot supply, or nil.
    func firstMissing(in data: [String: JSONValue]) -> String? {
        Self.firstMissing(in: tags, contexts: [.object(data)])
    }

    /// Walks the tags as rendering would: a section over a list is checked once per element, a section that
    /// does not render is not checked at all, and a name resolves against any enclosing context.
    private static func firstMissing(in tags: [Tag], contexts: [JSONValue]) -> String? {
        for tag in tags {
            switch tag {
            case .variable(let name):
                if name.isEmpty || name == "." { continue }
                if resolve(name, in: contexts) == nil { return name }
            case .block(let body):
                if let missing = firstMissing(in: body, contexts: contexts) { return missing }
            case .section(let name, let inverted, let body):
                let value = name.isEmpty ? nil : resolve(name, in: contexts)
                if inverted {
                    if value?.isTruthy == true { continue }
                    if let missing = firstMissing(in: body, contexts: contexts) { return missing }
                    continue
                }
                guard let value, value.isTruthy else { continue }
                let elements: [JSONValue] = if case .array(let items) = value { items } else { [value] }
                for element in elements {
                    if let missing = firstMissing(in: body, contexts: contexts + [element]) { return missing }
                }
            }
        }
        return nil
    }

    /// Looks `name` up as swift-mustache does: the first part from the innermost context outwards, the rest of a
    /// dotted name from there; a leading `.` means the innermost context only.
    static func resolve(_ name: String, in contexts: [JSONValue]) -> JSONValue? {
        let path = name.split(separator: ".").map(String.init)
        guard let head = path.first, let innermost = contexts.last else { return nil }
        let candidates = name.hasPrefix(".") ? [innermost] : contexts.reversed()
        for context in candidates {
            if let found = lookup(head, in: context) {
                return path.dropFirst().reduce(Optional(found)) { value, key in value.flatMap { lookup(key, in: $0) } }
            }
        }
        return nil
    }

    private static func lookup(_ key: String, in value: JSONValue) -> JSONValue? {
        if case .object(let fields) = value { return fields[key] }
        return nil
    }
}

extension JSONValue {
    /// Whether a `{{#section}}` over this value renders at all.
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let flag): flag
        case .array(let items): !items.isEmpty
        default: true
        }
    }
}
