import Foundation
import HeraldConfig
import HeraldCore
import HeraldPlanner
import HeraldStore

/// The review workflow as library calls, so the CLI and (later) the HTTP API share one set of rules: plan a
/// review's whole timeline in one step, move it, hold and clear it, record publication, and gate the press release.
public struct ReviewService<Store: ReviewStore>: Sendable {
    let configuration: HeraldConfiguration
    let templates: TemplateLibrary
    let store: Store
    let calendar: WorkingDayCalendar

    public init(configuration: HeraldConfiguration, templates: TemplateLibrary, store: Store) throws {
        self.configuration = configuration
        self.templates = templates
        self.store = store
        calendar = try configuration.planner.workingDayCalendar()
    }

    var sendTime: SendTime {
        SendTime(hour: configuration.planner.sendHour, minute: configuration.planner.sendMinute, timeZone: configuration.planner.timeZone)
    }

    public var timeZone: TimeZone { configuration.planner.timeZone }

    /// What `herald review plan` is asked.
    public struct PlanInput: Sendable {
        public var type: String
        public var reference: String
        public var title: String
        public var signedOff: String?
        public var publish: String
        public var learningEvent: String?
        public var practitioners: PractitionerList?
        public var criminalInvestigation: Bool

        public init(
            type: String, reference: String, title: String, signedOff: String?, publish: String, learningEvent: String? = nil,
            practitioners: PractitionerList? = nil, criminalInvestigation: Bool = false
        ) {
            self.type = type
            self.reference = reference
            self.title = title
            self.signedOff = signedOff
            self.publish = publish
            self.learningEvent = learningEvent
            self.practitioners = practitioners
            self.criminalInvestigation = criminalInvestigation
        }
    }

