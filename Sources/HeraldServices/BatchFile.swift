import Foundation
import HeraldCore

/// Reads enqueue input files: JSON Lines batches and data files, refusing oversized or malformed input
/// with the file and line.
public enum BatchFile {
    /// Reads a whole text file of at most `limit` bytes.
    public static func readText(path: String, what: String, limit: Int = 1 << 20) throws -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = attributes?[.size] as? Int else {
            throw HeraldError(.invalidInput, "\(what): cannot read \(path). Check that the file exists and is readable.")
        }
        guard size <= limit else {
            throw HeraldError(
                .invalidInput,
                "\(what): \(path) is \(InputRules.mebibytes(size)); the limit is \(InputRules.mebibytes(limit))."
            )
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HeraldError(.invalidInput, "\(what): cannot read \(path).")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw HeraldError(.invalidInput, "\(what): \(path) is not valid UTF-8 text.")
        }
        return text
    }

    /// Parses every line of a JSON Lines batch; blank lines are skipped. Errors name `path:line`.
    /// - Returns: each request with its line number, for later errors to name.
    public static func read(path: String) throws -> [(line: Int, request: EnqueueRequest)] {
        let text = try readText(path: path, what: "--batch", limit: 1 << 30)
        var requests: [(line: Int, request: EnqueueRequest)] = []
        let decoder = JSONDecoder()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let location = "\(path):\(index + 1)"
            guard trimmed.utf8.count <= InputRules.maximumContentBytes else {
                throw HeraldError(.invalidInput, "\(location): the line is larger than 1 MiB.")
            }
            do {
                requests.append((index + 1, try decoder.decode(EnqueueRequest.self, from: Data(trimmed.utf8))))
            } catch let inexact as JSONValue.InexactNumber {
                throw HeraldError(.invalidInput, "\(location): \(inexact.problem)")
            } catch let error as DecodingError {
                throw HeraldError(.invalidInput, "\(location): \(describe(error))")
            }
        }
        guard !requests.isEmpty else {
            throw HeraldError(.invalidInput, "\(path) holds no enqueue lines. Write one JSON object per line.")
        }
        return requests
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _):
            return "the field '\(key.stringValue)' is missing. Each line needs at least channel and kind."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "the field '\(field)' has the wrong type (\(context.debugDescription))."
        case .dataCorrupted:
            return "the line is not a valid JSON object."
        @unknown default:
            return "the line could not be read."
        }
    }
}
