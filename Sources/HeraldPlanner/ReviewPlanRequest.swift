/// What the operator says about a signed-off review: the dates every step is planned from.
public struct ReviewPlanRequest: Sendable {
    public var type: ReviewType
    /// The partnership's reference for the review, e.g. "SAR-2026-03".
    public var reference: String
    public var title: String
    /// The day the review was signed off; nothing about it may go out before then.
    public var signedOff: LocalDate
    /// The publication day every lead time is counted back from; it must be a working day.
    public var publish: LocalDate
    /// The learning event, if one is planned; it adds an invitation and a reminder.
    public var learningEvent: LocalDate?

    public init(
        type: ReviewType,
        reference: String,
        title: String,
        signedOff: LocalDate,
        publish: LocalDate,
        learningEvent: LocalDate?
    ) {
        self.type = type
        self.reference = reference
        self.title = title
        self.signedOff = signedOff
        self.publish = publish
        self.learningEvent = learningEvent
    }
}
