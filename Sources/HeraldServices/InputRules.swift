import Foundation
import HeraldCore

/// Checks on caller input that every entry point shares, so a bad value is refused before anything is stored.
package enum InputRules {
    /// The most caller data or rendered content one message may carry.
    static let maximumContentBytes = 1 << 20

    static func name(_ value: String, field: String) throws {
        let allowed = value.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_-".unicodeScalars.contains($0)) }
        guard !value.isEmpty, value.count <= 64, allowed else {
            throw HeraldError(
                .invalidInput,
                "\(field) '\(printable(value))' is not a valid name. Use 1 to 64 letters, digits, '_' or '-'."
            )
        }
    }

    /// Values that end up in headers (addresses, keys) may not carry CR, LF or other control characters.
    static func headerSafe(_ value: String, field: String, maximumLength: Int = 320) throws {
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw HeraldError(
                .invalidInput,
                "\(field) contains a line break or another control character, which could inject headers. Remove it and try again."
            )
        }
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw HeraldError(.invalidInput, "\(field) is empty.")
        }
        guard value.utf8.count <= maximumLength else {
            throw HeraldError(.invalidInput, "\(field) is \(value.utf8.count) bytes long; the limit is \(maximumLength).")
        }
    }

    static func size(_ text: String, what: String) throws {
        let bytes = text.utf8.count
        guard bytes <= maximumContentBytes else {
            throw HeraldError(
                .invalidInput,
                "\(what) is \(mebibytes(bytes)); the limit is 1 MiB. Send a link to large content instead."
            )
        }
    }

    static func mebibytes(_ bytes: Int) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }

    /// A value safe to echo in an error message.
    package static func printable(_ value: String) -> String {
        String(value.prefix(60).unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) })
    }
}
