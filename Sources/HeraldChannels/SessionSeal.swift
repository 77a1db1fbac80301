import Crypto
import Foundation

/// Seals a channel's saved session before it goes into the store, so the database alone does not hand out the
/// account: a Bluesky refresh token lasts ninety days. The key is derived (HKDF-SHA256) from the channel's own
/// credential, which lives outside the database, and the channel's name; the session is sealed with ChaChaPoly, so a
/// changed or tampered value does not open and the channel simply logs in again.
public struct SessionSeal: Sendable {
    private static let prefix = "sealed:v1:"
    private let key: SymmetricKey

    /// - Parameters:
    ///   - secret: the credential the channel logs in with (`SessionChannelAdapter.sessionSecret`).
    ///   - channel: the channel's name, so two channels with one credential do not share a key.
    public init(secret: String, channel: String) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), salt: Data("herald channel session".utf8), info: Data(channel.utf8),
            outputByteCount: 32
        )
    }

    public func seal(_ session: ChannelSession) throws -> String {
        Self.prefix + (try ChaChaPoly.seal(Data(session.encoded.utf8), using: key)).combined.base64EncodedString()
    }

    /// The session, or nil for anything that does not open with this key (another credential, a value written by an
    /// older Herald in clear, a damaged one).
    public func open(_ text: String) -> ChannelSession? {
        guard text.hasPrefix(Self.prefix), let data = Data(base64Encoded: String(text.dropFirst(Self.prefix.count))),
            let box = try? ChaChaPoly.SealedBox(combined: data), let plain = try? ChaChaPoly.open(box, using: key)
        else { return nil }
        return ChannelSession(encoded: String(decoding: plain, as: UTF8.self))
    }
}
