import Foundation
import HeraldCore

/// The kinds of review the partnership publishes; each has its own set of notices.
public enum ReviewType: String, CaseIterable, Sendable {
    case sar = "SAR"
    case cspr = "CSPR"
    case llr = "LLR"

    /// The full name, for messages and templates, since the abbreviations mean little outside the partnership.
    public var name: String {
        switch self {
        case .sar: "Safeguarding Adults Review"
        case .cspr: "Child Safeguarding Practice Review"
        case .llr: "Local Learning Review"
        }
    }

    /// Accepts any letter case ("sar", "Cspr") because operators type these by hand.
    public static func parse(_ text: String) throws -> ReviewType {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let type = ReviewType(rawValue: trimmed.uppercased()) else {
            throw HeraldError(.invalidInput, "'\(text.prefix(40))' is not a review type. Use SAR, CSPR or LLR.")
        }
        return type
    }

    /// Every step this type of review can have, in timeline order; the two learning-event steps apply only when
    /// a learning event is planned. Only SARs notify partner organisations' communications teams, and only CSPRs
    /// notify the national panel.
    public var steps: [ReviewStep] {
        let before: [ReviewStep] = switch self {
        case .sar: [.practitionerNotice, .commsPartnerBriefing, .commsOrganisationsNotice]
        case .cspr: [.practitionerNotice, .commsPartnerBriefing, .nationalPanelNotice]
        case .llr: [.practitionerNotice, .commsPartnerBriefing]
        }
        return before + [.writtenBriefing, .learningEventInvitation, .learningEventReminder]
    }
}
