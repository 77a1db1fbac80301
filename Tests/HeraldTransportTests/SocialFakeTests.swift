import Foundation
import HeraldTesting
import HeraldTransport
import Testing

/// Real requests through `CurlEngine` to each network's fake: what it accepts, what it refuses as the real API would,
/// and the scripted answers (`expired`, `throttle`, `exhaust`, `error`, `silence`, `connector-error`).
@Suite struct SocialFakeTests {
    // MARK: Slack

    @Test func slackAcceptsAHookPostAndRefusesAWrongPathOrMissingText() async throws {
        let fake = try await SocialFake(.init(network: "slack", script: ["ok", "throttle", "expired", "error"], resetSeconds: 42))
        let client = Client()
        defer { client.shutdown() }
        let ok = try await client.post(fake.endpointURL, json: #"{"text":"Deploy finished","blocks":[]}"#)
        #expect(ok.status == 200)
        #expect(ok.text == "ok")
        let wrongPath = try await client.post(fake.url("/services/T0000/B0000/revoked"), json: #"{"text":"x"}"#)
        #expect(wrongPath.status == 404)
        #expect(wrongPath.text == "no_service")
        let badJSON = try await client.post(fake.endpointURL, json: #"{"text":"#)
        #expect(badJSON.status == 400)
        #expect(badJSON.text == "invalid_payload")
        let noText = try await client.post(fake.endpointURL, json: #"{"text":"   "}"#)
        #expect(noText.status == 400)
        #expect(noText.text == "no_text")
        let throttled = try await client.post(fake.endpointURL, json: #"{"text":"x"}"#)
        #expect(throttled.status == 429)
        #expect(throttled.header("Retry-After") == "42")
        #expect(throttled.header("Date") != nil)
        let expired = try await client.post(fake.endpointURL, json: #"{"text":"x"}"#)
        #expect(expired.status == 403)
        #expect(expired.text == "invalid_token")
        let failed = try await client.post(fake.endpointURL, json: #"{"text":"x"}"#)
        #expect(failed.status == 500)
        let after = try await client.post(fake.endpointURL, json: #"{"text":"again"}"#)
        #expect(after.status == 200)
        let log = try fake.requests()
        #expect(log.map(\.verdict) == ["created", "rejected", "rejected", "rejected", "scripted", "scripted", "scripted", "created"])
        #expect(log.map(\.reply) == ["ok", nil, nil, nil, "throttle", "expired", "error", "ok"])
        #expect(try fake.posts().count == 2)
    }

    // MARK: Teams

    @Test func teamsWorkflowsAcceptsTheAdaptiveCardEnvelopeOnlyWithTheExactSig() async throws {
        let fake = try await SocialFake(.init(network: "teams", script: ["ok", "throttle"]))
        let client = Client()
        defer { client.shutdown() }
        let accepted = try await client.post(fake.endpointURL, json: adaptiveCard("Review published"))
        #expect(accepted.status == 202)
        #expect(accepted.body.isEmpty)
        let sig = try #require(fake.credential("sig"))
        let wrongSig = try await client.post(
            fake.endpointURL.replacingOccurrences(of: "sig=\(sig)", with: "sig=rotated"), json: adaptiveCard("x")
        )
        #expect(wrongSig.status == 401)
        let reencoded = try await client.post(fake.endpointURL.replacingOccurrences(of: "%2F", with: "/"), json: adaptiveCard("x"))
        #expect(reencoded.status == 401)
        let messageCard = try await client.post(fake.endpointURL, json: #"{"@type":"MessageCard","text":"x"}"#)
        #expect(messageCard.status == 400)
        let emptyCard = try await client.post(
            fake.endpointURL,
            json: #"{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null,"content":{"type":"AdaptiveCard","version":"1.4","body":[]}}]}"#
        )
        #expect(emptyCard.status == 400)
        let throttled = try await client.post(fake.endpointURL, json: adaptiveCard("x"))
        #expect(throttled.status == 429)
        #expect(throttled.header("Retry-After") == "60")
        let log = try fake.requests()
        #expect(log.map(\.status) == [202, 401, 401, 400, 400, 429])
        #expect(log[2].reason.contains("byte-for-byte"))
    }

    @Test func teamsConnectorAnswersOneOrAnEmbeddedErrorWithStatus200() async throws {
        let fake = try await SocialFake(.init(network: "teams", script: ["ok", "connector-error"], teamsMode: "connector"))
        let client = Client()
        defer { client.shutdown() }
        let ok = try await client.post(fake.endpointURL, json: adaptiveCard("x"))
        #expect(ok.status == 200)
        #expect(ok.text == "1")
        let failed = try await client.post(fake.endpointURL, json: adaptiveCard("x"))
        #expect(failed.status == 200)
        #expect(failed.text.hasPrefix("Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429"))
        #expect(try fake.requests().map(\.verdict) == ["created", "scripted"])
    }

    // MARK: Mastodon

    @Test func mastodonPostsWithTheTokenAndAnIdempotencyKeyReturnsTheSameStatus() async throws {
        let fake = try await SocialFake(.init(network: "mastodon"))
        let client = Client()
        defer { client.shutdown() }
        let token = try #require(fake.credential("token"))
        let headers = [("Authorization", "Bearer \(token)"), ("Idempotency-Key", "delivery-1")]
        let body = #"{"status":"Review <published> & ready","visibility":"unlisted","language":"en"}"#
        let first = try await client.post(fake.endpointURL, headers: headers, json: body)
        #expect(first.status == 200)
        let status = first.json
        let id = try #require(status["id"] as? String)
        #expect(status["url"] as? String == fake.url("/@herald/\(id)"))
        #expect(status["uri"] as? String == fake.url("/users/herald/statuses/\(id)"))
        #expect(status["content"] as? String == "<p>Review &lt;published&gt; &amp; ready</p>")
        #expect((status["created_at"] as? String)?.hasSuffix("Z") == true)
        #expect(first.header("X-RateLimit-Limit") == "300")
        #expect(first.header("X-RateLimit-Remaining") == "299")
        #expect(matches(first.header("X-RateLimit-Reset"), #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z"#))
        let again = try await client.post(fake.endpointURL, headers: headers, json: body)
        #expect(again.status == 200)
        #expect(again.json["id"] as? String == id)
        let wrongToken = try await client.post(fake.endpointURL, headers: [("Authorization", "Bearer stale")], json: body)
        #expect(wrongToken.status == 401)
        #expect(wrongToken.json["error"] as? String == "The access token is invalid")
        #expect(wrongToken.header("X-RateLimit-Remaining") != nil)
        let blank = try await client.post(fake.endpointURL, headers: [("Authorization", "Bearer \(token)")], json: #"{"status":""}"#)
        #expect(blank.status == 422)
        #expect(blank.json["error"] as? String == "Validation failed: Text can't be blank")
        let log = try fake.requests()
        #expect(log.map(\.verdict) == ["created", "duplicate", "rejected", "rejected"])
        #expect(log.map(\.number) == [1, 2, 3, 4])
        #expect(log[1].postID == id)
        #expect(log[0].header("idempotency-key") == "delivery-1")
        #expect(log[0].bodyJSON?["visibility"] as? String == "unlisted")
        #expect(log[0].path == "/api/v1/statuses")
        #expect(abs(log[0].arrivedAt.timeIntervalSinceNow) < 60)
        #expect(try fake.posts().count == 1)
    }

    @Test func mastodonThrottleCarriesAnISOResetAndNoRetryAfter() async throws {
        let fake = try await SocialFake(.init(network: "mastodon", script: ["throttle", "exhaust", "error"], resetSeconds: 90))
        let client = Client()
        defer { client.shutdown() }
        let headers = [("Authorization", "Bearer \(fake.credential("token") ?? "")")]
        let throttled = try await client.post(fake.endpointURL, headers: headers, json: #"{"status":"a"}"#)
        #expect(throttled.status == 429)
        #expect(throttled.header("X-RateLimit-Remaining") == "0")
        #expect(throttled.header("Retry-After") == nil)
        let reset = try #require(isoDate(throttled.header("X-RateLimit-Reset")))
        let date = try #require(httpDate(throttled.header("Date")))
        #expect(abs(reset.timeIntervalSince(date) - 90) <= 2)
        let exhausted = try await client.post(fake.endpointURL, headers: headers, json: #"{"status":"b"}"#)
        #expect(exhausted.status == 200)
        #expect(exhausted.header("X-RateLimit-Remaining") == "0")
        let failed = try await client.post(fake.endpointURL, headers: headers, json: #"{"status":"c"}"#)
        #expect(failed.status == 500)
        #expect(try fake.posts().count == 1)
    }

    // MARK: Bluesky

    @Test func blueskySessionExpiresRefreshesAndTheOldRefreshTokenIsRevoked() async throws {
        let fake = try await SocialFake(.init(network: "bluesky", script: ["ok", "expired"]))
        let client = Client()
        defer { client.shutdown() }
        let session = try await client.post(
            fake.url("/xrpc/com.atproto.server.createSession"), json: #"{"identifier":"herald.test","password":"abcd-efgh-ijkl-mnop"}"#
        )
        #expect(session.status == 200)
        #expect(session.json["did"] as? String == fake.did)
        #expect(session.json["active"] as? Bool == true)
        let access = try #require(session.json["accessJwt"] as? String)
        let refresh = try #require(session.json["refreshJwt"] as? String)
        #expect(access.split(separator: ".").count == 3)
        let body = blueskyRecord(fake.did, text: "first post")
        let created = try await client.post(fake.endpointURL, headers: [("Authorization", "Bearer \(access)")], json: body)
        #expect(created.status == 200)
        let uri = try #require(created.json["uri"] as? String)
        #expect(uri.hasPrefix("at://\(fake.did)/app.bsky.feed.post/"))
        #expect(uri.split(separator: "/").last?.count == 13)
        #expect((created.json["cid"] as? String)?.hasPrefix("bafyrei") == true)
        #expect(created.json["validationStatus"] as? String == "valid")
        let expired = try await client.post(fake.endpointURL, headers: [("Authorization", "Bearer \(access)")], json: body)
        #expect(expired.status == 400)
        #expect(expired.json["error"] as? String == "ExpiredToken")
        let stillExpired = try await client.post(fake.endpointURL, headers: [("Authorization", "Bearer \(access)")], json: body)
        #expect(stillExpired.status == 400)
        #expect(stillExpired.json["error"] as? String == "ExpiredToken")
        let refreshed = try await client.post(
            fake.url("/xrpc/com.atproto.server.refreshSession"), headers: [("Authorization", "Bearer \(refresh)")], json: ""
        )
        #expect(refreshed.status == 200)
        let newAccess = try #require(refreshed.json["accessJwt"] as? String)
        let newRefresh = try #require(refreshed.json["refreshJwt"] as? String)
        #expect(newAccess != access)
        #expect(newRefresh != refresh)
        let replayed = try await client.post(fake.endpointURL, headers: [("Authorization", "Bearer \(newAccess)")], json: body)
        #expect(replayed.status == 200)
        let reused = try await client.post(
            fake.url("/xrpc/com.atproto.server.refreshSession"), headers: [("Authorization", "Bearer \(refresh)")], json: ""
        )
        #expect(reused.status == 400)
        #expect(reused.json["error"] as? String == "ExpiredToken")
        #expect(reused.json["message"] as? String == "Token has been revoked")
        let log = try fake.requests()
        #expect(
            log.map(\.endpoint) == [
                "createSession", "createRecord", "createRecord", "createRecord", "refreshSession", "createRecord", "refreshSession",
            ]
        )
        #expect(log.map(\.verdict) == ["session", "created", "scripted", "rejected", "session", "created", "rejected"])
        #expect(log.map(\.reply) == [nil, "ok", "expired", nil, nil, "ok", nil])
        #expect(try fake.posts().map(\.postID) == [uri, replayed.json["uri"] as? String])
    }

    @Test func blueskyChecksCredentialsTokensAndFacetByteOffsets() async throws {
        let fake = try await SocialFake(.init(network: "bluesky"))
        let client = Client()
        defer { client.shutdown() }
        let wrong = try await client.post(
            fake.url("/xrpc/com.atproto.server.createSession"), json: #"{"identifier":"herald.test","password":"main-password"}"#
        )
        #expect(wrong.status == 401)
        #expect(wrong.json["error"] as? String == "AuthenticationRequired")
        let access = try await client.session(fake)
        let auth = [("Authorization", "Bearer \(access)")]
        // TV-5: the mention is bytes 23..<35 and the link 74..<108 of 109 UTF-8 bytes.
        let text = "\u{2728} example mentioning @atproto.com to share the URL \u{1F468}\u{200D}\u{2764}\u{FE0F}\u{200D}\u{1F468} https://en.wikipedia.org/wiki/CBOR."
        let link = "https://en.wikipedia.org/wiki/CBOR"
        let mention: [String: Any] = [
            "index": ["byteStart": 23, "byteEnd": 35],
            "features": [["$type": "app.bsky.richtext.facet#mention", "did": "did:plc:ewvi7nxzyoun6zhxrhs64oiz"]],
        ]
        let good = try await client.post(
            fake.endpointURL, headers: auth, json: blueskyRecord(fake.did, text: text, facets: [mention, linkFacet(74, 108, link)])
        )
        #expect(good.status == 200)
        // The same link at code-point offsets (58..<92), as a UTF-16/code-point counting client would send it.
        let codePoints = try await client.post(fake.endpointURL, headers: auth, json: blueskyRecord(fake.did, text: text, facets: [linkFacet(58, 92, link)]))
        #expect(codePoints.status == 400)
        #expect(codePoints.json["error"] as? String == "InvalidRequest")
        let pastTheEnd = try await client.post(fake.endpointURL, headers: auth, json: blueskyRecord(fake.did, text: text, facets: [linkFacet(74, 110, link)]))
        #expect(pastTheEnd.status == 400)
        let shortened = try await client.post(
            fake.endpointURL, headers: auth, json: blueskyRecord(fake.did, text: "see en.wikipedia.org", facets: [linkFacet(4, 20, link)])
        )
        #expect(shortened.status == 400)
        let tooLong = try await client.post(fake.endpointURL, headers: auth, json: blueskyRecord(fake.did, text: String(repeating: "a", count: 301)))
        #expect(tooLong.status == 400)
        let wrongRepo = try await client.post(fake.endpointURL, headers: auth, json: blueskyRecord("did:plc:someoneelse", text: "x"))
        #expect(wrongRepo.status == 400)
        let noToken = try await client.post(fake.endpointURL, json: blueskyRecord(fake.did, text: "x"))
        #expect(noToken.status == 401)
        #expect(noToken.json["error"] as? String == "AuthenticationRequired")
        let log = try fake.requests()
        #expect(log.map(\.status) == [401, 200, 200, 400, 400, 400, 400, 400, 401])
        #expect(log[3].reason.contains("splits a UTF-8 character"))
        #expect(log[5].reason.contains("not its link uri"))
        #expect(good.header("ratelimit-policy") == "3000;w=300")
    }

    @Test func blueskyThrottleCarriesAnEpochResetAndErrorIsA500() async throws {
        let fake = try await SocialFake(.init(network: "bluesky", script: ["throttle", "exhaust", "error"], resetSeconds: 120))
        let client = Client()
        defer { client.shutdown() }
        let auth = [("Authorization", "Bearer \(try await client.session(fake))")]
        let throttled = try await client.post(fake.endpointURL, headers: auth, json: blueskyRecord(fake.did, text: "a"))
        #expect(throttled.status == 429)
        #expect(throttled.header("ratelimit-remaining") == "0")
        #expect(throttled.header("ratelimit-limit") == "3000")
        let reset = try #require(throttled.header("ratelimit-reset").flatMap(Double.init))
        let date = try #require(httpDate(throttled.header("Date")))
        #expect(abs(reset - date.timeIntervalSince1970 - 120) <= 2)
        let exhausted = try await client.post(fake.endpointURL, headers: auth, json: blueskyRecord(fake.did, text: "b"))
        #expect(exhausted.status == 200)
        #expect(exhausted.header("ratelimit-remaining") == "0")
        let failed = try await client.post(fake.endpointURL, headers: auth, json: blueskyRecord(fake.did, text: "c"))
        #expect(failed.status == 500)
        #expect(failed.json["error"] as? String == "InternalServerError")
    }

    // MARK: X

    @Test func xSignatureCodeMatchesTheContractVectors() throws {
        let (status, output) = try SocialFake.selfTest()
        #expect(status == 0, "\(output)")
        #expect(output.contains("Ls93hJiZbQ3akF3HF3x1Bz8/zU4="))
        #expect(output.contains("lr+tV/DKclEvXKVjG6tgaSSLV0k="))
        #expect(output.contains("self-test: all passed"))
    }

    @Test func xAcceptsASignedPostAndRefusesUnsignedReplayedOrWronglySignedOnes() async throws {
        let fake = try await SocialFake(.init(network: "x", credentials: ["max_skew": "300"]))
        let client = Client()
        defer { client.shutdown() }
        func send(_ body: String, authorization: String?) async throws -> HTTPResponse {
            try await client.post(fake.endpointURL, headers: authorization.map { [("Authorization", $0)] } ?? [], json: body)
        }
        let body = #"{"text":"Deploy finished ✓ + done"}"#
        let signed = try fake.xAuthorization(body: body)
        let accepted = try await send(body, authorization: signed)
        #expect(accepted.status == 201)
        let data = try #require(accepted.json["data"] as? [String: Any])
        let id = try #require(data["id"] as? String)
        #expect(id.count == 19 && id.allSatisfy(\.isNumber))
        #expect(data["text"] as? String == "Deploy finished ✓ + done")
        #expect(data["edit_history_tweet_ids"] as? [String] == [id])
        #expect(accepted.header("x-rate-limit-limit") != nil)
        #expect(accepted.header("x-rate-limit-reset").flatMap(Int.init) != nil)
        let replayed = try await send(body, authorization: signed)
        #expect(replayed.status == 401)
        #expect(replayed.json["title"] as? String == "Unauthorized")
        let unsigned = try await send(#"{"text":"b"}"#, authorization: nil)
        #expect(unsigned.status == 401)
        let wrongSecret = try await send(#"{"text":"c"}"#, authorization: try fake.xAuthorization(body: "", credentials: ["consumer_secret": "guessed"]))
        #expect(wrongSecret.status == 401)
        let otherHost = try await send(#"{"text":"d"}"#, authorization: try fake.xAuthorization(url: "https://api.x.com/2/tweets", body: ""))
        #expect(otherHost.status == 401)
        let stale = try await send(#"{"text":"e"}"#, authorization: try fake.xAuthorization(body: "", timestamp: 1_318_622_958))
        #expect(stale.status == 401)
        let hashed = #"{"text":"with body hash"}"#
        let withHash = try await send(hashed, authorization: try fake.xAuthorization(body: hashed, bodyHash: true))
        #expect(withHash.status == 201)
        let wrongHash = try await send(#"{"text":"tampered"}"#, authorization: try fake.xAuthorization(body: hashed, bodyHash: true))
        #expect(wrongHash.status == 401)
        let emptyText = try await send(#"{"text":""}"#, authorization: try fake.xAuthorization(body: ""))
        #expect(emptyText.status == 400)
        let reasons = try fake.requests().map(\.reason)
        #expect(reasons.count == 9)
        #expect(reasons[1].contains("used before"))
        #expect(reasons[2] == "no Authorization header")
        #expect(reasons[3].hasPrefix("signature mismatch"))
        #expect(reasons[4].hasPrefix("signature mismatch"))
        #expect(reasons[5].contains("from the server clock"))
        #expect(reasons[7].contains("oauth_body_hash"))
        #expect(try fake.posts().count == 2)
    }

    @Test func xThrottleAndExhaustCarryEpochResets() async throws {
        let fake = try await SocialFake(.init(network: "x", script: ["throttle", "exhaust", "expired"], resetSeconds: 900))
        let client = Client()
        defer { client.shutdown() }
        func send(_ text: String) async throws -> HTTPResponse {
            let body = #"{"text":"\#(text)"}"#
            return try await client.post(fake.endpointURL, headers: [("Authorization", try fake.xAuthorization(body: body))], json: body)
        }
        let throttled = try await send("a")
        #expect(throttled.status == 429)
        #expect(throttled.header("x-rate-limit-remaining") == "0")
        let reset = try #require(throttled.header("x-rate-limit-reset").flatMap(Double.init))
        let date = try #require(httpDate(throttled.header("Date")))
        #expect(abs(reset - date.timeIntervalSince1970 - 900) <= 2)
        let exhausted = try await send("b")
        #expect(exhausted.status == 201)
        #expect(exhausted.header("x-rate-limit-remaining") == "0")
        let expired = try await send("c")
        #expect(expired.status == 401)
    }

    // MARK: Facebook

    @Test func facebookAcceptsJSONOrFormAndAnswersErrorsByCode() async throws {
        let fake = try await SocialFake(.init(network: "facebook", script: ["ok", "ok", "throttle", "expired"], resetSeconds: 120))
        let client = Client()
        defer { client.shutdown() }
        let token = try #require(fake.credential("token"))
        let page = try #require(fake.credential("page_id"))
        let json = try await client.post(fake.endpointURL, headers: [("Authorization", "Bearer \(token)")], json: #"{"message":"Review published"}"#)
        #expect(json.status == 200)
        #expect((json.json["id"] as? String)?.hasPrefix("\(page)_") == true)
        #expect(json.header("X-Page-Usage")?.contains("call_count") == true)
        let form = try await client.post(
            fake.endpointURL, headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: "message=Review%20published&access_token=\(token)"
        )
        #expect(form.status == 200)
        let badToken = try await client.post(fake.endpointURL, headers: [("Authorization", "Bearer expired-long-ago")], json: #"{"message":"x"}"#)
        #expect(badToken.status == 400)
        #expect(badToken.errorCode == 190)
        let noMessage = try await client.post(fake.endpointURL, headers: [("Authorization", "Bearer \(token)")], json: #"{"link":"https://example.org"}"#)
        #expect(noMessage.status == 400)
        #expect(noMessage.errorCode == 100)
        let throttled = try await client.post(fake.endpointURL, headers: [("Authorization", "Bearer \(token)")], json: #"{"message":"x"}"#)
        #expect(throttled.status == 400)
        #expect(throttled.errorCode == 32)
        let usage = try #require(throttled.header("X-Business-Use-Case-Usage"))
        let entries = try #require(
            (try? JSONSerialization.jsonObject(with: Data(usage.utf8)) as? [String: [[String: Any]]])?[page]
        )
        #expect(entries.first?["estimated_time_to_regain_access"] as? Int == 2)
        #expect(entries.first?["call_count"] as? Int == 100)
        let expired = try await client.post(fake.endpointURL, headers: [("Authorization", "Bearer \(token)")], json: #"{"message":"x"}"#)
        #expect(expired.errorCode == 190)
        #expect((expired.json["error"] as? [String: Any])?["error_subcode"] as? Int == 463)
        #expect(try fake.posts().count == 2)
    }

    // MARK: LinkedIn

    @Test func linkedInNeedsAnActiveVersionTheRestliHeaderAndTheSchema() async throws {
        let fake = try await SocialFake(.init(network: "linkedin", credentials: ["versions": "202611,202610"], script: ["ok", "throttle"]))
        let client = Client()
        defer { client.shutdown() }
        let token = try #require(fake.credential("token"))
        let author = try #require(fake.credential("author"))
        let all = [("Authorization", "Bearer \(token)"), ("LinkedIn-Version", "202611"), ("X-Restli-Protocol-Version", "2.0.0")]
        func without(_ name: String, _ extra: [(String, String)] = []) -> [(String, String)] { all.filter { $0.0 != name } + extra }
        let body = linkedInPost(author: author)
        let created = try await client.post(fake.endpointURL, headers: all, json: body)
        #expect(created.status == 201)
        #expect(created.body.isEmpty)
        #expect(created.header("x-restli-id")?.hasPrefix("urn:li:share:") == true)
        let noVersion = try await client.post(fake.endpointURL, headers: without("LinkedIn-Version"), json: body)
        #expect(noVersion.status == 426)
        #expect(noVersion.json["code"] as? String == "NONEXISTENT_VERSION")
        let oldVersion = try await client.post(fake.endpointURL, headers: without("LinkedIn-Version", [("LinkedIn-Version", "202501")]), json: body)
        #expect(oldVersion.status == 426)
        #expect(oldVersion.json["message"] as? String == "Requested version 202501 is not active")
        let noRestli = try await client.post(fake.endpointURL, headers: without("X-Restli-Protocol-Version"), json: body)
        #expect(noRestli.status == 400)
        let badToken = try await client.post(fake.endpointURL, headers: without("Authorization", [("Authorization", "Bearer old")]), json: body)
        #expect(badToken.status == 401)
        #expect(badToken.json["code"] as? String == "INVALID_ACCESS_TOKEN")
        #expect(badToken.json["serviceErrorCode"] as? Int == 65600)
        let connections = try await client.post(
            fake.endpointURL, headers: all, json: body.replacingOccurrences(of: #""visibility":"PUBLIC""#, with: #""visibility":"CONNECTIONS""#)
        )
        #expect(connections.status == 422)
        let otherAuthor = try await client.post(fake.endpointURL, headers: all, json: linkedInPost(author: "urn:li:organization:9"))
        #expect(otherAuthor.status == 422)
        let throttled = try await client.post(fake.endpointURL, headers: all, json: body)
        #expect(throttled.status == 429)
        #expect(throttled.header("Retry-After") == nil)
        #expect(!throttled.headers.contains { $0.name.lowercased().contains("reset") })
        #expect(throttled.header("Date") != nil)
        #expect(try fake.requests().map(\.verdict) == ["created", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected", "scripted"])
    }

    // MARK: Silence

    @Test func silenceTimesOutButThePostWasCreatedAndTheIdempotentRetryFindsIt() async throws {
        let fake = try await SocialFake(.init(network: "mastodon", script: ["silence"], silenceSeconds: 5))
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let headers = [
            HTTPHeader("Authorization", "Bearer \(fake.credential("token") ?? "")"), HTTPHeader("Content-Type", "application/json"),
            HTTPHeader("Idempotency-Key", "delivery-7"),
        ]
        let request = HTTPRequest(url: fake.endpointURL, headers: headers, body: Array(#"{"status":"lost answer"}"#.utf8), timeout: 1, connectTimeout: 1)
        guard case .failure(let error) = await engine.send(request) else {
            Issue.record("expected a timeout")
            return
        }
        #expect(error.code == .timeout)
        #expect(error.requestMayHaveArrived)
        let posts = try fake.posts()
        #expect(posts.count == 1)
        #expect(posts.first?.status == nil)
        #expect(posts.first?.reply == "silence")
        let id = try #require(posts.first?.postID)
        let retry = try await engine.send(HTTPRequest(url: fake.endpointURL, headers: headers, body: Array(#"{"status":"lost answer"}"#.utf8))).get()
        #expect(retry.status == 200)
        #expect(retry.json["id"] as? String == id)
        #expect(try fake.requests().map(\.verdict) == ["created", "duplicate"])
    }

    @Test func silenceOnXCreatesThePostSoTheBlindRetryIsDuplicateContent() async throws {
        let fake = try await SocialFake(.init(network: "x", script: ["silence"], silenceSeconds: 5))
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let body = #"{"text":"sent once"}"#
        func request(timeout: TimeInterval) throws -> HTTPRequest {
            HTTPRequest(
                url: fake.endpointURL,
                headers: [HTTPHeader("Authorization", try fake.xAuthorization(body: body)), HTTPHeader("Content-Type", "application/json")],
                body: Array(body.utf8), timeout: timeout, connectTimeout: 1
            )
        }
        guard case .failure(let error) = await engine.send(try request(timeout: 1)) else {
            Issue.record("expected a timeout")
            return
        }
        #expect(error.code == .timeout)
        #expect(try fake.posts().count == 1)
        let retry = try await engine.send(try request(timeout: 10)).get()
        #expect(retry.status == 403)
        #expect((retry.json["detail"] as? String)?.contains("duplicate content") == true)
    }
}

// MARK: - Helpers

/// One engine per test, with the few request shapes the tests need.
private struct Client {
    let engine = CurlEngine()

    func shutdown() { engine.shutdown() }

    /// A POST with a JSON body (Content-Type added unless given).
    func post(_ url: String, headers: [(String, String)] = [], json: String) async throws -> HTTPResponse {
        let contentType = headers.contains { $0.0.lowercased() == "content-type" } ? [] : [("Content-Type", "application/json")]
        return try await post(url, headers: contentType + headers, body: json)
    }

    func post(_ url: String, headers: [(String, String)], body: String) async throws -> HTTPResponse {
        try await engine.send(HTTPRequest(url: url, headers: headers.map { HTTPHeader($0.0, $0.1) }, body: Array(body.utf8), timeout: 10)).get()
    }

    /// Logs in to a Bluesky fake with its credentials and returns the access token.
    func session(_ fake: SocialFake) async throws -> String {
        let body = #"{"identifier":"\#(fake.credential("identifier") ?? "")","password":"\#(fake.credential("password") ?? "")"}"#
        let response = try await post(fake.url("/xrpc/com.atproto.server.createSession"), json: body)
        return try #require(response.json["accessJwt"] as? String)
    }
}

extension HTTPResponse {
    fileprivate var text: String { String(decoding: body, as: UTF8.self) }
    fileprivate var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:] }
    /// Facebook's `error.code`.
    fileprivate var errorCode: Int? { (json["error"] as? [String: Any])?["code"] as? Int }
}

private func jsonText(_ object: Any) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    return String(decoding: data, as: UTF8.self)
}

private func adaptiveCard(_ text: String) -> String {
    let card: [String: Any] = [
        "type": "message",
        "attachments": [
            [
                "contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": NSNull(),
                "content": [
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
                    "body": [["type": "TextBlock", "text": text, "wrap": true] as [String: Any]],
                ] as [String: Any],
            ] as [String: Any]
        ],
    ]
    return jsonText(card)
}

private func blueskyRecord(_ did: String, text: String, facets: [[String: Any]]? = nil) -> String {
    var record: [String: Any] = ["$type": "app.bsky.feed.post", "text": text, "createdAt": "2026-01-02T03:04:05.000Z", "langs": ["en"]]
    if let facets { record["facets"] = facets }
    return jsonText(["repo": did, "collection": "app.bsky.feed.post", "record": record] as [String: Any])
}

private func linkFacet(_ start: Int, _ end: Int, _ uri: String) -> [String: Any] {
    ["index": ["byteStart": start, "byteEnd": end], "features": [["$type": "app.bsky.richtext.facet#link", "uri": uri]]]
}

private func linkedInPost(author: String) -> String {
    #"{"author":"\#(author)","commentary":"Review published","visibility":"PUBLIC","distribution":{"feedDistribution":"MAIN_FEED","targetEntities":[],"thirdPartyDistributionChannels":[]},"lifecycleState":"PUBLISHED","isReshareDisabledByAuthor":false}"#
}

private func matches(_ value: String?, _ pattern: String) -> Bool {
    guard let value, let regex = try? Regex(pattern) else { return false }
    return value.wholeMatch(of: regex) != nil
}

/// `2026-01-01T12:05:00.000000Z` (Mastodon's reset), to the second.
private func isoDate(_ value: String?) -> Date? {
    guard let value, value.count >= 20 else { return nil }
    return ISO8601DateFormatter().date(from: String(value.prefix(19)) + "Z")
}

/// An IMF-fixdate `Date` header.
private func httpDate(_ value: String?) -> Date? {
    guard let value else { return nil }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    return formatter.date(from: value)
}
