import Foundation

/// Standard Webhooks secrets as receivers show them: `whsec_` + base64 of 24 to 64 random bytes.
public enum WebhookSecret {
    public static let allowedKeyLengths = 24...64

    /// The key bytes, or nil if `secret` is not a valid `whsec_` secret. Base64 padding may be omitted.
    public static func keyBytes(_ secret: String) -> [UInt8]? {
        guard secret.hasPrefix("whsec_") else { return nil }
        var encoded = String(secret.dropFirst("whsec_".count))
        while encoded.count % 4 != 0 { encoded += "=" }
        guard let data = Data(base64Encoded: encoded), allowedKeyLengths.contains(data.count) else { return nil }
        return Array(data)
    }
}
