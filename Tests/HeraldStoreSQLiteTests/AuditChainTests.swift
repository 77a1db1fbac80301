import Crypto
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
            state: "scheduled", contentDigest: String(repeating: "c", count: 64), recipientDigest: String(repeating: "d", count: 64),
            previousHash: AuditChain.genesis, hash: ""
        )
        #expect(AuditChain.link(event, proofDigest: nil, key: TestKeys.audit) == "a5fe4239723d42943c360911decdb0a6a4e09fb152ee1adc6c46b95733d6505c")
        #expect(AuditChain.link(event, proofDigest: nil, key: .unkeyed) != AuditChain.link(event, proofDigest: nil, key: TestKeys.audit))
    }

    /// The hand-rolled HMAC (two SHA-256 states prepared once and copied for every link) agrees with swift-crypto's
    /// HMAC for short and long keys, link after link: no state leaks from one link into the next.
    @Test func linksAgreeWithHMACLinkAfterLink() throws {
        for keyBytes in [32, 64, 65, 200] {
            let bytes = (0..<keyBytes).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
            let key = try AuditKey(base64: Data(bytes).base64EncodedString())
            for sequence in Int64(1)...3 {
                let event = AuditEvent(sequence: sequence, messageID: nil, atMillis: sequence, event: "review_planned", detail: "x", previousHash: AuditChain.genesis, hash: "")
                var fields = Data()
                for field in ["herald-audit-2", AuditChain.genesis, String(sequence), "", String(sequence), "review_planned", "x", "", "", "", "", "", ""] {
                    fields.append(contentsOf: Array("\(field.utf8.count):".utf8) + Array(field.utf8))
                }
                let expected = HMAC<SHA256>.authenticationCode(for: fields, using: SymmetricKey(data: bytes)).map { String(format: "%02x", $0) }.joined()
                #expect(AuditChain.link(event, proofDigest: nil, key: key) == expected, "key of \(keyBytes) bytes, link \(sequence)")
            }
        }
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
        #expect(verifier.check(event, proofDigest: nil) == nil)
        event.detail = "edited"
        var again = AuditChain.Verifier(key: TestKeys.audit)
        #expect(again.check(event, proofDigest: nil)?.contains("edited") == true)
    }

    /// A trail linked under one key does not verify under another, nor under the well-known demo key.
    @Test func anotherKeyDoesNotVerify() throws {
        let event = AuditEvent(sequence: 1, messageID: nil, atMillis: 1, event: "review_planned", detail: "x", previousHash: AuditChain.genesis, hash: "")
        var linked = event
        linked.hash = AuditChain.link(event, proofDigest: nil, key: TestKeys.audit)
        var same = AuditChain.Verifier(key: TestKeys.audit)
        #expect(same.check(linked, proofDigest: nil) == nil)
        let other = try AuditKey(base64: AuditKey.generateText())
        var wrong = AuditChain.Verifier(key: other)
        #expect(wrong.check(linked, proofDigest: nil) != nil)
        var demo = AuditChain.Verifier(key: .unkeyed)
        #expect(demo.check(linked, proofDigest: nil) != nil)
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
