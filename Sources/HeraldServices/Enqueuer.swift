import Foundation
import HeraldConfig
import HeraldCore
import HeraldStore

/// Turns callers' enqueue requests into stored messages: validates every field, renders the templates, fans out
/// one message per recipient, and stores all of them or none.
public struct Enqueuer: Sendable {
    let configuration: HeraldConfiguration
    let templates: TemplateLibrary

    public init(configuration: HeraldConfiguration, templates: TemplateLibrary) {
        self.configuration = configuration
        self.templates = templates
    }

    /// Validates and renders every request; throws on the first bad one, prefixed with `label(index)` unless empty.
    public func prepare(_ requests: [EnqueueRequest], now: Date, label: (Int) -> String) throws -> [EnqueueGroup] {
        try requests.enumerated().map { index, request in
            do {
                try Self.refuseGatedKinds(request)
                return try prepare(request, now: now)
            } catch let error as HeraldError {
                let location = label(index)
                throw location.isEmpty ? error : HeraldError(error.code, "\(location): \(error.message)", cause: error.cause)
            }
        }
    }

    func prepare(_ request: EnqueueRequest, now: Date) throws -> EnqueueGroup {
        guard let channel = configuration.channels[request.channel] else {
            let known = configuration.channels.keys.sorted().joined(separator: ", ")
            throw HeraldError(
                .notFound, "There is no channel '\(InputRules.printable(request.channel))' in channels.yml. Known channels: \(known)."
            )
        }
        try InputRules.name(request.kind, field: "kind")
        let templateName = request.template ?? request.kind
        try InputRules.name(templateName, field: "template")
        if let key = request.dedupeKey { try InputRules.headerSafe(key, field: "dedupe key", maximumLength: 200) }
        let notBefore = try request.at.map { try TimeExpression.parse($0, now: now) } ?? now
        let deadline = try request.deadline.map { try TimeExpression.parse($0, now: now) }
        if let deadline, deadline <= notBefore {
            throw HeraldError(.invalidInput, "The deadline \(RFC3339.format(deadline)) is not after the send time \(RFC3339.format(notBefore)).")
        }
        let recipients = try recipients(for: request, channel: channel)
        if request.data["rendered"] != nil {
            throw HeraldError(.invalidInput, "The data key 'rendered' is reserved for the rendered template parts. Rename it.")
        }
        let dataJSON = try JSONValue.text(of: request.data)
        try InputRules.size(dataJSON, what: "The data")
        let content = try templates.render(template: templateName, data: request.data, network: channel.type.posts ? channel.type.rawValue : nil)
        try InputRules.size(content.values.joined(), what: "The rendered message")
        if channel.type == .smtp { try Self.checkEmailParts(content, template: templateName, channel: channel.name) }
        if channel.type.posts { try PostLimit.check(Message.postText(of: content) ?? "", channel: channel, template: templateName) }
        let groupID = MessageID.make(at: now).rawValue
        let messages = recipients.map { recipient in
            NewMessage(
                id: MessageID.make(at: now), channel: channel.name, kind: request.kind, recipient: recipient, content: content,
                dataJSON: dataJSON, state: .scheduled, notBefore: notBefore, deadline: deadline
            )
        }
        return EnqueueGroup(groupID: groupID, dedupeKey: request.dedupeKey, messages: messages)
    }

    private func recipients(for request: EnqueueRequest, channel: ChannelConfiguration) throws -> [String] {
        for recipient in request.to { try InputRules.headerSafe(recipient, field: "--to") }
        switch channel.type {
        case .webhook:
            guard request.to.isEmpty else {
                throw HeraldError(
                    .invalidInput,
                    "Channel '\(channel.name)' is a webhook: it delivers to its configured url, so --to is not used. Remove --to."
                )
            }
            return [Self.target(of: channel)]
        case .smtp:
            guard !request.to.isEmpty else {
                throw HeraldError(
                    .invalidInput, "Channel '\(channel.name)' sends email: name each recipient with --to (\"to\" in a batch line)."
                )
            }
            return try request.to.map { try EmailAddress.parse($0).description }
        default:
            guard request.to.isEmpty else {
                throw HeraldError(
                    .invalidInput,
                    "Channel '\(channel.name)' posts to \(channel.type.name) as its configured account, so --to is not used. Remove --to."
                )
            }
            return [Self.target(of: channel)]
        }
    }

    /// Where a channel's messages go, as it is stored and `herald log` shows it: the channel type and host or
    /// account, never the url, which may carry the credential (a Slack or Teams workflow url is one, a webhook's may
    /// hold `user:pass@` or a token in its path).
    static func target(of channel: ChannelConfiguration) -> String {
        let host = URLComponents(string: channel.url)?.host ?? channel.type.rawValue
        let settings = channel.post
        switch channel.type {
        case .bluesky: return "bluesky:\(settings?.identifier ?? host)"
        case .facebook: return "facebook:page \(settings?.pageID ?? "")"
        case .linkedin: return "linkedin:\(settings?.author ?? host)"
        default: return "\(channel.type.rawValue):\(host)"
        }
    }

    /// A caller may not enqueue a press release: only the review workflow does, after publication, held for approval.
    private static func refuseGatedKinds(_ request: EnqueueRequest) throws {
        if request.kind == "press_release" || request.template == "press_release" {
            throw HeraldError(
                .invalidInput,
                "A press release goes out only after its review is published and an approver agrees. Use 'herald review press-release REF', then 'herald approve ID --as NAME'."
            )
        }
    }

    /// An email needs a one-line subject and a plain-text body; HTML is optional.
    private static func checkEmailParts(_ content: [String: String], template: String, channel: String) throws {
        for part in ["subject", "text"] where content[part] == nil {
            throw HeraldError(
                .template,
                "Template '\(template)' has no \(part).mustache, and channel '\(channel)' sends email, which needs a subject and a text part. Add templates/\(template)/\(part).mustache."
            )
        }
        if let subject = content["subject"], subject.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw HeraldError(
                .invalidInput, "The subject rendered from template '\(template)' contains a control character. A subject must be one line of text."
            )
        }
        if content["subject"]?.isEmpty == true {
            throw HeraldError(.invalidInput, "The subject rendered from template '\(template)' is empty. Give the data it needs or change the template.")
        }
    }
}
