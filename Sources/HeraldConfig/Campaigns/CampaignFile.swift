import Foundation
import HeraldCore
import HeraldPlanner

/// A campaign as its file states it: named posts, each for some channels at a local date and time. Nothing here is
/// rendered or checked against channels yet; `herald campaign preview` and `load` do that.
public struct CampaignFile: Sendable {
    /// Names the campaign in dedupe keys, so loading the same file twice stores nothing new.
    public var name: String
    /// The posts' clock; nil means the planner's (Europe/London by default).
    public var timeZone: TimeZone?
    public var posts: [CampaignPost]

    public init(name: String, timeZone: TimeZone?, posts: [CampaignPost]) {
        self.name = name
        self.timeZone = timeZone
        self.posts = posts
    }
}

/// One post of a campaign: its text (or a template and data) for each listed channel, at a local time.
public struct CampaignPost: Sendable {
    public var name: String
    public var channels: [String]
    public var date: LocalDate
    public var hour: Int
    public var minute: Int
    /// Literal post text, the same on every network; or else `template` rendered once per network.
    public var text: String?
    public var template: String?
    public var data: [String: JSONValue]
    /// `file:line: posts[n]`, for errors about this post found after loading (rendering, limits, channels).
    public var location: String

    public init(
        name: String, channels: [String], date: LocalDate, hour: Int, minute: Int, text: String?, template: String?,
        data: [String: JSONValue], location: String
    ) {
        self.name = name
        self.channels = channels
        self.date = date
        self.hour = hour
        self.minute = minute
        self.text = text
        self.template = template
        self.data = data
        self.location = location
    }
}
