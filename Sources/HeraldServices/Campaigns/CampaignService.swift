import Foundation
import HeraldConfig
import HeraldCore
import HeraldPlanner
import HeraldStore

/// Campaign posts: rendered once per network, measured against each network's rules, and stored `held` until an
/// approver agrees, one approval per post whatever the number of networks it goes to.
public struct CampaignService<Store: ReviewStore>: Sendable {
    let configuration: HeraldConfiguration
    let templates: TemplateLibrary
    let store: Store

    public init(configuration: HeraldConfiguration, templates: TemplateLibrary, store: Store) {
        self.configuration = configuration
        self.templates = templates
        self.store = store
    }

    /// One post as one channel will carry it.
    public struct RenderedPost: Sendable {
        public var post: String
        public var channel: String
        public var network: String
        public var at: Date
        public var text: String
        public var measures: [PostMeasure]
        public var fits: Bool { measures.allSatisfy(\.fits) }
    }

    /// A post as loaded: its group (what `herald approve` releases) and its message per channel.
    public struct LoadedPost: Sendable {
        public var post: String
        public var groupID: String
        public var ids: [MessageID]
        /// Loaded before, from the same campaign and post name: nothing new was stored.
        public var alreadyLoaded: Bool
    }

    /// Every post rendered for every channel it lists, in file order; a bad channel or template stops at once, while
    /// lengths are only measured (preview shows them all, and load refuses the first that does not fit).
    public func render(_ campaign: CampaignFile) throws -> [RenderedPost] {
        let timeZone = campaign.timeZone ?? configuration.planner.timeZone
        return try campaign.posts.flatMap { post in
            let at = SendTime(hour: post.hour, minute: post.minute, timeZone: timeZone).instant(on: post.date)
            return try post.channels.map { name in
                let channel = try self.channel(name, for: post)
                let text = try self.text(of: post, for: channel)
                let measures = PostLimit.measures(of: text, type: channel.type, settings: channel.post ?? PostSettings(maxCharacters: 0))
                return RenderedPost(post: post.name, channel: name, network: channel.type.name, at: at, text: text, measures: measures)
            }
        }
    }

    /// Stores every post of the campaign held for approval, all or none. Refuses a post too long for a network, or
    /// timed in the past (it would leave the moment it is approved, not when the campaign meant).
    public func load(_ campaign: CampaignFile, actor: String, now: Date) async throws -> [LoadedPost] {
        let rendered = try render(campaign)
        if let over = rendered.first(where: { !$0.fits }), let measure = over.measures.first(where: { !$0.fits }) {
            throw HeraldError(.invalidInput, "Post '\(over.post)' is too long for channel '\(over.channel)': \(measure). Shorten it; nothing was loaded.")
        }
        if let past = rendered.first(where: { $0.at <= now }) {
            throw HeraldError(
                .invalidInput, "Post '\(past.post)' is timed for \(RFC3339.format(past.at)), which has passed. Move it later; nothing was loaded."
            )
        }
        var groups: [EnqueueGroup] = []
        for post in campaign.posts {
            let dataJSON = try JSONValue.text(of: post.data)
            let messages = rendered.filter { $0.post == post.name }.map { item in
                NewMessage(
                    id: MessageID.make(at: now), channel: item.channel, kind: "campaign_post",
                    recipient: Enqueuer.target(of: configuration.channels[item.channel]!), content: ["post": item.text], dataJSON: dataJSON,
                    state: .held, notBefore: item.at
                )
            }
            groups.append(EnqueueGroup(groupID: MessageID.make(at: now).rawValue, dedupeKey: "campaign:\(campaign.name):\(post.name)", messages: messages))
        }
        let results = try await store.enqueueAwaitingApproval(groups, actor: actor, now: now)
        return zip(campaign.posts, results).map { post, result in
            LoadedPost(post: post.name, groupID: result.groupID, ids: result.ids, alreadyLoaded: result.deduplicated)
        }
    }

    private func channel(_ name: String, for post: CampaignPost) throws -> ChannelConfiguration {
        guard let channel = configuration.channels[name] else {
            let posting = configuration.channels.values.filter(\.type.posts).map(\.name).sorted()
            throw HeraldError(
                .notFound,
                "\(post.location): there is no channel '\(name)' in channels.yml. Chat and social channels: \(posting.isEmpty ? "none defined" : posting.joined(separator: ", "))."
            )
        }
        guard channel.type.posts else {
            throw HeraldError(.invalidInput, "\(post.location): channel '\(name)' is of type \(channel.type.rawValue); campaign posts go to chat and social channels.")
        }
        return channel
    }

    private func text(of post: CampaignPost, for channel: ChannelConfiguration) throws -> String {
        if let text = post.text { return text }
        guard let template = post.template else { return "" }
        do {
            let content = try templates.render(template: template, data: post.data, network: channel.type.rawValue)
            guard let text = Message.postText(of: content) else {
                throw HeraldError(.template, "template '\(template)' has no post.mustache (or text.mustache) to post.")
            }
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw HeraldError(.invalidInput, "template '\(template)' rendered an empty post for \(channel.type.name). Give the data it needs.")
            }
            return text
        } catch let error as HeraldError {
            throw HeraldError(error.code, "\(post.location): \(error.message)", cause: error.cause)
        }
    }
}
