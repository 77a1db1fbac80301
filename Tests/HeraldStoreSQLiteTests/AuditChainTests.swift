import Foundation
import HeraldCore
import HeraldStore
import Testing

@Suite struct AuditChainTests {
    /// Pins the hashed layout (each field as `<byte count>:<UTF-8 bytes>`); the expected value was computed with
    /// Python's hashlib, so a stored trail stays verifiable across releases.
    @Test func hashMatchesAnIndependentComputation() {
        let hash = AuditChain.hash(
            previousHash: AuditChain.genesis, sequence: 1, messageID: MessageID(rawValue: "01932f6e-1c2a-7b3c-8d4e-5f6a7b8c9d0e"),
            atMillis: 1_700_000_000_123, event: "enqueued", detail: "scheduled channel=partners kind=notice ✓"
        )
        #expect(hash == "84d974b6d9254aea64f2057b55583485f4ab32893d68651bdf44cf58a6aaff52")
    }

    @Test func messageIDsAreCanonicalVersion7UUIDsInTimeOrder() {
        let early = MessageID.make(at: Date(timeIntervalSince1970: 1_700_000_000))
        let late = MessageID.make(at: Date(timeIntervalSince1970: 1_700_000_001))
        #expect(early < late)
        #expect(MessageID(validating: early.rawValue) == early)
        #expect(early.rawValue.count == 36)
        let characters = Array(early.rawValue)
        #expect(characters[14] == "7")
        #expect("89ab".contains(characters[19]))
        #expect(UUID(uuidString: early.rawValue) != nil)
    }
}
