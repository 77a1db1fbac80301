import Crypto
import Foundation

/// The four secrets of OAuth 1.0a user context: the app's consumer pair and the user's access-token pair.
/// X still accepts this for `POST /2/tweets`, and unlike OAuth 2.0 user tokens it never expires.
public struct OAuth1Credentials: Sendable, Equatable {
    public var consumerKey: String
    public var consumerSecret: String
    public var token: String
    public var tokenSecret: String

    /// - Parameters:
    ///   - consumerKey: The app's API key.
    ///   - consumerSecret: The app's API key secret; signs, never sent.
    ///   - token: The user's access token.
    ///   - tokenSecret: The user's access token secret; signs, never sent.
    public init(consumerKey: String, consumerSecret: String, token: String, tokenSecret: String) {
        self.consumerKey = consumerKey
        self.consumerSecret = consumerSecret
        self.token = token
        self.tokenSecret = tokenSecret
    }
}

/// Signs requests with OAuth 1.0a HMAC-SHA1 (RFC 5849, docs/channels.md §5).
///
/// Nonce and timestamp are parameters rather than read inside, so a signature can be reproduced exactly in tests
/// (TV-2, TV-3); callers pass `makeNonce()` and the current Unix time.
public struct OAuth1Signer: Sendable {
    /// Private so the secrets cannot leak through the signer into logs or error text.
    private let credentials: OAuth1Credentials

    /// - Parameter credentials: The consumer and token pairs to sign with.
    public init(credentials: OAuth1Credentials) {
        self.credentials = credentials
    }

    /// The full `Authorization` header value: `OAuth k="v", ...` with the seven oauth_* params sorted by name,
    /// values percent-encoded. A stable order keeps the header byte-for-byte reproducible.
    /// - Parameters:
    ///   - method: The HTTP method; upper-cased for signing.
    ///   - url: The request URL as sent, query included: query parameters are signed.
    ///   - formParameters: Decoded fields of an `application/x-www-form-urlencoded` body; leave empty for JSON
    ///     bodies, which OAuth 1.0a does not sign.
    ///   - nonce: A value never reused with this timestamp, e.g. `makeNonce()`.
    ///   - timestamp: Unix seconds.
    public func authorization(
        method: String, url: String, formParameters: [(String, String)] = [], nonce: String, timestamp: Int64
    ) -> String {
        var fields = protocolParameters(nonce: nonce, timestamp: timestamp)
        fields.append(
            ("oauth_signature", signature(method: method, url: url, formParameters: formParameters, nonce: nonce, timestamp: timestamp))
        )
        let pairs = fields.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            .map { "\(Self.percentEncode($0.0))=\"\(Self.percentEncode($0.1))\"" }
        return "OAuth " + pairs.joined(separator: ", ")
    }

    /// base64(HMAC-SHA1(`enc(consumerSecret)&enc(tokenSecret)`, base string)).
    /// - Parameters: As for ``authorization(method:url:formParameters:nonce:timestamp:)``.
    public func signature(
        method: String, url: String, formParameters: [(String, String)] = [], nonce: String, timestamp: Int64
    ) -> String {
        let key = Self.percentEncode(credentials.consumerSecret) + "&" + Self.percentEncode(credentials.tokenSecret)
        let base = baseString(method: method, url: url, formParameters: formParameters, nonce: nonce, timestamp: timestamp)
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(base.utf8), using: SymmetricKey(data: Array(key.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// `METHOD&enc(base URL)&enc(parameter string)`. Query parameters of `url` are included, as the spec says; the
    /// base URL drops query and fragment, lower-cases scheme and host and drops default ports, because the server
    /// rebuilds it from the request line and `Host`, not from the text the client happened to write.
    /// - Parameters: As for ``authorization(method:url:formParameters:nonce:timestamp:)``.
    public func baseString(
        method: String, url: String, formParameters: [(String, String)] = [], nonce: String, timestamp: Int64
    ) -> String {
        let (baseURL, query) = Self.split(url)
        let all = protocolParameters(nonce: nonce, timestamp: timestamp) + Self.queryParameters(query) + formParameters
        let encoded = all.map { (Self.percentEncode($0.0), Self.percentEncode($0.1)) }.sorted { lhs, rhs in
            lhs.0 == rhs.0 ? lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8) : lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8)
        }
        let parameterString = encoded.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        return [method.uppercased(), Self.percentEncode(baseURL), Self.percentEncode(parameterString)].joined(separator: "&")
    }

    /// RFC 3986 percent-encoding: unreserved characters (`A-Z a-z 0-9 - . _ ~`) stay, every other UTF-8 byte
    /// becomes `%XX` in upper-case hex. Stricter than `addingPercentEncoding`, whose sets keep `+` and `/`,
    /// which would break the signature.
    public static func percentEncode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A fresh nonce: 32 random alphanumerics. Alphanumerics need no encoding, and 32 of them (~190 bits) make a
    /// repeat within X's timestamp window practically impossible.
    public static func makeNonce() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// The six signed `oauth_*` parameters; `oauth_signature` is added to the header only.
    private func protocolParameters(nonce: String, timestamp: Int64) -> [(String, String)] {
        [
            ("oauth_consumer_key", credentials.consumerKey),
            ("oauth_nonce", nonce),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", String(timestamp)),
            ("oauth_token", credentials.token),
            ("oauth_version", "1.0"),
        ]
    }

    /// Splits `url` into the normalised base URL (RFC 5849 §3.4.1.2) and its raw query.
    private static func split(_ url: String) -> (base: String, query: String) {
        let withoutFragment = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let halves = withoutFragment.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let query = halves.count > 1 ? String(halves[1]) : ""
        let base = String(halves[0])
        guard let schemeEnd = base.range(of: "://") else { return (base, query) }
        let scheme = base[..<schemeEnd.lowerBound].lowercased()
        let rest = base[schemeEnd.upperBound...]
        let pathStart = rest.firstIndex(of: "/") ?? rest.endIndex
        let path = pathStart == rest.endIndex ? "/" : String(rest[pathStart...])
        var authority = rest[..<pathStart]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = authority.lowercased()
        // The last colon after any IPv6 `]` separates the port.
        if let colon = host.lastIndex(of: ":"), !host[colon...].contains("]") {
            let port = host[host.index(after: colon)...]
            if port.isEmpty || (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
                host = String(host[..<colon])
            }
        }
        return ("\(scheme)://\(host)\(path)", query)
    }

    /// Query pairs decoded as `application/x-www-form-urlencoded` (`+` is a space), so they can be re-encoded
    /// the one way the signature wants.
    private static func queryParameters(_ query: String) -> [(String, String)] {
        query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) -> String in
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}
