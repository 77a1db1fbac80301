import Foundation
import HeraldCore

/// One enqueue as a caller states it (CLI flags, a batch line, later the HTTP API), before any validation.
public struct EnqueueRequest: Sendable, Decodable {
    public var channel: String
    public var kind: String
    public var to: [String]
    public var template: String?
    public var data: [String: JSONValue]
    public var at: String?
    public var deadline: String?
    public var dedupeKey: String?

    public init(
        channel: String, kind: String, to: [String] = [], template: String? = nil, data: [String: JSONValue] = [:],
        at: String? = nil, deadline: String? = nil, dedupeKey: String? = nil
    ) {
        self.channel = channel
        self.kind = kind
        self.to = to
        self.template = template
        self.data = data
        self.at = at
        self.deadline = deadline
        self.dedupeKey = dedupeKey
    }

    private enum CodingKeys: String, CodingKey {
        case channel, kind, to, template, data, at, deadline
        case dedupeKey = "dedupe_key"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        channel = try container.decode(String.self, forKey: .channel)
        kind = try container.decode(String.self, forKey: .kind)
        if let single = try? container.decode(String.self, forKey: .to) {
            to = [single]
        } else {
            to = try container.decodeIfPresent([String].self, forKey: .to) ?? []
        }
        template = try container.decodeIfPresent(String.self, forKey: .template)
        data = try container.decodeIfPresent([String: JSONValue].self, forKey: .data) ?? [:]
        at = try container.decodeIfPresent(String.self, forKey: .at)
        deadline = try container.decodeIfPresent(String.self, forKey: .deadline)
        dedupeKey = try container.decodeIfPresent(String.self, forKey: .dedupeKey)
    }
}
