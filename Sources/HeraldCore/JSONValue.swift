import Foundation

/// A JSON value that is `Sendable`, for the caller's data on its way to templates and webhook bodies.
public enum JSONValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            guard value.magnitude <= Self.exactIntegerLimit else { throw InexactNumber(path: decoder.codingPath, text: String(value)) }
            self = .number(Double(value))
        } else if let value = try? container.decode(Double.self) {
            // An integer too large for Int64 arrives here rounded: refuse it rather than keep another number.
            guard value.rounded() != value || value.magnitude <= Double(Self.exactIntegerLimit) else {
                throw InexactNumber(path: decoder.codingPath, text: String(format: "%.0f", value))
            }
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            do {
                self = .array(try container.decode([JSONValue].self))
            } catch let inexact as InexactNumber {
                throw inexact
            } catch {
                self = .object(try container.decode([String: JSONValue].self))
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 {
                try container.encode(Int64(value))
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The largest integer a JSON number keeps exactly once read as a double (2^53): beyond it, 9007199254740993
    /// would be stored as 9007199254740992.
    public static let exactIntegerLimit: UInt64 = 1 << 53

    /// An integer the data would not keep exactly, and where it is.
    public struct InexactNumber: Error {
        public var path: [any CodingKey]
        var text: String

        /// The refusal, to follow the name of what held the number.
        public var problem: String {
            "'\(field)' is \(text.prefix(40)), beyond 2^53, which a JSON number does not keep exactly. Send it as a string."
        }

        var field: String {
            path.reduce("") { field, key in
                key.intValue.map { "\(field)[\($0)]" } ?? (field.isEmpty ? key.stringValue : "\(field).\(key.stringValue)")
            }
        }
    }

    /// Parses a JSON object; anything else (array, scalar, malformed text) is an error naming `source`.
    public static func parseObject(_ text: String, source: String) throws -> [String: JSONValue] {
        guard let data = text.data(using: .utf8) else {
            throw HeraldError(.invalidInput, "\(source) is not valid UTF-8.")
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let inexact as InexactNumber {
            throw HeraldError(.invalidInput, "\(source): \(inexact.problem)")
        } catch {
            throw HeraldError(.invalidInput, "\(source) is not valid JSON. Give a JSON object such as {\"name\": \"value\"}.")
        }
        guard case .object(let object) = value else {
            throw HeraldError(.invalidInput, "\(source) must be a JSON object ({…}), not an array or a single value.")
        }
        return object
    }

    /// Compact JSON text with sorted keys, so the same data always gives the same bytes. Throws rather than store
    /// something other than the data: JSON has no NaN or infinity.
    public static func text(of object: [String: JSONValue]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(JSONValue.object(object)), as: UTF8.self)
        } catch {
            throw HeraldError(.invalidInput, "The data holds a number JSON cannot carry (NaN or infinity). Give a finite number or a string.")
        }
    }
}
