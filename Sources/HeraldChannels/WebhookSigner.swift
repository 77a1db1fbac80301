import Crypto
import Foundation
import HeraldCore

/// Signs webhook requests per Standard Webhooks 1.0: `v1,` + base64(HMAC-SHA256(key, "id.timestamp.body")),
/// one entry per secret so receivers can rotate keys without missing events.
public struct WebhookSigner: Sendable {
    private let keys: [SymmetricKey]

    /// - Parameter secrets: `whsec_` + base64 of the key bytes, as receivers show them; padding may be omitted.
    public init(secrets: [String]) throws {
        keys = try secrets.enumerated().map { index, secret in
            guard let bytes = WebhookSecret.keyBytes(secret) else {
                throw HeraldError(
                    .configuration,
                    "Webhook secret \(index + 1) is not a whsec_ secret (whsec_ followed by the base64 of 24 to 64 bytes). Copy the secret exactly as the receiver shows it."
                )
            }
            return SymmetricKey(data: bytes)
        }
        if keys.isEmpty {
            throw HeraldError(.configuration, "A webhook channel needs at least one signing secret.")
        }
    }

    /// The `webhook-signature` header value for these exact body bytes.
    public func signature(id: String, timestamp: Int64, body: [UInt8]) -> String {
        var signed = Array("\(id).\(timestamp).".utf8)
        signed.append(contentsOf: body)
        return keys.map { key in
            let mac = HMAC<SHA256>.authenticationCode(for: signed, using: key)
            return "v1," + Data(mac).base64EncodedString()
        }.joined(separator: " ")
    }
}
