import Foundation
import HeraldChannels
import Testing

/// TV-1 from docs/channels.md: values computed with the Standard Webhooks reference library.
@Suite struct WebhookSignerTests {
    @Test(arguments: [
        (
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", Int64(1_614_265_330), "{\"test\": 2432232314}",
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        ),
        (
            "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "msg_dispatch_0001", Int64(1_700_000_000),
            "{\"type\":\"notification.sent\",\"data\":{\"text\":\"Grüße ✓\"}}", "v1,VeTY9PFIoFNTadcP8iw0cgBbf8QukiDW1ckA2HN896o="
        ),
    ])
    func reproducesTV1(secret: String, id: String, timestamp: Int64, body: String, expected: String) throws {
        let signer = try WebhookSigner(secrets: [secret])
        #expect(signer.signature(id: id, timestamp: timestamp, body: Array(body.utf8)) == expected)
    }

    @Test func tv1BodyIsFiftyEightBytes() {
        #expect(Array("{\"type\":\"notification.sent\",\"data\":{\"text\":\"Grüße ✓\"}}".utf8).count == 58)
    }

    @Test func rotationSendsOneSignaturePerSecretInOrder() throws {
        let old = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let new = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
        let body = Array("{\"x\":1}".utf8)
        let both = try WebhookSigner(secrets: [new, old]).signature(id: "m", timestamp: 1, body: body)
        let newOnly = try WebhookSigner(secrets: [new]).signature(id: "m", timestamp: 1, body: body)
        let oldOnly = try WebhookSigner(secrets: [old]).signature(id: "m", timestamp: 1, body: body)
        #expect(both == "\(newOnly) \(oldOnly)")
    }

    @Test func paddingMayBeOmitted() throws {
        let padded = try WebhookSigner(secrets: ["whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="])
        let unpadded = try WebhookSigner(secrets: ["whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"])
        #expect(padded.signature(id: "a", timestamp: 2, body: []) == unpadded.signature(id: "a", timestamp: 2, body: []))
    }

    @Test(arguments: ["", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_!!!not-base64!!!"])
    func refusesSecretsThatAreNotWhsec(secret: String) {
        #expect(throws: (any Error).self) { try WebhookSigner(secrets: [secret]) }
    }

    @Test func refusesNoSecretAtAll() {
        #expect(throws: (any Error).self) { try WebhookSigner(secrets: []) }
    }
}
