import Foundation

extension ConfigurationLoader {
    /// `tls: { cert: PATH, key: PATH }`, paths relative to channels.yml. Both files must be readable now, so a
    /// server is not started that would fail its first handshake.
    static func tlsSettings(_ value: YAMLValue, baseDirectory: String) throws -> TLSSettings {
        var certificate: String?
        var key: String?
        for (name, entry) in try value.mapping(allowed: ["cert", "key"]) {
            let text = try entry.string()
            let path = text.hasPrefix("/") ? text : (baseDirectory as NSString).appendingPathComponent(text)
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw entry.error("cannot read '\(String(text.prefix(200)))'. Give the path of a PEM file this process may read.")
            }
            if name == "cert" { certificate = path } else { key = path }
        }
        guard let certificate, let key else {
            throw value.error("give both cert (the PEM certificate chain) and key (its PEM private key).")
        }
        return TLSSettings(certificateFile: certificate, keyFile: key)
    }
}
