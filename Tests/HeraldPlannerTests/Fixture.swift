import Foundation
import HeraldCore
import HeraldPlanner
import Testing

/// The real data/bank-holidays.json and small helpers, so tests run against the calendar the partnership ships.
enum Fixture {
    static let calendarPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // HeraldPlannerTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("data/bank-holidays.json")
        .path

    static func calendar() throws -> WorkingDayCalendar {
        try WorkingDayCalendar.load(json: Data(contentsOf: URL(fileURLWithPath: calendarPath)), source: calendarPath)
    }

    static func day(_ text: String) throws -> LocalDate {
        try LocalDate(parsing: text, what: "test date")
    }

    static func instant(_ text: String) throws -> Date {
        try Date.ISO8601FormatStyle().parse(text)
    }

    static func utc(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    static func request(
        _ type: ReviewType,
        signedOff: String = "2025-06-01",
        publish: String,
        learningEvent: String? = nil
    ) throws -> ReviewPlanRequest {
        ReviewPlanRequest(
            type: type,
            reference: "\(type.rawValue)-TEST",
            title: "Adult C",
            signedOff: try day(signedOff),
            publish: try day(publish),
            learningEvent: try learningEvent.map(day)
        )
    }

    /// A `now` long before every plan in these tests, so only the rule under test can refuse.
    static let longAgo = Date(timeIntervalSince1970: 1_748_736_000)  // 2025-06-01T00:00:00Z

    /// The HeraldError a call throws, failing the test if it throws something else or nothing.
    static func refusal(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> HeraldError? {
        do {
            try body()
            Issue.record("Expected a refusal, but the call succeeded", sourceLocation: sourceLocation)
        } catch let error as HeraldError {
            return error
        } catch {
            Issue.record("Expected a HeraldError, got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }
}
