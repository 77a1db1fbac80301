import Foundation
import Testing

@testable import HeraldChannels

/// The email `Date` header is worked out by arithmetic (it runs for every email): it must agree with Foundation's
/// Gregorian calendar on every day, leap days and years before 1970 included.
@Suite struct EmailDateTests {
    /// What Foundation's calendar makes of the same instant, in the same format.
    static func reference(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return String(
            format: "%@, %02d %@ %04d %02d:%02d:%02d +0000", days[parts.weekday! - 1], parts.day!, months[parts.month! - 1], parts.year!,
            parts.hour!, parts.minute!, parts.second!
        )
    }

    @Test func agreesWithTheGregorianCalendarOnEveryKindOfDay() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var instants: [Double] = [0, -1, 951_782_400, 951_868_799, 4_107_542_400, -2_208_988_800, 1_800_000_000.75]
        for _ in 0..<3000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            instants.append(Double(Int64(bitPattern: state >> 1) % 6_000_000_000) - 2_000_000_000)
        }
        for seconds in instants {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(EmailMessageBuilder.dateText(date) == Self.reference(date), "at \(seconds)")
        }
    }
}
