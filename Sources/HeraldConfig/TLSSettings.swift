import Foundation

/// `tls: { cert, key }` in channels.yml: the PEM files `herald serve` answers HTTPS with, so it may listen beyond
/// loopback without a proxy in front (docs/api.md).
public struct TLSSettings: Sendable, Equatable {
    /// The certificate chain, leaf first.
    public var certificateFile: String
    public var keyFile: String

    public init(certificateFile: String, keyFile: String) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }
}
