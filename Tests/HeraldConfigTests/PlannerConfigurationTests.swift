import Foundation
import HeraldConfig
import HeraldCore
import Testing

/// The `planner:`, `audiences:` and `approvers:` sections: loaded as written, refused with file, line and key.
@Suite struct PlannerConfigurationTests {
    typealias Support = ConfigTestSupport

    static let channels = """
        channels:
          partners:
            type: webhook
            url: https://x.example/h
            secret: ${PARTNER_SECRET}
          email:
            type: smtp
            url: smtps://mail.example.org:465
            from: "Partnership <comms@partnership.example.org>"

        """

    @Test func loadsPlannerAudiencesAndApprovers() throws {
        let configuration = try Support.load(
            Self.channels + """
                planner: { timezone: Europe/London, send_time: "08:30", bank_holidays: holidays.json, partnership: Northshire }
                audiences:
                  comms_partners: { channel: partners }
                  national_panel: { channel: email, recipients: ["Panel <panel@example.org>", "dfe@example.org"] }
                approvers: ["Business Manager", Executive]
                """
        )
        #expect(configuration.planner.sendHour == 8 && configuration.planner.sendMinute == 30)
        #expect(configuration.planner.bankHolidaysPath == "/nonexistent/holidays.json")
        #expect(configuration.planner.partnership == "Northshire")
        #expect(configuration.audiences["national_panel"] == Audience(name: "national_panel", channel: "email", recipients: ["Panel <panel@example.org>", "dfe@example.org"]))
        #expect(configuration.audiences["comms_partners"]?.recipients == [])
        #expect(configuration.approvers == ["Business Manager", "Executive"])
    }

    @Test func defaultsNeedNoPlannerSection() throws {
        let configuration = try Support.load(Self.channels)
        #expect(configuration.planner.timeZone.identifier == "Europe/London")
        #expect(configuration.planner.sendHour == 9 && configuration.planner.sendMinute == 0)
        #expect(configuration.planner.bankHolidaysPath == "/nonexistent/data/bank-holidays.json")
        #expect(configuration.audiences.isEmpty && configuration.approvers.isEmpty)
    }

    static let refusals: [Refusal] = [
        Refusal(rule: "unknown zone", yaml: channels + "planner:\n  timezone: Europe/Londn\n", location: "channels.yml:11: planner.timezone:", problem: "not a time zone"),
        Refusal(rule: "send time not HH:MM", yaml: channels + "planner:\n  send_time: 9am\n", location: "channels.yml:11: planner.send_time:", problem: "not a time of day"),
        Refusal(rule: "send time out of range", yaml: channels + "planner:\n  send_time: \"24:00\"\n", location: "channels.yml:11: planner.send_time:", problem: "not a time of day"),
        Refusal(rule: "unknown planner key", yaml: channels + "planner:\n  sendtime: \"09:00\"\n", location: "channels.yml:11: planner.sendtime:", problem: "unknown key 'sendtime'"),
        Refusal(rule: "audience on an unknown channel", yaml: channels + "audiences:\n  media: { channel: press }\n", location: "channels.yml:11: audiences.media:", problem: "channel 'press' is not defined"),
        Refusal(rule: "audience without a channel", yaml: channels + "audiences:\n  media: { recipients: [a@example.org] }\n", location: "channels.yml:11: audiences.media:", problem: "no 'channel'"),
        Refusal(rule: "bad recipient", yaml: channels + "audiences:\n  media:\n    channel: email\n    recipients:\n      - ok@example.org\n      - not an address\n", location: "channels.yml:15: audiences.media.recipients[1]:", problem: "not an address"),
        Refusal(rule: "recipients on a webhook", yaml: channels + "audiences:\n  comms_partners:\n    channel: partners\n    recipients: [a@example.org]\n", location: "channels.yml:13: audiences.comms_partners.recipients:", problem: "is a webhook"),
        Refusal(rule: "empty approvers", yaml: channels + "approvers: []\n", location: "channels.yml:10: approvers:", problem: "the list is empty"),
    ]

    @Test(arguments: refusals)
    func refusalNamesFileLineAndKey(_ refusal: Refusal) {
        let text = Support.message(refusal.yaml)
        #expect(text.hasPrefix(refusal.location), "\(text)")
        #expect(text.contains(refusal.problem), "\(text)")
    }

    /// Reading the bank-holiday file is configuration's job (the planner only parses what it is given); a missing
    /// file is named with what to do.
    @Test func anUnreadableBankHolidayFileIsNamed() {
        let settings = PlannerSettings(bankHolidaysPath: "/nonexistent/bank-holidays.json")
        #expect {
            _ = try settings.workingDayCalendar()
        } throws: { error in
            let message = (error as? HeraldError)?.message ?? ""
            return message.contains("Cannot read the bank-holiday calendar at /nonexistent/bank-holidays.json")
                && message.contains("https://www.gov.uk/bank-holidays.json")
        }
    }
}
