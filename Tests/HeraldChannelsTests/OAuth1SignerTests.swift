import HeraldChannels
import Testing

/// TV-2 and TV-3 from docs/channels.md: values computed by hand in Python and with oauthlib 4.0.1.
@Suite struct OAuth1SignerTests {
    let signer = OAuth1Signer(
        credentials: OAuth1Credentials(
            consumerKey: "xvz1evFS4wEEPTGEFPHBog",
            consumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
            token: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
            tokenSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"
        )
    )
    let nonce = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
    let timestamp: Int64 = 1_318_622_958
    let status = [("status", "Hello Ladies + Gentlemen, a signed OAuth request!")]

    @Test(arguments: [
        ("https://api.x.com/1.1/statuses/update.json?include_entities=true", "Ls93hJiZbQ3akF3HF3x1Bz8/zU4="),
        ("https://api.twitter.com/1.1/statuses/update.json?include_entities=true", "hCtSmYh+iHYCEqBWrE7C7hYmtUk="),
    ])
    func reproducesTV2(url: String, expected: String) {
        #expect(signer.signature(method: "POST", url: url, formParameters: status, nonce: nonce, timestamp: timestamp) == expected)
    }

    @Test func tv2BaseStringSignsTheQueryAndTheFormBody() {
        let base = signer.baseString(
            method: "post", url: "https://api.twitter.com/1.1/statuses/update.json?include_entities=true", formParameters: status,
            nonce: nonce, timestamp: timestamp
        )
        #expect(
            base
                == "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521"
        )
    }

    @Test func reproducesTV3ForAJSONBody() {
        let url = "https://api.x.com/2/tweets"
        #expect(signer.signature(method: "POST", url: url, nonce: nonce, timestamp: timestamp) == "lr+tV/DKclEvXKVjG6tgaSSLV0k=")
        #expect(
            signer.authorization(method: "POST", url: url, nonce: nonce, timestamp: timestamp)
                == "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", oauth_signature=\"lr%2BtV%2FDKclEvXKVjG6tgaSSLV0k%3D\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1318622958\", oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", oauth_version=\"1.0\""
        )
    }

    @Test func baseURLIsNormalised() {
        let plain = signer.baseString(method: "POST", url: "https://api.x.com/2/tweets", nonce: nonce, timestamp: timestamp)
        for variant in ["HTTPS://API.X.com:443/2/tweets", "https://api.x.com/2/tweets#top", "https://user@api.x.com/2/tweets"] {
            #expect(signer.baseString(method: "POST", url: variant, nonce: nonce, timestamp: timestamp) == plain)
        }
        let custom = signer.baseString(method: "POST", url: "http://localhost:8080", nonce: nonce, timestamp: timestamp)
        #expect(custom.hasPrefix("POST&http%3A%2F%2Flocalhost%3A8080%2F&"))
        let http = signer.baseString(method: "GET", url: "http://Fake.Test:80/a%20b", nonce: nonce, timestamp: timestamp)
        #expect(http.hasPrefix("GET&http%3A%2F%2Ffake.test%2Fa%2520b&"))
    }

    @Test func queryIsDecodedAsAFormBeforeSigning() {
        let inQuery = signer.baseString(method: "GET", url: "https://api.x.com/s?q=a+b%21&flag", nonce: nonce, timestamp: timestamp)
        let asForm = signer.baseString(
            method: "GET", url: "https://api.x.com/s", formParameters: [("flag", ""), ("q", "a b!")], nonce: nonce, timestamp: timestamp
        )
        #expect(inQuery == asForm)
    }

    @Test(arguments: [
        (" ", "%20"), ("+", "%2B"), ("☃", "%E2%98%83"), ("~", "~"), ("AZaz09-._~", "AZaz09-._~"), ("/=&%", "%2F%3D%26%25"),
    ])
    func percentEncodesPerUTF8Byte(text: String, encoded: String) {
        #expect(OAuth1Signer.percentEncode(text) == encoded)
    }

    @Test func noncesAreThirtyTwoAlphanumericsAndDiffer() {
        let first = OAuth1Signer.makeNonce()
        let second = OAuth1Signer.makeNonce()
        #expect(first.count == 32)
        #expect(first.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        #expect(second.count == 32)
        #expect(first != second)
    }
}
