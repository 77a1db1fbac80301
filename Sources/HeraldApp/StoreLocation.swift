import Foundation
import HeraldCore
import HeraldServices

/// Where the store is, from `--db` or `HERALD_DB`: a file path or `sqlite:PATH` for the embedded driver. This is the
/// one place that reads it, so choosing a driver is decided here and nowhere else; a `postgres://` URL is named as
/// not available yet rather than taken for a file name.
public enum StoreLocation: Equatable, Sendable {
    case sqlite(path: String)

    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw HeraldError(.invalidInput, "--db is empty. Give a database file, e.g. ./herald.db or sqlite:/var/lib/herald/herald.db.")
        }
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw HeraldError(.invalidInput, "--db contains a control character. Give a database file, e.g. ./herald.db.")
        }
        let lowered = trimmed.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            throw HeraldError(
                .configuration,
                "--db names a PostgreSQL database, which this Herald cannot use yet: it stores in SQLite only. Give a file, e.g. ./herald.db."
            )
        }
        if lowered.hasPrefix("sqlite:") {
            var path = String(trimmed.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else { throw HeraldError(.invalidInput, "--db 'sqlite:' needs a file after it, e.g. sqlite:./herald.db.") }
            self = .sqlite(path: path)
            return
        }
        if let colon = trimmed.firstIndex(of: ":"), trimmed[..<colon].allSatisfy({ $0.isLetter }), trimmed[trimmed.index(after: colon)...].hasPrefix("//") {
            throw HeraldError(.invalidInput, "--db '\(InputRules.printable(String(trimmed.prefix(40))))' is a URL Herald does not know. Give a file or sqlite:PATH.")
        }
        self = .sqlite(path: trimmed)
    }
}
