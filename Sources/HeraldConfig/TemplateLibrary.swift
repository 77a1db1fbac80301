import Foundation
import HeraldCore
import Mustache

/// The message templates: `templates/<name>/` holds any of `subject`, `text`, `html`, `post` as `.mustache` files, and
/// may give a network its own post as `post.<type>.mustache` (e.g. `post.x.mustache`, shorter for X's 280).
/// Rendering happens at enqueue, so a broken template or missing variable is the caller's error, not a failure on
/// the day of sending.
public struct TemplateLibrary: Sendable {
    /// The parts a template folder may hold, in the order channels use them.
    public static let partNames = ["subject", "text", "html", "post"]

    struct Part: Sendable {
        let name: String
        let file: String
        let template: MustacheTemplate
        let usage: TemplateUsage
    }

    /// The templates folder, as given (`--templates`).
    public let directory: String

    /// Opens the templates folder; refuses a missing one at start rather than at the first enqueue.
    public init(directory: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw HeraldError(
                .template, "The templates folder \(directory) does not exist. Create it, or point at another with --templates."
            )
        }
        self.directory = directory
    }

    /// The template folders present (one per message kind), sorted, so `herald check` can list them.
    public var kinds: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            let path = (directory as NSString).appendingPathComponent(name)
            return Self.isValidName(name) && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }

    /// Parses every template and returns their names; throws on the first that is broken, so a bad template is
    /// found by `herald check` rather than by the first enqueue that uses it.
    public func check() throws -> [String] {
        let names = kinds
        for name in names {
            _ = try parts(of: name)
            for network in Self.networkVariants { _ = try parts(of: name, network: network) }
        }
        return names
    }

    /// The channel types that post, whose names may mark a post variant.
    static let networkVariants = ChannelType.allCases.filter(\.posts).map(\.rawValue)

    /// Renders every part of template `name` with `data` (part name → text, only the parts present). Refuses,
    /// rendering nothing, if any part uses a variable `data` lacks: a notice with a silent hole is worse than none.
    /// With `network`, a `post.<network>.mustache` stands in for `post.mustache`: a post renders once per network.
    public func render(template name: String, data: [String: JSONValue], network: String? = nil) throws -> [String: String] {
        let context = MustacheValue.object(from: data)
        var rendered: [String: String] = [:]
        for part in try parts(of: name, network: network) {
            if let missing = part.usage.firstMissing(in: data) {
                throw HeraldError(
                    .template,
                    "The template \(part.file) uses '\(missing)', which the data does not give. Add \"\(missing)\" to --data, or change the template."
                )
            }
            var text = part.template.render(context)
            if part.name == "post" {
                // A template file ends with a newline; a post does not.
                text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if part.name == "subject" {
                text = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
                    throw HeraldError(.template, "The subject rendered from \(part.file) contains a line break. A subject must be one line.")
                }
                if text.unicodeScalars.contains(where: \.properties.isBidiControl) {
                    throw HeraldError(
                        .template,
                        "The subject rendered from \(part.file) contains a text-direction control (such as U+202E), which can make it read as something else. Remove it from the data or the template."
                    )
                }
            }
            rendered[part.name] = text
        }
        return rendered
    }

    func parts(of name: String, network: String? = nil) throws -> [Part] {
        guard Self.isValidName(name) else {
            throw HeraldError(
                .template, "'\(name.prefix(60))' is not a template name. Use 1 to 64 letters, digits, '_' or '-' (the name of a folder in \(directory))."
            )
        }
        let folder = (directory as NSString).appendingPathComponent(name)
        var parts: [Part] = []
        for partName in Self.partNames {
            var file = (folder as NSString).appendingPathComponent("\(partName).mustache")
            if partName == "post", let network {
                let variant = (folder as NSString).appendingPathComponent("post.\(network).mustache")
                if FileManager.default.fileExists(atPath: variant) { file = variant }
            }
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            guard let source = String(data: data, encoding: .utf8) else {
                throw HeraldError(.template, "The template \(file) is not UTF-8 text.")
            }
            // Only HTML is escaped; subjects, plain text and posts are sent as written.
            let pragma = partName == "html" ? "" : "{{% CONTENT_TYPE: TEXT}}"
            do {
                parts.append(
                    Part(name: partName, file: file, template: try MustacheTemplate(string: pragma + source), usage: try TemplateUsage(source: source))
                )
            } catch let error as HeraldError {
                throw HeraldError(.template, "The template \(file) cannot be used: \(error.message). Fix the tag.")
            } catch let error as MustacheTemplate.ParserError {
                // The pragma adds no line, so the parser's line number is the file's.
                throw HeraldError(
                    .template, "The template \(file) cannot be parsed: line \(error.context.lineNumber): \(error.error). Fix the tag on that line."
                )
            } catch {
                throw HeraldError(.template, "The template \(file) cannot be parsed: \(error).")
            }
        }
        if parts.isEmpty {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue {
                throw HeraldError(
                    .template, "The template folder \(folder) holds no part: add subject.mustache, text.mustache, html.mustache or post.mustache."
                )
            }
            throw HeraldError(.template, "There is no template '\(name)': \(folder) does not exist. Create it, or pass --template.")
        }
        return parts
    }

    /// `[A-Za-z0-9_-]{1,64}`: a plain folder name, so a caller's template name can never reach outside `directory`.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }
}

/// Converts JSON data to the values swift-mustache renders: whole numbers print without `.0`.
enum MustacheValue {
    static func object(from data: [String: JSONValue]) -> [String: Any] {
        data.mapValues(value)
    }

    static func value(_ json: JSONValue) -> Any {
        switch json {
        case .null: return NSNull()  // renders as nothing and counts as false, where an Optional would print "nil"
        case .bool(let flag): return flag
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 { return Int(number) }
            return number
        case .string(let text): return text
        case .array(let items): return items.map(value)
        case .object(let fields): return object(from: fields)
        }
    }
}
