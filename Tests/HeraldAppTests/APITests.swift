import Foundation
import HTTPTypes
import HeraldAPI
import HeraldApp
import HeraldRules
import HeraldServices
import HeraldTesting
import Hummingbird
import HummingbirdTesting
import Testing

/// The HTTP API over real HTTP: each route with each role allowed and refused, every refusal a problem document,
/// and the same gates as the command line (docs/api.md).
@Suite struct APITests {
    static let notice = #"{"channel":"partners","kind":"notice","data":{"reference":"R-1"}}"#

    @Test func healthReadinessAndTheDocumentNeedNoToken() async throws {
        let fixture = try await APIFixture()
        try await fixture.run { client in
            #expect(try await client.call(.get, "/healthz").json["status"] as? String == "ok")
            #expect(try await client.call(.get, "/readyz").json["status"] as? String == "ready")
            let document = try await client.call(.get, "/openapi.json")
            #expect(document.status == .ok && document.json["openapi"] as? String == "3.1.0")
        }
    }

    @Test func noTokenABadTokenAndARevokedTokenAre401WithAProblem() async throws {
        let fixture = try await APIFixture()
        let revoked = try await fixture.context.tokens.create(name: "gone", roles: ["operator"], actor: "test", now: Date())
        try await fixture.context.tokens.revoke(name: "gone", actor: "test", now: Date())
        try await fixture.run { client in
            for token in [nil, "herald_not-a-real-token", "Basic abc", revoked] {
                let reply = try await client.call(.get, "/v1/messages", token: token)
                #expect(reply.status == .unauthorized, "\(token ?? "none")")
                #expect(reply.isProblem, "\(reply.text)")
                #expect(reply.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
        }
    }

    /// Each route's roles, allowed and refused, for every `/v1` route the router has (the list is checked against it):
    /// a role let through may still be refused by the route itself (no such message), but never with 401 or 403.
    @Test func eachRoleIsAllowedOnlyItsRoutes() async throws {
        let fixture = try await APIFixture()
        let id = "01890000-0000-7000-8000-000000000000"
        let everyone: Set<String> = ["planner", "ops", "approver", "audit"]
        let routes: [(HTTPRequest.Method, String, String?, Set<String>)] = [
            (.post, "/v1/messages", Self.notice, ["planner"]),
            (.post, "/v1/messages/batch", "{\"messages\":[\(Self.notice)]}", ["planner"]),
            (.get, "/v1/messages", nil, ["ops", "approver", "audit"]),
            (.post, "/v1/messages/retry", #"{"state":"dead"}"#, ["ops"]),
            (.get, "/v1/messages/\(id)", nil, ["ops", "approver", "audit"]),
            (.post, "/v1/messages/\(id)/retry", nil, ["ops"]),
            (.post, "/v1/messages/\(id)/cancel", nil, ["ops"]),
            (.post, "/v1/messages/\(id)/resolve", #"{"url":"https://example.test/post/1"}"#, ["ops"]),
            (.get, "/v1/approvals", nil, ["approver", "ops"]),
            (.post, "/v1/approvals/\(id)", nil, ["approver"]),
            (.post, "/v1/reviews", "{}", ["planner"]),
            (.get, "/v1/reviews/R-1", nil, everyone),
            (.post, "/v1/reviews/R-1/reschedule", #"{"publish":"2029-03-05"}"#, ["planner"]),
            (.post, "/v1/reviews/R-1/hold", #"{"reason":"investigation"}"#, ["planner", "ops"]),
            (.post, "/v1/reviews/R-1/clear", nil, ["planner", "ops"]),
            (.post, "/v1/reviews/R-1/publish", nil, ["planner"]),
            (.get, "/v1/reviews/R-1/holding-statement", nil, ["planner", "ops"]),
            (.post, "/v1/reviews/R-1/press-release", nil, ["planner"]),
            (.post, "/v1/reviews/R-1/cancel", nil, ["planner"]),
            (.post, "/v1/campaigns/preview", #"{"campaign":"c","posts":[]}"#, ["planner"]),
            (.post, "/v1/campaigns", #"{"campaign":"c","posts":[]}"#, ["planner"]),
            (.get, "/v1/channels", nil, ["ops"]),
            (.post, "/v1/audit/verify", nil, ["audit"]),
        ]
        let served = Set(try APIServer.router(services: try fixture.context.apiServices()).routes.map { "\($0.method) \($0.path)" })
        let listed = Set(routes.map { method, uri, _, _ in
            "\(method) " + uri.replacingOccurrences(of: id, with: "{id}").replacingOccurrences(of: "R-1", with: "{reference}")
        })
        #expect(served.filter { $0.contains("/v1/") } == listed)
        try await fixture.run { client in
            let tokens = ["planner": fixture.scheduler, "ops": fixture.operatorToken, "approver": fixture.approver, "audit": fixture.auditor]
            for (method, uri, body, allowed) in routes {
                let anonymous = try await client.call(method, uri, json: body)
                #expect(anonymous.status == .unauthorized && anonymous.isProblem, "\(method) \(uri) without a token: \(anonymous.status)")
                for (name, token) in tokens {
                    let reply = try await client.call(method, uri, token: token, json: body)
                    if allowed.contains(name) {
                        #expect(![.unauthorized, .forbidden].contains(reply.status), "\(name) refused \(method) \(uri): \(reply.text)")
                        #expect(reply.status.code < 500, "\(name) \(method) \(uri): \(reply.text)")
                    } else {
                        #expect(reply.status == .forbidden, "\(name) was let through \(method) \(uri): \(reply.status)")
                        #expect(reply.isProblem && (reply.json["detail"] as? String)?.contains(name) == true, "\(reply.text)")
                    }
                }
            }
        }
    }

    @Test func aDedupeKeyTwiceStoresOneMessage() async throws {
        let fixture = try await APIFixture()
        try await fixture.run { client in
            let body = #"{"channel":"partners","kind":"notice","data":{"reference":"R-1"},"dedupe_key":"briefing-7"}"#
            let first = try await client.call(.post, "/v1/messages", token: fixture.scheduler, json: body)
            let second = try await client.call(.post, "/v1/messages", token: fixture.scheduler, json: body)
            #expect(first.status == .created && second.status == .ok)
            #expect(first.json["ids"] as? [String] == second.json["ids"] as? [String])
            #expect(second.json["deduplicated"] as? Bool == true)
            let listed = try await client.call(.get, "/v1/messages", token: fixture.operatorToken)
            #expect((listed.json["messages"] as? [Any])?.count == 1)
        }
    }

    /// Bad bodies: each refused with its status and a problem naming where; nothing stored.
    @Test func badBodiesAreRefusedWithTheirStatusAndPlace() async throws {
        var limits = APILimits()
        limits.bodyBytes = 4096
        limits.batchMessages = 3
        let fixture = try await APIFixture(limits: limits)
        try await fixture.run { client in
            let cases: [(String, String, HTTPResponse.Status, String?)] = [
                ("{\"channel\":", "application/json", .badRequest, ""),
                ("[1,2]", "application/json", .unprocessableContent, ""),
                (#"{"channel":"partners","kind":"notice","dat":{}}"#, "application/json", .unprocessableContent, "/dat"),
                (#"{"channel":"partners","kind":"notice","data":"text"}"#, "application/json", .unprocessableContent, "/data"),
                (#"{"kind":"notice"}"#, "application/json", .unprocessableContent, "/channel"),
                (#"{"channel":"nowhere","kind":"notice"}"#, "application/json", .notFound, nil),
                (#"{"channel":"partners","kind":"notice","data":{"reference":"R-1"},"at":"yesterday"}"#, "application/json", .unprocessableContent, nil),
                (Self.notice, "text/plain", .unsupportedMediaType, nil),
                ("{\"channel\":\"partners\",\"kind\":\"notice\",\"data\":{\"pad\":\"\(String(repeating: "x", count: 5000))\"}}", "application/json",
                 .contentTooLarge, nil),
            ]
            for (body, type, status, pointer) in cases {
                let reply = try await client.call(.post, "/v1/messages", token: fixture.scheduler, json: body, contentType: type)
                #expect(reply.status == status, "\(body.prefix(60)): \(reply.status) \(reply.text)")
                #expect(reply.isProblem, "\(reply.text)")
                if let pointer { #expect(reply.json["pointer"] as? String == pointer, "\(body.prefix(60)): \(reply.text)") }
            }
            let four = "{\"messages\":[\(Array(repeating: Self.notice, count: 4).joined(separator: ","))]}"
            let tooMany = try await client.call(.post, "/v1/messages/batch", token: fixture.scheduler, json: four)
            #expect(tooMany.status == .unprocessableContent && tooMany.json["pointer"] as? String == "/messages", "\(tooMany.text)")
            // One bad message refuses the whole batch, naming it.
            let mixed = "{\"messages\":[\(Self.notice),{\"channel\":\"nowhere\",\"kind\":\"notice\"}]}"
            let refused = try await client.call(.post, "/v1/messages/batch", token: fixture.scheduler, json: mixed)
            #expect(refused.status == .notFound, "\(refused.text)")
            let listed = try await client.call(.get, "/v1/messages", token: fixture.operatorToken)
            #expect((listed.json["messages"] as? [Any])?.isEmpty == true, "a refused request stored something: \(listed.text)")
        }
    }

    @Test func pagesFollowTheCursorAndBadParametersAreRefused() async throws {
        let fixture = try await APIFixture()
        try await fixture.run { client in
            let batch = "{\"messages\":[\(Array(repeating: Self.notice, count: 5).joined(separator: ","))]}"
            let stored = try await client.call(.post, "/v1/messages/batch", token: fixture.scheduler, json: batch)
            #expect(stored.status == .created, "\(stored.text)")
            var seen: [String] = []
            var uri = "/v1/messages?limit=2&state=scheduled"
            while true {
                let page = try await client.call(.get, uri, token: fixture.operatorToken)
                #expect(page.status == .ok, "\(page.text)")
                seen += (page.json["messages"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                guard let cursor = page.json["next_cursor"] as? String else { break }
                uri = "/v1/messages?limit=2&state=scheduled&cursor=\(cursor)"
            }
            #expect(seen.count == 5 && Set(seen).count == 5 && seen == seen.sorted(by: >), "\(seen)")
            for bad in ["limit=0", "limit=501", "limit=x", "state=lost", "since=yesterday", "cursor=nope", "colour=red"] {
                let reply = try await client.call(.get, "/v1/messages?\(bad)", token: fixture.operatorToken)
                #expect(reply.status == .unprocessableContent && reply.isProblem, "\(bad): \(reply.status) \(reply.text)")
            }
        }
    }

    /// Retry, cancel and resolve keep the lifecycle's gates: a refused move is a 409 that says why.
    @Test func operatorActionsFollowTheLifecycle() async throws {
        let fixture = try await APIFixture()
        try await fixture.run { client in
            let stored = try await client.call(.post, "/v1/messages", token: fixture.scheduler, json: Self.notice)
            let id = try #require((stored.json["ids"] as? [String])?.first)
            let shown = try await client.call(.get, "/v1/messages/\(id)", token: fixture.auditor)
            #expect((shown.json["message"] as? [String: Any])?["state"] as? String == "scheduled")
            #expect((shown.json["content"] as? [String: String])?["subject"] == "Review R-1")

            let early = try await client.call(.post, "/v1/messages/\(id)/retry", token: fixture.operatorToken)
            #expect(early.status == .conflict && early.isProblem, "\(early.text)")
            let cancelled = try await client.call(.post, "/v1/messages/\(id)/cancel", token: fixture.operatorToken)
            #expect(cancelled.status == .ok && cancelled.json["state"] as? String == "cancelled", "\(cancelled.text)")
            let again = try await client.call(.post, "/v1/messages/\(id)/cancel", token: fixture.operatorToken)
            #expect(again.status == .conflict, "\(again.text)")
            let resolved = try await client.call(.post, "/v1/messages/\(id)/resolve", token: fixture.operatorToken, json: #"{"url":"https://x.example/1"}"#)
            #expect(resolved.status == .conflict, "only an unconfirmed post is resolved: \(resolved.text)")
            let retried = try await client.call(.post, "/v1/messages/\(id)/retry", token: fixture.operatorToken)
            #expect(retried.status == .ok && retried.json["state"] as? String == "scheduled", "\(retried.text)")
            let missing = try await client.call(.post, "/v1/messages/01932f6e-1c2a-7b3c-8d4e-5f6a7b8c9d0e/retry", token: fixture.operatorToken)
            #expect(missing.status == .notFound && missing.isProblem)

            // The token's name is the actor in the audit trail.
            let events = try await client.call(.get, "/v1/messages/\(id)", token: fixture.auditor).json["events"] as? [[String: Any]] ?? []
            #expect(events.contains { ($0["detail"] as? String)?.contains("by token ops") == true }, "\(events)")
            let verified = try await client.call(.post, "/v1/audit/verify", token: fixture.auditor)
            #expect(verified.json["intact"] as? Bool == true, "\(verified.text)")
        }
    }

    /// The OpenAPI document names every route the server has, and no other.
    @Test func theDocumentNamesEveryRoute() async throws {
        let fixture = try await APIFixture()
        let router = APIServer.router(services: try fixture.context.apiServices())
        let served = Set(router.routes.map { route in
            "\(route.method.rawValue.lowercased()) /" + route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
                .joined(separator: "/")
        })
        let text = try await fixture.run { client in try await client.call(.get, "/openapi.json").text }
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, methods in methods.keys.map { "\($0) \(path)" } })
        #expect(served == documented, "served but not documented: \(served.subtracting(documented)); documented but not served: \(documented.subtracting(served))")
    }

    /// A token over its rate is answered 429 with when to come back; another token is not held up by it. The rate is
    /// three a minute, so the test cannot outrun the refill however slow the machine.
    @Test func aTokenOverItsRateIsAnswered429() async throws {
        var limits = APILimits()
        limits.tokenRate = RateLimit(count: 3, per: 60)
        let fixture = try await APIFixture(limits: limits)
        try await fixture.run { client in
            for _ in 0..<3 { #expect(try await client.call(.get, "/v1/messages", token: fixture.operatorToken).status == .ok) }
            let refused = try await client.call(.get, "/v1/messages", token: fixture.operatorToken)
            #expect(refused.status == .tooManyRequests && refused.isProblem, "\(refused.text)")
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try await client.call(.get, "/v1/messages", token: fixture.auditor).status == .ok)
        }
    }
}

