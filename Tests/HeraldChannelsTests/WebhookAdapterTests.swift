import Crypto
import Foundation
import HeraldChannels
import HeraldCore
import HeraldTransport
import Testing

@Suite struct WebhookAdapterTests {
    let secret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

    func message(data: String = "{\"case\":\"Adult C\"}") -> Message {
        Message(
            id: MessageID(rawValue: "01932f6e-1c2a-7b3c-8d4e-5f6a7b8c9d0e"), groupID: "g", channel: "partners", kind: "review.published",
            recipient: "https://hooks.example.test/h", content: ["text": "Grüße — ‘Adult C’ 👋"], dataJSON: data, state: .sending,
            notBefore: Date(timeIntervalSince1970: 1_700_000_000), deadline: nil, attempts: 1,
            createdAt: Date(timeIntervalSince1970: 1_700_000_000.125)
        )
    }

    @Test func requestCarriesStandardWebhooksHeadersAndAVerifiableSignature() throws {
        let adapter = try WebhookAdapter(settings: .init(url: "https://hooks.example.test/h", secrets: [secret]))
        let request = try adapter.httpRequest(for: message(), now: Date(timeIntervalSince1970: 1_700_000_100.9))
        let headers = Dictionary(uniqueKeysWithValues: request.headers.map { ($0.name, $0.value) })
        #expect(headers["webhook-id"] == "01932f6e-1c2a-7b3c-8d4e-5f6a7b8c9d0e")
        #expect(headers["webhook-timestamp"] == "1700000100")
        #expect(headers["Content-Type"] == "application/json")
        // Independent check: HMAC over id.timestamp.body with the decoded key bytes.
        let key = SymmetricKey(data: Data(base64Encoded: String(secret.dropFirst(6)))!)
        let signed = Data("01932f6e-1c2a-7b3c-8d4e-5f6a7b8c9d0e.1700000100.".utf8) + Data(request.body)
        let expected = "v1," + Data(HMAC<SHA256>.authenticationCode(for: signed, using: key)).base64EncodedString()
        #expect(headers["webhook-signature"] == expected)
    }

    @Test func bodyIsTheEventEnvelopeAndStableAcrossAttempts() throws {
        let adapter = try WebhookAdapter(settings: .init(url: "https://hooks.example.test/h", secrets: [secret]))
        let first = try adapter.httpRequest(for: message(), now: Date(timeIntervalSince1970: 1_700_000_100))
        let second = try adapter.httpRequest(for: message(), now: Date(timeIntervalSince1970: 1_700_000_900))
        #expect(first.body == second.body)
        let object = try JSONSerialization.jsonObject(with: Data(first.body)) as? [String: Any]
        #expect(object?["type"] as? String == "review.published")
        #expect(object?["timestamp"] as? String == "2023-11-14T22:13:20.125Z")
        let data = object?["data"] as? [String: Any]
        #expect(data?["case"] as? String == "Adult C")
        #expect((data?["rendered"] as? [String: String])?["text"] == "Grüße — ‘Adult C’ 👋")
    }

    @Test(arguments: ["{}", " { \n } ", "{\"a\":[1,2,{\"b\":null}],\"z\":\"\\\"quoted\\\"\"}", "\n{\"a\": 1}\n"])
    func bodyIsValidJSONForAnyStoredData(data: String) throws {
        var message = message(data: data)
        message.content = ["subject": "Line \"one\"\n", "text": "tab\there"]
        let body = try WebhookAdapter.body(for: message)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let parsedData = try #require(object["data"] as? [String: Any])
        #expect((parsedData["rendered"] as? [String: String]) == ["subject": "Line \"one\"\n", "text": "tab\there"])
        let original = try #require(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])
        #expect(Set(parsedData.keys) == Set(original.keys).union(["rendered"]))
    }

    @Test func bodyBytesAreExact() throws {
        var message = message(data: "{\"case\":\"Adult C\"}")
        #expect(String(decoding: try WebhookAdapter.body(for: message), as: UTF8.self)
            == #"{"data":{"case":"Adult C","rendered":{"text":"Grüße — ‘Adult C’ 👋"}},"timestamp":"2023-11-14T22:13:20.125Z","type":"review.published"}"#)
        message.content = [:]
        #expect(String(decoding: try WebhookAdapter.body(for: message), as: UTF8.self)
            == #"{"data":{"case":"Adult C"},"timestamp":"2023-11-14T22:13:20.125Z","type":"review.published"}"#)
    }

    @Test(arguments: ["", "[]", "\"text\"", "{\"a\":1", "1"])
    func storedDataThatIsNotAnObjectIsRefused(data: String) {
        #expect(throws: HeraldError.self) { try WebhookAdapter.body(for: message(data: data)) }
    }
}
