import Foundation
import HTTPTypes
import HeraldAPI
import HeraldApp
import HeraldCore
import HeraldServices
import HeraldTesting
import Hummingbird
import HummingbirdTesting
import Testing

/// The API's workflows over real HTTP and a real store: approvals under four eyes, a review planned and moved through
/// its gates, a campaign previewed and loaded, channel state, bulk retry, the list's filters, and every mutating call
/// audited under the token's name (docs/api.md).
@Suite struct APIWorkflowTests {
    /// Channels and audiences enough for a review (every audience on the webhook channel, so no SMTP is needed) and a
    /// campaign (a Mastodon channel that is never reached: nothing here is delivered).
    static let yaml = """
          social:
            type: mastodon
            url: http://127.0.0.1:9
            token: not-a-real-token
        planner:
          bank_holidays: \(APIFixture.root.appendingPathComponent("data/bank-holidays.json").path)
          partnership: Northshire Safeguarding Partnership
        audiences:
          practitioners: { channel: partners }
          comms_partners: { channel: partners }
          comms_organisations: { channel: partners }
          national_panel: { channel: partners }
          media: { channel: partners }
        approvers: ["Business Manager"]
        """

    static let campaign = """
        {"campaign": "awareness-week", "timezone": "Europe/London", "posts": [
          {"name": "launch", "networks": ["social"], "at": "2099-11-16 09:00", "text": "Safeguarding Awareness Week starts today"}
        ]}
        """

    static func review(_ reference: String, dryRun: Bool = false) -> String {
        """
        {"type": "SAR", "reference": "\(reference)", "title": "Adult B", "signed_off": "2029-01-08", "publish": "2029-03-05", "dry_run": \(dryRun)}
        """
    }

