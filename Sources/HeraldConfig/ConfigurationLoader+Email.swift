import Foundation
import HeraldCore

/// The keys of an `smtp` channel (docs/channels.md §7): a TLS url, the sender, optional login and private CA.
extension ConfigurationLoader {
    static let emailKeys = ["from", "reply_to", "username", "password", "ca_file", "helo", "starttls"]

    struct SMTPURL {
        var url: String
        var host: String
        var implicitTLS: Bool
    }

    /// `smtps://host[:port]` or `smtp://host[:port]`, nothing else: credentials and the EHLO name have keys of their own.
    static func smtpURL(_ value: YAMLValue, secrets: SecretResolver) throws -> SMTPURL {
        let text = try secrets.resolve(value)
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw value.error("this is not a URL with a host. Write e.g. smtps://smtp.example.org:465 or smtp://smtp.example.org:587.")
        }
        guard scheme == "smtp" || scheme == "smtps" else {
            throw value.error("an smtp channel needs smtps:// (TLS from the start) or smtp:// (STARTTLS), not '\(scheme.prefix(20))'.")
        }
        if components.user != nil || components.password != nil {
            throw value.error("the url carries credentials. Remove them and use the username and password keys with ${ENV} or file: references.")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil else {
            throw value.error("the url has a path or query. Give only scheme, host and port; the EHLO name goes in 'helo'.")
        }
        let port = components.port.map { ":\($0)" } ?? ""
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return SMTPURL(url: "\(scheme)://\(bracketed)\(port)", host: host, implicitTLS: scheme == "smtps")
    }

    static func emailSettings(
        _ entries: [(key: String, value: YAMLValue)], in channel: YAMLValue, url: SMTPURL, secrets: SecretResolver
    ) throws -> EmailSettings {
        var from: EmailAddress?
        var replyTo: EmailAddress?
        var username: String?
        var password: String?
        var caFile: String?
        var helo: String?
        var starttls: (Bool, YAMLValue)?
        for (key, entry) in entries {
            switch key {
            case "from": from = try address(entry)
            case "reply_to": replyTo = try address(entry)
            case "username": username = try secrets.resolve(entry)
            case "password": password = try secrets.resolve(entry)
            case "ca_file": caFile = try readableFile(entry, secrets: secrets)
            case "helo": helo = try heloName(entry)
            default: starttls = (try entry.boolean(), entry)
            }
        }
        guard let from else {
            throw channel.error("an smtp channel needs 'from', e.g. from: \"Safeguarding Partnership <comms@example.org>\".")
        }
        if (username == nil) != (password == nil) {
            throw channel.error("give both 'username' and 'password', or neither.")
        }
        if let username, username.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw channel.error("the username contains a control character.")
        }
        var requireSTARTTLS = !url.implicitTLS
        if let (wanted, entry) = starttls {
            if url.implicitTLS {
                throw entry.error("'starttls' applies to smtp:// urls; smtps:// is encrypted from the start. Remove it.")
            }
            if !wanted && !isLoopback(url.host) {
                throw entry.error("turning STARTTLS off would send mail and passwords to \(url.host.prefix(80)) in clear text. It may be off only for 127.0.0.1, ::1 or localhost.")
            }
            requireSTARTTLS = wanted
        }
        let domain = String(from.address[from.address.index(after: from.address.lastIndex(of: "@")!)...])
        return EmailSettings(
            from: from, replyTo: replyTo, username: username, password: password, caFile: caFile, helo: helo ?? domain,
            requireSTARTTLS: requireSTARTTLS
        )
    }

    private static func address(_ value: YAMLValue) throws -> EmailAddress {
        do {
            return try EmailAddress.parse(try value.string())
        } catch let error as HeraldError where error.code == .invalidInput {
            throw value.error(error.message)
        }
    }

    private static func heloName(_ value: YAMLValue) throws -> String {
        let text = try value.string()
        let allowed = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
        guard allowed, text.count <= 253 else {
            throw value.error("'\(text.prefix(40))' is not a host name. Use letters, digits, '.' and '-', e.g. herald.example.org.")
        }
        return text
    }

    private static func readableFile(_ value: YAMLValue, secrets: SecretResolver) throws -> String {
        let text = try secrets.resolve(value)
        let path = text.hasPrefix("/") ? text : (secrets.baseDirectory as NSString).appendingPathComponent(text)
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw value.error("cannot read \(path). Give the path of a PEM file of the CA certificates to trust.")
        }
        return path
    }
}
