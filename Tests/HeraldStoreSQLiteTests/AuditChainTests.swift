import Foundation
import HeraldCore
import HeraldStore
import HeraldTesting
import Testing

@Suite struct AuditChainTests {
    static let id = MessageID(rawValue: "01932f6e-1c2a-7b3c-8d4e-5f6a7b8c9d0e")

    /// Pins the linked layout (each field as `<byte count>:<UTF-8 bytes>`, HMAC-SHA256 under the key); the expected
    /// value was computed with Python's hmac module, so a stored trail stays verifiable across releases.
    @Test func linkMatchesAnIndependentComputation() {
        let event = AuditEvent(
            sequence: 1, messageID: Self.id, atMillis: 1_700_000_000_123, event: "enqueued", detail: "scheduled channel=partners kind=notice ✓",
            state: "scheduled", previousHash: AuditChain.genesis, hash: ""
        )
        let binding = AuditBinding(contentDigest: String(repeating: "c", count: 64), recipientDigest: String(repeating: "d", count: 64))
        #expect(AuditChain.link(event, binding: binding, key: TestKeys.audit) == "a5fe4239723d42943c360911decdb0a6a4e09fb152ee1adc6c46b95733d6505c")
        #expect(AuditChain.link(event, binding: binding, key: .unkeyed) != AuditChain.link(event, binding: binding, key: TestKeys.audit))
    }

    @Test func contentDigestMatchesAnIndependentComputation() {
        #expect(AuditDigest.content(#"{"subject":"Hi"}"#, data: "{}") == "ec177679ad6b4423c8acc922f18ac727e3f8ddc3b4d2993b0ffd54298946983e")
    }

    /// An event written before the chain was keyed (plain SHA-256, pinned with Python's hashlib) still verifies, and
    /// fails once edited.
    @Test func legacyEventsStillVerify() {
        var event = AuditEvent(
            sequence: 1, messageID: Self.id, atMillis: 1_700_000_000_123, event: "enqueued", detail: "scheduled channel=partners kind=notice ✓",
            scheme: AuditChain.legacyScheme, previousHash: AuditChain.genesis,
            hash: "84d974b6d9254aea64f2057b55583485f4ab32893d68651bdf44cf58a6aaff52"
        )
        var verifier = AuditChain.Verifier(key: TestKeys.audit)
        #expect(verifier.check(event, binding: AuditBinding()) == nil)
        event.detail = "edited"
        var again = AuditChain.Verifier(key: TestKeys.audit)
        #expect(again.check(event, binding: AuditBinding())?.contains("edited") == true)
    }

    /// A trail linked under one key does not verify under another, nor under the well-known demo key.
    @Test func anotherKeyDoesNotVerify() throws {
        let event = AuditEvent(sequence: 1, messageID: nil, atMillis: 1, event: "review_planned", detail: "x", previousHash: AuditChain.genesis, hash: "")
        var linked = event
        linked.hash = AuditChain.link(event, binding: AuditBinding(), key: TestKeys.audit)
        var same = AuditChain.Verifier(key: TestKeys.audit)
        #expect(same.check(linked, binding: AuditBinding()) == nil)
        let other = try AuditKey(base64: AuditKey.generateText())
        var wrong = AuditChain.Verifier(key: other)
        #expect(wrong.check(linked, binding: AuditBinding()) != nil)
        var demo = AuditChain.Verifier(key: .unkeyed)
        #expect(demo.check(linked, binding: AuditBinding()) != nil)
    }

    @Test func keysThatAreNotBase64Of32BytesAreRefusedWithoutEchoingThem() {
        for text in ["", "short", "c2hvcnQ=", String(repeating: "A", count: 5000), "not base64 at all, but long enough to be a key....."] {
            let error = #expect(throws: HeraldError.self) { try AuditKey(base64: text) }
            if text.count > 8 { #expect(error?.message.contains(text) == false) }
        }
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
