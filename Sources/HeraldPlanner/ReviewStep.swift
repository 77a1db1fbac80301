/// One notice in a review's publication timeline. The raw value is also the template kind, so a step and the
/// template that renders it cannot drift apart.
public enum ReviewStep: String, CaseIterable, Sendable {
    case practitionerNotice = "practitioner_notice"
    case commsPartnerBriefing = "comms_partner_briefing"
    case commsOrganisationsNotice = "comms_organisations_notice"
    case nationalPanelNotice = "national_panel_notice"
    case writtenBriefing = "written_briefing"
    case learningEventInvitation = "learning_event_invitation"
    case learningEventReminder = "learning_event_reminder"

    /// How far ahead of its anchor the publication strategy wants a step to go.
    enum LeadTime: Equatable {
        case daysBeforePublication(Int)
        case workingDaysBeforePublication(Int)
        case onPublication
        case workingDaysBeforeLearningEvent(Int)
    }

    var leadTime: LeadTime {
        switch self {
        case .practitionerNotice: .daysBeforePublication(21)
        case .commsPartnerBriefing: .daysBeforePublication(14)
        case .commsOrganisationsNotice: .daysBeforePublication(7)
        case .nationalPanelNotice: .workingDaysBeforePublication(7)
        case .writtenBriefing, .learningEventInvitation: .onPublication
        case .learningEventReminder: .workingDaysBeforeLearningEvent(3)
        }
    }

    /// The recipient group the step is addressed to, matching an audience configured for the partnership.
    public var audience: String {
        switch self {
        case .practitionerNotice, .writtenBriefing, .learningEventInvitation, .learningEventReminder: "practitioners"
        case .commsPartnerBriefing: "comms_partners"
        case .commsOrganisationsNotice: "comms_organisations"
        case .nationalPanelNotice: "national_panel"
        }
    }

    /// Whether the step must go before publication; such steps fall short when sent late, the others when early.
    public var isBeforePublication: Bool {
        switch self {
        case .practitionerNotice, .commsPartnerBriefing, .commsOrganisationsNotice, .nationalPanelNotice: true
        case .writtenBriefing, .learningEventInvitation, .learningEventReminder: false
        }
    }

    /// The name people use for the step in plans and messages.
    public var title: String {
        switch self {
        case .practitionerNotice: "Notice to practitioners and managers"
        case .commsPartnerBriefing: "Briefing for communications partners"
        case .commsOrganisationsNotice: "Notice to partner organisations' communications teams"
        case .nationalPanelNotice: "Notice to the Child Safeguarding Practice Review Panel"
        case .writtenBriefing: "Written briefing for practitioners"
        case .learningEventInvitation: "Invitation to the learning event"
        case .learningEventReminder: "Reminder of the learning event"
        }
    }

    /// The lead time the strategy asks for, described for people, e.g. "21 days before publication",
    /// "7 working days before publication", "on publication day", "3 working days before the learning event".
    public var leadTimeDescription: String {
        switch leadTime {
        case .daysBeforePublication(let days): "\(days) days before publication"
        case .workingDaysBeforePublication(let days): "\(days) working days before publication"
        case .onPublication: "on publication day"
        case .workingDaysBeforeLearningEvent(let days): "\(days) working days before the learning event"
        }
    }

    /// Steps that exist only when a learning event is planned.
    var needsLearningEvent: Bool {
        self == .learningEventInvitation || self == .learningEventReminder
    }
}