    /// Plans every step and, unless `dryRun`, stores the review and its messages (one per recipient) together.
    public func plan(_ input: PlanInput, dryRun: Bool, actor: String, now: Date) async throws -> [ReviewTimelineEntry] {
        try InputRules.headerSafe(input.reference, field: "--id", maximumLength: 64)
        guard input.reference.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_./".contains($0)) }) else {
            throw HeraldError(.invalidInput, "The review id '\(InputRules.printable(input.reference))' may use only letters, digits and - _ . /, e.g. SAR-2026-03.")
        }
        try InputRules.headerSafe(input.title, field: "--title", maximumLength: 200)
        guard let signedOffText = input.signedOff else {
            throw HeraldError(.invalidInput, "A review is planned only once it is signed off. Give --signed-off DATE (YYYY-MM-DD).")
        }
        let request = ReviewPlanRequest(
            type: try ReviewType.parse(input.type), reference: input.reference, title: input.title,
            signedOff: try LocalDate(parsing: signedOffText, what: "--signed-off"), publish: try LocalDate(parsing: input.publish, what: "--publish"),
            learningEvent: try input.learningEvent.map { try LocalDate(parsing: $0, what: "--learning-event") }
        )
        if try await store.review(input.reference) != nil { throw HeraldError.reviewAlreadyPlanned(input.reference) }
        let steps = try ReviewTimeline.plan(request, calendar: calendar, sendTime: sendTime, now: now)
        let state: MessageState = input.criminalInvestigation ? .held : .scheduled
        var entries: [ReviewTimelineEntry] = []
        var groups: [ReviewStepGroup] = []
        for planned in steps {
            let (audience, recipients) = try audience(for: planned.step, practitioners: input.practitioners)
            let group = try prepare(planned, request: request, audience: audience, recipients: recipients, state: state, now: now)
            groups.append(ReviewStepGroup(step: planned.step.rawValue, group: group))
            entries.append(
                ReviewTimelineEntry(
                    step: planned.step, date: planned.date, sendAt: planned.sendAt, audience: audience.name, channel: audience.channel,
                    recipients: group.messages.map(\.recipient), state: dryRun ? "planned" : state.rawValue,
                    note: planned.moveNote(calendar: calendar)
                )
            )
        }
        if !dryRun {
            let record = ReviewRecord(
                reference: request.reference, type: request.type.rawValue, title: request.title, signedOff: request.signedOff.description,
                publish: request.publish.description, learningEvent: request.learningEvent?.description,
                hold: input.criminalInvestigation ? ReviewHold(reason: "criminal investigation active (planned under hold)", by: actor, at: now) : nil,
                createdAt: now
            )
            _ = try await store.createReview(record, steps: groups, actor: actor, now: now)
        }
        return entries
    }

    /// The audience a step goes to and who is in it; the case's practitioners come from the review, the rest from
    /// channels.yml.
    func audience(for step: ReviewStep, practitioners: PractitionerList?) throws -> (Audience, [String]) {
        guard let audience = configuration.audiences[step.audience] else {
            throw HeraldError(
                .configuration,
                "The \(step.rawValue) step goes to the audience '\(step.audience)', which channels.yml does not define. Add it under 'audiences:' with a channel\(step.audience == "practitioners" ? "" : " and recipients")."
            )
        }
        guard step.audience == "practitioners" else { return (audience, audience.recipients) }
        guard configuration.channels[audience.channel]?.type == .smtp else { return (audience, []) }
        guard let practitioners else {
            throw HeraldError(
                .invalidInput,
                "The \(step.rawValue) step goes to the case's practitioners and managers. Give them with --practitioners FILE (one address per line, or name,email,role)."
            )
        }
        return (audience, practitioners.recipients)
    }

    /// Renders one step for its recipients through the same checks as any enqueue.
    func prepare(
        _ planned: PlannedStep, request: ReviewPlanRequest, audience: Audience, recipients: [String], state: MessageState, now: Date
    ) throws -> EnqueueGroup {
        let enqueue = EnqueueRequest(
            channel: audience.channel, kind: planned.step.rawValue, to: recipients, data: templateData(for: request, step: planned.step),
            at: RFC3339.format(planned.sendAt)
        )
        var group: EnqueueGroup
        do {
            group = try Enqueuer(configuration: configuration, templates: templates).prepare(enqueue, now: now)
        } catch let error as HeraldError {
            throw HeraldError(error.code, "Step \(planned.step.rawValue) (audience \(audience.name)): \(error.message)", cause: error.cause)
        }
        for index in group.messages.indices { group.messages[index].state = state }
        return group
    }

    /// The variables every review template may use; all always present.
    func templateData(for request: ReviewPlanRequest, step: ReviewStep?) -> [String: JSONValue] {
        let planner = configuration.planner
        var data: [String: JSONValue] = [
            "review_reference": .string(request.reference), "review_title": .string(request.title),
            "review_type": .string(request.type.rawValue), "review_type_name": .string(request.type.name),
            "publication_date": .string(request.publish.longDescription), "partnership": .string(planner.partnership),
            "spokesperson": .string(planner.spokesperson), "contact": .string(planner.contact),
        ]
        if let event = request.learningEvent, step == .learningEventInvitation || step == .learningEventReminder {
            data["learning_event_date"] = .string(event.longDescription)
        }
        return data
    }

    func planRequest(of review: ReviewRecord, publish: String? = nil, learningEvent: String? = nil) throws -> ReviewPlanRequest {
        ReviewPlanRequest(
            type: try ReviewType.parse(review.type), reference: review.reference, title: review.title,
            signedOff: try LocalDate(parsing: review.signedOff, what: "signed-off date"),
            publish: try LocalDate(parsing: publish ?? review.publish, what: "--publish"),
            learningEvent: try (learningEvent ?? review.learningEvent).map { try LocalDate(parsing: $0, what: "--learning-event") }
        )
    }

    func requireReview(_ reference: String) async throws -> ReviewRecord {
        guard let review = try await store.review(reference) else { throw HeraldError.reviewNotFound(InputRules.printable(reference)) }
        return review
    }
}
