import CSV
import Foundation
import HeraldCore

/// The practitioners and managers of one case, from `--practitioners FILE`: one address per line
/// (`Name <addr>` or a bare address), or CSV `name,email,role` (quoted as RFC 4180 says, so a name may hold a comma)
/// with role `practitioner` or `manager`.
/// Blank lines and `#` comments are skipped; a header line `name,email,role` is allowed.
public struct PractitionerList: Sendable, Equatable {
    public struct Person: Sendable, Equatable {
        public var address: EmailAddress
        public var role: String
    }

    public var people: [Person]

    public init(people: [Person]) {
        self.people = people
    }

    /// The recipients as stored: `Name <addr>`.
    public var recipients: [String] { people.map(\.address.description) }

    public static func load(path: String) throws -> PractitionerList {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HeraldError(.invalidInput, "Cannot read the practitioners file \(path). Check the path given to --practitioners.")
        }
        guard data.count <= 1_000_000 else {
            throw HeraldError(.invalidInput, "The practitioners file \(path) is over 1 MB; it should list the people of one case.")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw HeraldError(.invalidInput, "The practitioners file \(path) is not UTF-8 text. Save it as UTF-8 and try again.")
        }
        return try parse(text, file: (path as NSString).lastPathComponent)
    }

    public static func parse(_ text: String, file: String) throws -> PractitionerList {
        var people: [Person] = []
        var seen: [String: Int] = [:]
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            var line = raw.trimmingCharacters(in: .whitespaces)
            if number == 1, line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            if line.isEmpty || line.hasPrefix("#") || line.lowercased().replacingOccurrences(of: " ", with: "") == "name,email,role" {
                continue
            }
            let person: Person
            do {
                person = try parseLine(line)
            } catch let error as HeraldError {
                throw HeraldError(.invalidInput, "\(file):\(number): \(error.message)")
            }
            let key = person.address.address.lowercased()
            if let first = seen[key] {
                throw HeraldError(
                    .invalidInput, "\(file):\(number): \(person.address.address) is listed already on line \(first). List each person once."
                )
            }
            seen[key] = number
            people.append(person)
        }
        if people.isEmpty {
            throw HeraldError(.invalidInput, "\(file) lists nobody. Give one address per line, or name,email,role.")
        }
        return PractitionerList(people: people)
    }

    private static func parseLine(_ line: String) throws -> Person {
        guard !line.contains("<") else { return Person(address: try EmailAddress.parse(line), role: "practitioner") }
        // CSV quoting (RFC 4180): "Smith, Jo",jo@agency.example.org,practitioner is three fields.
        guard let reader = try? CSVReader(string: line, hasHeaderRow: false, trimFields: true), let fields = reader.next(), reader.error == nil
        else {
            throw HeraldError(.invalidInput, "the line is not valid CSV. Quote a field that holds a comma, e.g. \"Smith, Jo\",jo@x.org,practitioner.")
        }
        switch fields.count {
        case 1:
            return Person(address: try EmailAddress.parse(fields[0]), role: "practitioner")
        case 3:
            let role = fields[2].lowercased()
            guard role == "practitioner" || role == "manager" else {
                throw HeraldError(.invalidInput, "the role '\(InputRules.printable(fields[2]))' is neither practitioner nor manager.")
            }
            return Person(address: try EmailAddress(displayName: fields[0].isEmpty ? nil : fields[0], address: fields[1]), role: role)
        default:
            throw HeraldError(
                .invalidInput, "expected an address, or three fields name,email,role; found \(fields.count) fields."
            )
        }
    }
}
