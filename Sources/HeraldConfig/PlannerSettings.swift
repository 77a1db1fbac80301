import Foundation
import HeraldCore
import HeraldPlanner

/// How review timelines are reckoned and worded: the local zone and hour notices leave at, the bank-holiday
/// calendar, and the names templates print. Defaults suit an English partnership, so a file without `planner:`
/// still plans correctly.
public struct PlannerSettings: Sendable {
    /// The zone dates are reckoned in; notices leave at `sendHour:sendMinute` local time whatever BST/GMT says.
    public var timeZone: TimeZone
    public var sendHour: Int
    public var sendMinute: Int
    /// The bank-holiday file, in the public UK feed's JSON shape; relative paths are anchored at channels.yml.
    public var bankHolidaysPath: String
    /// Printed in templates as `partnership`, `spokesperson` and `contact`.
    public var partnership: String
    public var spokesperson: String
    public var contact: String

    public init(
        timeZone: TimeZone = TimeZone(identifier: "Europe/London")!, sendHour: Int = 9, sendMinute: Int = 0,
        bankHolidaysPath: String = "data/bank-holidays.json", partnership: String = "the Safeguarding Partnership",
        spokesperson: String = "the Independent Chair", contact: String = "the Business Unit"
    ) {
        self.timeZone = timeZone
        self.sendHour = sendHour
        self.sendMinute = sendMinute
        self.bankHolidaysPath = bankHolidaysPath
        self.partnership = partnership
        self.spokesperson = spokesperson
        self.contact = contact
    }

    /// Reads the bank-holiday file: configuration loading does the reading, so the planner itself stays pure. Read
    /// when a review is planned rather than at every start, since only the review workflow needs it.
    public func workingDayCalendar() throws -> WorkingDayCalendar {
        let json: Data
        do {
            json = try Data(contentsOf: URL(fileURLWithPath: bankHolidaysPath))
        } catch {
            throw HeraldError(
                .configuration,
                "Cannot read the bank-holiday calendar at \(bankHolidaysPath). Check the path, or save a copy of \(WorkingDayCalendar.feedAddress) there.",
                cause: error
            )
        }
        return try WorkingDayCalendar.load(json: json, source: bankHolidaysPath)
    }
}

/// A standing group of recipients (comms partners, the national panel and DfE, the media) reached over one channel.
/// For email channels `recipients` are addresses; for webhook channels the list is empty (the endpoint is the
/// recipient). The `practitioners` audience names only the channel: its people are given per review.
public struct Audience: Sendable, Equatable {
    public var name: String
    public var channel: String
    public var recipients: [String]

    public init(name: String, channel: String, recipients: [String] = []) {
        self.name = name
        self.channel = channel
        self.recipients = recipients
    }
}