    @Test func aCampaignPostCannotBeApprovedByTheTokenThatLoadedIt() async throws {
        let fixture = try await APIFixture(extraYAML: Self.yaml, projectTemplates: true)
        let both = try await fixture.context.tokens.create(name: "both", roles: ["scheduler", "approver"], actor: "test", now: Date())
        try await fixture.run { client in
            let preview = try await client.call(.post, "/v1/campaigns/preview", token: fixture.scheduler, json: Self.campaign)
            #expect(preview.status == .ok, "\(preview.text)")
            #expect(((preview.json["posts"] as? [[String: Any]])?.first?["fits"] as? Bool) == true)

            let loaded = try await client.call(.post, "/v1/campaigns", token: both, json: Self.campaign)
            #expect(loaded.status == .created, "\(loaded.text)")
            let id = try #require(((loaded.json["posts"] as? [[String: Any]])?.first?["ids"] as? [String])?.first)
            let again = try await client.call(.post, "/v1/campaigns", token: both, json: Self.campaign)
            #expect(again.status == .ok && ((again.json["posts"] as? [[String: Any]])?.first?["already_loaded"] as? Bool) == true)

            let waiting = try await client.call(.get, "/v1/approvals", token: fixture.approver)
            let groups = try #require(waiting.json["groups"] as? [[String: Any]])
            #expect(groups.count == 1 && groups[0]["requested_by"] as? String == "token both", "\(waiting.text)")

            let refused = try await client.call(.post, "/v1/approvals/\(id)", token: both)
            #expect(refused.status == .conflict && refused.isProblem, "\(refused.text)")
            #expect((refused.json["type"] as? String)?.hasSuffix("/four_eyes") == true, "\(refused.text)")
            #expect(try await client.call(.get, "/v1/messages/\(id)", token: fixture.operatorToken).json["message"] != nil)

            let approved = try await client.call(.post, "/v1/approvals/\(id)", token: fixture.approver)
            #expect(approved.status == .ok && approved.json["approved_by"] as? String == "token approver", "\(approved.text)")
            #expect((approved.json["released"] as? [String]) == [id])
            let twice = try await client.call(.post, "/v1/approvals/\(id)", token: fixture.approver)
            #expect(twice.status == .conflict && twice.isProblem)
            #expect((try await client.call(.get, "/v1/approvals", token: fixture.approver).json["groups"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func aBadCampaignIsRefusedWithWhereAndNothingStored() async throws {
        let fixture = try await APIFixture(extraYAML: Self.yaml, projectTemplates: true)
        try await fixture.run { client in
            let unknownChannel = Self.campaign.replacingOccurrences(of: "[\"social\"]", with: "[\"nowhere\"]")
            let refused = try await client.call(.post, "/v1/campaigns", token: fixture.scheduler, json: unknownChannel)
            #expect(refused.status == .notFound && (refused.json["detail"] as? String)?.contains("nowhere") == true, "\(refused.text)")
            let past = Self.campaign.replacingOccurrences(of: "2099-11-16", with: "2001-11-16")
            #expect(try await client.call(.post, "/v1/campaigns", token: fixture.scheduler, json: past).status == .unprocessableContent)
            let noPosts = try await client.call(.post, "/v1/campaigns", token: fixture.scheduler, json: #"{"campaign": "x"}"#)
            #expect(noPosts.status == .unprocessableContent && noPosts.isProblem, "\(noPosts.text)")
            #expect(try await client.call(.post, "/v1/campaigns", token: fixture.scheduler, json: "[1,").status == .badRequest)
            #expect(try await client.call(.post, "/v1/campaigns", token: fixture.scheduler, json: "x", contentType: "text/plain").status == .unsupportedMediaType)
            #expect((try await client.call(.get, "/v1/messages", token: fixture.operatorToken).json["messages"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func aReviewIsPlannedHeldClearedAndCancelledThroughItsGates() async throws {
        let fixture = try await APIFixture(extraYAML: Self.yaml, projectTemplates: true)
        try await fixture.run { client in
            let dry = try await client.call(.post, "/v1/reviews", token: fixture.scheduler, json: Self.review("SAR/2099-1", dryRun: true))
            #expect(dry.status == .ok && (dry.json["steps"] as? [Any])?.isEmpty == false, "\(dry.text)")
            #expect(try await client.call(.get, "/v1/reviews/SAR%2F2099-1", token: fixture.operatorToken).status == .notFound)

            let planned = try await client.call(.post, "/v1/reviews", token: fixture.scheduler, json: Self.review("SAR/2099-1"))
            #expect(planned.status == .created, "\(planned.text)")
            let again = try await client.call(.post, "/v1/reviews", token: fixture.scheduler, json: Self.review("SAR/2099-1"))
            #expect(again.status == .conflict && again.isProblem)

            let status = try await client.call(.get, "/v1/reviews/SAR%2F2099-1", token: fixture.auditor)
            #expect(status.status == .ok && status.json["ready"] as? Bool == false, "\(status.text)")
            let publish = try await client.call(.post, "/v1/reviews/SAR%2F2099-1/publish", token: fixture.scheduler)
            #expect(publish.status == .conflict && (publish.json["detail"] as? String)?.contains("not ready") == true, "\(publish.text)")
            let press = try await client.call(.post, "/v1/reviews/SAR%2F2099-1/press-release", token: fixture.scheduler)
            #expect(press.status == .conflict, "\(press.text)")
            let statement = try await client.call(.get, "/v1/reviews/SAR%2F2099-1/holding-statement", token: fixture.scheduler)
            #expect(statement.status == .ok && !statement.json.isEmpty, "\(statement.text)")

            let noReason = try await client.call(.post, "/v1/reviews/SAR%2F2099-1/hold", token: fixture.operatorToken, json: #"{"reason": " "}"#)
            #expect(noReason.status == .unprocessableContent)
            let held = try await client.call(.post, "/v1/reviews/SAR%2F2099-1/hold", token: fixture.operatorToken, json: #"{"reason": "criminal investigation"}"#)
            #expect(held.status == .ok && (held.json["messages"] as? [String])?.isEmpty == false, "\(held.text)")
            let heldPage = try await client.call(.get, "/v1/messages?review=SAR/2099-1&state=held", token: fixture.operatorToken)
            #expect((heldPage.json["messages"] as? [Any])?.count == (held.json["messages"] as? [String])?.count, "\(heldPage.text)")

            let moved = try await client.call(.post, "/v1/reviews/SAR%2F2099-1/reschedule", token: fixture.scheduler, json: #"{"publish": "2029-04-16"}"#)
            #expect(moved.status == .ok, "\(moved.text)")
            let cleared = try await client.call(.post, "/v1/reviews/SAR%2F2099-1/clear", token: fixture.scheduler)
            #expect(cleared.status == .ok, "\(cleared.text)")
            let cancelled = try await client.call(.post, "/v1/reviews/SAR%2F2099-1/cancel", token: fixture.scheduler)
            #expect(cancelled.status == .ok && (cancelled.json["messages"] as? [String])?.count == (held.json["messages"] as? [String])?.count)
            let left = try await client.call(.get, "/v1/messages?review=SAR/2099-1&state=cancelled", token: fixture.operatorToken)
            #expect((left.json["messages"] as? [Any])?.count == (held.json["messages"] as? [String])?.count)

            let unknownField = try await client.call(.post, "/v1/reviews", token: fixture.scheduler, json: #"{"type": "SAR", "colour": 1}"#)
            #expect(unknownField.status == .unprocessableContent && unknownField.json["pointer"] as? String == "/colour")
            let badDate = Self.review("SAR-2").replacingOccurrences(of: "2029-03-05", with: "2029-02-30")
            #expect(try await client.call(.post, "/v1/reviews", token: fixture.scheduler, json: badDate).status == .unprocessableContent)
            #expect(try await client.call(.get, "/v1/reviews/%00bad", token: fixture.scheduler).status == .notFound)
        }
    }

    @Test func channelStateBulkRetryFiltersAndTheTokenInTheTrail() async throws {
        let fixture = try await APIFixture(extraYAML: Self.yaml, projectTemplates: true)
        try await fixture.run { client in
            let body = #"{"messages": [{"channel": "partners", "kind": "notice", "data": {"reference": "R-1"}}, {"channel": "partners", "kind": "notice", "data": {"reference": "R-2"}, "at": "+1h"}]}"#
            let enqueued = try await client.call(.post, "/v1/messages/batch", token: fixture.scheduler, json: body)
            #expect(enqueued.status == .created)
            let ids = ((enqueued.json["results"] as? [[String: Any]]) ?? []).compactMap { ($0["ids"] as? [String])?.first }
            #expect(ids.count == 2)

            let channels = try await client.call(.get, "/v1/channels", token: fixture.operatorToken)
            let partners = try #require((channels.json["channels"] as? [[String: Any]])?.first { $0["name"] as? String == "partners" })
            #expect(partners["queued"] as? Int == 2 && partners["due"] as? Int == 1 && partners["in_flight"] as? Int == 0, "\(channels.text)")
            #expect(partners["circuit_open"] as? Bool == false && partners["oldest_due"] is String)
            #expect(try await client.call(.get, "/v1/channels", token: fixture.scheduler).status == .forbidden)

            // The subject filter reads the rendered subject ("Review R-2"), without case.
            let bySubject = try await client.call(.get, "/v1/messages?subject=review%20r-2", token: fixture.operatorToken)
            #expect(((bySubject.json["messages"] as? [[String: Any]])?.map { $0["id"] as? String }) == [ids[1]], "\(bySubject.text)")
            let due = try await client.call(.get, "/v1/messages?due_before=\(RFC3339.format(Date().addingTimeInterval(60)))", token: fixture.operatorToken)
            #expect(((due.json["messages"] as? [[String: Any]])?.map { $0["id"] as? String }) == [ids[0]], "\(due.text)")
            let twice = try await client.call(.get, "/v1/messages?state=dead&state=held", token: fixture.operatorToken)
            #expect(twice.status == .unprocessableContent)

            for id in ids { #expect(try await client.call(.post, "/v1/messages/\(id)/cancel", token: fixture.operatorToken).status == .ok) }
            let noState = try await client.call(.post, "/v1/messages/retry", token: fixture.operatorToken, json: #"{"channel": "partners"}"#)
            #expect(noState.status == .unprocessableContent && noState.isProblem)
            let notRetryable = try await client.call(.post, "/v1/messages/retry", token: fixture.operatorToken, json: #"{"state": "delivered"}"#)
            #expect(notRetryable.status == .unprocessableContent)
            let retried = try await client.call(.post, "/v1/messages/retry", token: fixture.operatorToken, json: #"{"state": "cancelled", "channel": "partners"}"#)
            #expect(retried.status == .ok && retried.json["scheduled"] as? Int == 2, "\(retried.text)")
            #expect(try await client.call(.post, "/v1/messages/retry", token: fixture.scheduler, json: #"{"state": "cancelled"}"#).status == .forbidden)

            let detail = try await client.call(.get, "/v1/messages/\(ids[0])", token: fixture.auditor)
            let events = ((detail.json["events"] as? [[String: Any]]) ?? []).map { "\($0["event"] ?? "") \($0["detail"] ?? "")" }
            #expect(events.contains { $0.hasPrefix("enqueued") && $0.contains("by token planner") }, "\(events)")
            #expect(events.contains { $0.hasPrefix("cancelled") && $0.contains("by token ops") }, "\(events)")
            #expect(events.contains { $0.contains("by token ops") && $0.contains("retr") }, "\(events)")
        }
    }
}
