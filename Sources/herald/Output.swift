import Foundation
import HeraldCore
import HeraldStore

/// Formatting shared by the commands.
enum Output {
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func messageID(_ text: String) throws -> MessageID {
        guard let id = MessageID(validating: text) else {
            throw HeraldError(.invalidInput, "'\(text.prefix(60))' is not a message id. Ids look like 019300aa-0000-7000-8000-000000000000.")
        }
        return id
    }

    /// Who is acting, for the audit trail.
    /// An operator's URL of a post found by hand: http(s), one line, of sane length, since it is shown as proof.
    static func postURL(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count <= 2_000, !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " }),
            let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = components.host, !host.isEmpty
        else {
            throw HeraldError(.invalidInput, "--delivered needs the post's public URL, e.g. https://mastodon.social/@partnership/1234; got '\(text.prefix(60))'.")
        }
        return trimmed
    }

    static func operatorName() -> String {
        let environment = ProcessInfo.processInfo.environment
        return "operator \(environment["HERALD_OPERATOR"] ?? environment["USER"] ?? "unknown")"
    }

    /// Prints what an action did to each message; fails if any was not `verb`, saying why and naming the gate that
    /// keeps a message held.
    static func report(_ outcomes: [ActionOutcome], verb: String) throws {
        var refused = 0
        for outcome in outcomes {
            switch outcome.result {
            case .moved(.held, let gate):
                refused += 1
                let why = gate?.explanation(for: outcome.id) ?? "it waits for a gate to open"
                FileHandle.standardError.write(Data("\(outcome.id) not \(verb) but held: \(why)\n".utf8))
            case .moved:
                print("\(outcome.id) \(verb)")
            case .refused(let reason):
                refused += 1
                FileHandle.standardError.write(Data("\(outcome.id) not \(verb): \(reason)\n".utf8))
            case .notFound:
                refused += 1
                FileHandle.standardError.write(Data("\(outcome.id) not \(verb): no such message\n".utf8))
            }
        }
        if refused > 0 {
            throw HeraldError(.conflict, "\(refused) of \(outcomes.count) message(s) were not \(verb); see above.")
        }
    }
}
