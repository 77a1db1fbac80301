import Foundation
import HeraldCore

extension WorkingDayCalendar {
    /// Reads the public UK bank-holidays feed as published, so updating the calendar is a plain download:
    /// `{"england-and-wales": {"division": "england-and-wales", "events": [{"title", "date", "notes", "bunting"}]},
    /// "scotland": ..., ...}`. Only the England and Wales division is used; the covered years run from its first
    /// event's year to its last, and a year with no events inside that range is refused as a damaged file.
    public static func load(json: Data, source: String) throws -> WorkingDayCalendar {
        func refuse(_ problem: String) -> HeraldError {
            HeraldError(
                .configuration,
                "The bank-holiday calendar \(source) \(problem). Replace it with a copy of \(feedAddress)."
            )
        }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: json)
        } catch {
            throw refuse("is not JSON")
        }
        guard let divisions = root as? [String: Any], let division = divisions["england-and-wales"] as? [String: Any]
        else { throw refuse("has no \"england-and-wales\" division") }
        guard let events = division["events"] as? [Any] else {
            throw refuse("has no \"events\" list in its \"england-and-wales\" division")
        }
        var holidays: [LocalDate: String] = [:]
        for (index, item) in events.enumerated() {
            let event = item as? [String: Any]
            let number = index + 1
            guard let text = event?["date"] as? String else {
                throw refuse("has an \"england-and-wales\" event (number \(number)) without a date")
            }
            guard let date = try? LocalDate(parsing: text, what: "date") else {
                throw refuse(
                    "has an \"england-and-wales\" event (number \(number)) dated '\(text.prefix(40))', "
                        + "which is not a YYYY-MM-DD date"
                )
            }
            let title = (event?["title"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? "bank holiday"
            holidays[date] = title
        }
        let years = Set(holidays.keys.map(\.year))
        guard let first = years.min(), let last = years.max() else {
            throw refuse("lists no \"england-and-wales\" bank holidays")
        }
        if let gap = (first...last).first(where: { !years.contains($0) }) {
            throw refuse(
                "has no \"england-and-wales\" bank holidays in \(gap), between \(first) and \(last), so it is incomplete"
            )
        }
        return WorkingDayCalendar(namedBankHolidays: holidays, coveredYears: first...last, source: source)
    }

}
