import Foundation
import HeraldChannels
import HeraldCore
import Testing

/// The record key must be a valid TID, the same for every attempt of a message, and different between messages.
@Suite struct BlueskyRecordKeyTests {
    /// Expected values from the fake's independent `tid()` in Tests/Support/social_fake.py.
    @Test func aKnownIdGivesTheKeyTheReferenceEncodingGives() {
        #expect(BlueskyRecordKey.forMessage(MessageID(rawValue: "01a23350-09f8-7ab8-8041-67ca5dbebf4e")) == "3n3n3scrm2lui")
    }

    @Test func everyAttemptOfAMessageUsesOneValidKey() throws {
        let id = MessageID.make()
        let key = try #require(BlueskyRecordKey.forMessage(id))
        #expect(key.wholeMatch(of: /[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}/) != nil)
        #expect(BlueskyRecordKey.forMessage(MessageID(rawValue: id.rawValue)) == key)
    }

    @Test func messagesMadeInTheSameMillisecondGetDifferentKeys() {
        let now = Date()
        let keys = Set((0..<500).compactMap { _ in BlueskyRecordKey.forMessage(MessageID.make(at: now)) })
        #expect(keys.count == 500)
    }

    @Test(arguments: ["", "not-a-uuid", "01a23350-09f8-4ab8-8041-67ca5dbebf4e", "01a2335009f87ab8804167ca5dbebf4e00", "zza23350-09f8-7ab8-8041-67ca5dbebf4e"])
    func anIdThatIsNotAUUIDv7HasNoKey(_ text: String) {
        #expect(BlueskyRecordKey.forMessage(MessageID(rawValue: text)) == nil)
    }
}
