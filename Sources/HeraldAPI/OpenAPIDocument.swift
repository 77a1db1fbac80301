import Foundation
import HeraldCore

/// The API's OpenAPI 3.1 description, served at `/openapi.json`. Built here beside the routes, from one helper per
/// kind of operation so every route lists the same problem answers: `APITests` fails when a route is missing from it
/// (or it names one that does not exist), and `.ci/run` fuzzes the server against it with schemathesis.
enum OpenAPIDocument {
    static let json: String = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(document)) ?? Data("{}".utf8), as: UTF8.self)
    }()

    static var document: JSONValue {
        .object([
            "openapi": "3.1.0",
            "info": .object([
                "title": "Herald API", "version": "1",
                "description": .string(
                    "Enqueue, inspect and act on messages, reviews and campaigns through the same services as the herald command line. Every /v1 "
                        + "route needs Authorization: Bearer <token> (herald token create). Errors are application/problem+json (RFC 9457). See docs/api.md."
                ),
            ]),
            "servers": [.object(["url": "/"])],
            "security": [.object(["bearer": []])],
            "paths": .object(paths),
            "components": components,
        ])
    }

    // MARK: Paths

    static var paths: [String: JSONValue] {
        let message = [parameter("id", "A message id.")]
        let review = [parameter("reference", "A review reference; percent-encode a '/'.")]
        return [
            "/healthz": .object(["get": open("The process answers.", ok: ref("Status"))]),
            "/readyz": .object(["get": open("The database can be read and written and the configuration is loaded.", ok: ref("Status"), problems: [503])]),
            "/openapi.json": .object(["get": open("This document.", ok: .object(["type": "object"]))]),
            "/metrics": .object(["get": open("Prometheus text format: messages, deliveries, latencies, channel state, audit events.", ok: nil, text: true)]),
            "/v1/messages": .object([
                "get": operation(
                    "List messages, newest first, a page at a time (operator, approver, auditor).", parameters: filterParameters + [
                        query("limit", .object(["type": "integer", "minimum": 1, "maximum": 500, "default": 100])),
                        query("cursor", string, "next_cursor of the page before."),
                    ], ok: ref("Page")
                ),
                "post": operation(
                    "Enqueue one message (scheduler). The same dedupe_key again answers 200 with the first ids.", body: ref("EnqueueRequest"),
                    ok: ref("Enqueued"), created: true, problems: [404]
                ),
            ]),
            "/v1/messages/batch": .object([
                "post": operation(
                    "Enqueue a batch, all or nothing (scheduler).",
                    body: object(["messages": .object(["type": "array", "minItems": 1, "items": ref("EnqueueRequest")])], required: ["messages"]),
                    ok: ref("BatchEnqueued"), created: true, problems: [404]
                )
            ]),
            "/v1/messages/retry": .object([
                "post": operation(
                    "Retry every message matching a filter, state required, as one bounded operation (operator).", body: filterBody,
                    ok: object(
                        [
                            "scheduled": integer, "held": integer,
                            "refused": .object(["type": "array", "items": object(["id": string, "reason": string], required: ["id", "reason"])]),
                        ], required: ["scheduled", "held", "refused"]
                    )
                )
            ]),
            "/v1/messages/{id}": .object([
                "get": operation(
                    "One message with its content, attempts (the receivers' replies) and audit events (operator, approver, auditor).",
                    parameters: message, ok: ref("MessageDetail"), problems: [404]
                )
            ]),
            "/v1/messages/{id}/retry": .object([
                "post": operation("Send a dead, unconfirmed, expired or cancelled message again (operator); never past a gate.", parameters: message, ok: ref("Moved"), problems: [404, 409])
            ]),
            "/v1/messages/{id}/cancel": .object([
                "post": operation("Cancel a message that has not been sent (operator).", parameters: message, ok: ref("Moved"), problems: [404, 409])
            ]),
            "/v1/messages/{id}/resolve": .object([
                "post": operation(
                    "Record an unconfirmed post found by hand at url (operator): delivered, never sent again.", parameters: message,
                    body: object(["url": string], required: ["url"]), ok: ref("Moved"), problems: [404, 409]
                )
            ]),
            "/v1/approvals": .object([
                "get": operation(
                    "What waits for an approver, by group (approver, operator).",
                    ok: object(["groups": .object(["type": "array", "items": ref("PendingApproval")])], required: ["groups"])
                )
            ]),
            "/v1/approvals/{id}": .object([
                "post": operation(
                    "Approve the group of a held press release or campaign post (approver); refused to the token that loaded it (four eyes).",
                    parameters: message, ok: object(["approved_by": string, "released": strings], required: ["approved_by", "released"]), problems: [404, 409]
                )
            ]),
            "/v1/reviews": .object([
                "post": operation(
                    "Plan a review's whole timeline, or preview it with dry_run (scheduler).", body: ref("ReviewPlan"), ok: ref("Planned"), created: true,
                    problems: [409]
                )
            ]),
            "/v1/reviews/{reference}": .object([
                "get": operation("Where a review stands: every step and recipient, and what stands before publication.", parameters: review, ok: ref("ReviewStatus"), problems: [404])
            ]),
            "/v1/reviews/{reference}/reschedule": .object([
                "post": operation(
                    "Move every pending step to a new publication date (scheduler).", parameters: review,
                    body: object(["publish": string, "learning_event": string], required: ["publish"]), ok: ref("ReviewChanged"), problems: [404, 409]
                )
            ]),
            "/v1/reviews/{reference}/hold": .object([
                "post": operation(
                    "Hold every pending step, saying why (scheduler, operator).", parameters: review, body: object(["reason": string], required: ["reason"]),
                    ok: ref("ReviewChanged"), problems: [404, 409]
                )
            ]),
            "/v1/reviews/{reference}/clear": .object([
                "post": operation("Lift the hold (scheduler, operator).", parameters: review, ok: ref("ReviewChanged"), problems: [404, 409])
            ]),
            "/v1/reviews/{reference}/publish": .object([
                "post": operation(
                    "Record publication; refused while notices are undelivered unless force (scheduler).", parameters: review,
                    body: object(["force": boolean], required: []), bodyRequired: false, ok: ref("ReviewChanged"), problems: [404, 409]
                )
            ]),
            "/v1/reviews/{reference}/holding-statement": .object([
                "get": operation(
                    "The holding statement for media enquiries before publication, rendered, not sent (scheduler, operator).", parameters: review,
                    ok: .object(["type": "object", "additionalProperties": string]), problems: [404, 409]
                )
            ]),
            "/v1/reviews/{reference}/press-release": .object([
                "post": operation(
                    "Enqueue the press release of a published review, held until another token approves it (scheduler).", parameters: review,
                    body: object(["at": string], required: []), bodyRequired: false, ok: ref("ReviewChanged"), created: true, createdOnly: true,
                    problems: [404, 409]
                )
            ]),
            "/v1/reviews/{reference}/cancel": .object([
                "post": operation("Cancel the review and every message of it not yet sent (scheduler).", parameters: review, ok: ref("ReviewChanged"), problems: [404, 409])
            ]),
            "/v1/campaigns/preview": .object([
                "post": operation(
                    "Render every post of a campaign for every network and measure it; nothing is stored (scheduler).", body: ref("Campaign"),
                    yaml: true, ok: ref("CampaignPreview"), problems: [404]
                )
            ]),
            "/v1/campaigns": .object([
                "post": operation(
                    "Store every post of a campaign, held for approval, all or nothing (scheduler).", body: ref("Campaign"), yaml: true,
                    ok: ref("CampaignLoaded"), created: true, problems: [404]
                )
            ]),
            "/v1/channels": .object([
                "get": operation(
                    "Every channel's state: paused until when and why, circuit open, in flight, queue depth, oldest due (operator).",
                    ok: object(["channels": .object(["type": "array", "items": ref("Channel")])], required: ["channels"])
                )
            ]),
            "/v1/audit/verify": .object([
                "post": operation("Verify the audit trail (auditor), as herald audit verify does.", ok: ref("Verification"))
            ]),
        ]
    }

    static let filterNames: [(String, String)] = [
        ("state", "A state; required by a bulk retry."), ("channel", ""), ("kind", ""), ("review", "A review's reference."),
        ("group", "One enqueue's group id."), ("recipient", "An address, with or without a display name."), ("subject", "Text the subject contains."),
        ("since", "Created at or after (RFC 3339)."), ("until", "Created before (RFC 3339)."), ("due_from", "Due at or after (RFC 3339)."),
        ("due_before", "Due before (RFC 3339)."),
    ]

    static var filterParameters: [JSONValue] {
        filterNames.map { name, description in query(name, name == "state" ? ref("State") : string, description) }
    }

    static var filterBody: JSONValue {
        object(Dictionary(uniqueKeysWithValues: filterNames.map { ($0.0, $0.0 == "state" ? ref("State") : string) }), required: ["state"])
    }

    // MARK: Building blocks

    static let string: JSONValue = .object(["type": "string"])
    static let integer: JSONValue = .object(["type": "integer"])
    static let boolean: JSONValue = .object(["type": "boolean"])
    static let strings: JSONValue = .object(["type": "array", "items": string])
    static let nullableString: JSONValue = .object(["type": ["string", "null"]])

    static func ref(_ name: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/\(name)")]) }

    static func object(_ properties: [String: JSONValue], required: [String], closed: Bool = true) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "object", "properties": .object(properties), "required": .array(required.map(JSONValue.string))]
        if closed { schema["additionalProperties"] = false }
        return .object(schema)
    }

    static func parameter(_ name: String, _ description: String) -> JSONValue {
        .object(["name": .string(name), "in": "path", "required": true, "description": .string(description), "schema": string])
    }

    static func query(_ name: String, _ schema: JSONValue, _ description: String = "") -> JSONValue {
        var parameter: [String: JSONValue] = ["name": .string(name), "in": "query", "schema": schema]
        if !description.isEmpty { parameter["description"] = .string(description) }
        return .object(parameter)
    }

    static func json(_ schema: JSONValue, description: String) -> JSONValue {
        .object(["description": .string(description), "content": .object(["application/json": .object(["schema": schema])])])
    }

    /// An operation without a token: health, readiness, this document, metrics.
    static func open(_ summary: String, ok: JSONValue?, text: Bool = false, problems: [Int] = []) -> JSONValue {
        var responses: [String: JSONValue] = [:]
        if text {
            responses["200"] = .object(["description": "Metrics.", "content": .object(["text/plain": .object(["schema": string])])])
        } else if let ok {
            responses["200"] = json(ok, description: "OK.")
        }
        for code in problems { responses[String(code)] = ref(responses: "Problem") }
        return .object(["summary": .string(summary), "security": [], "responses": .object(responses)])
    }

    /// A `/v1` operation: the answers every such route may give (401, 403, 429; with a body also 400, 413, 415, 422)
    /// besides its own.
    static func operation(
        _ summary: String, parameters: [JSONValue] = [], body: JSONValue? = nil, bodyRequired: Bool = true, yaml: Bool = false, ok: JSONValue,
        created: Bool = false, createdOnly: Bool = false, problems: [Int] = []
    ) -> JSONValue {
        var responses: [String: JSONValue] = [:]
        if !createdOnly { responses["200"] = json(ok, description: created ? "Nothing new was stored, or a dry run." : "OK.") }
        if created { responses["201"] = json(ok, description: "Stored.") }
        var codes = [401, 403, 429] + problems
        if !parameters.isEmpty || body != nil { codes.append(422) }
        if body != nil { codes += [400, 413, 415] }
        for code in Set(codes) { responses[String(code)] = ref(responses: "Problem") }
        var operation: [String: JSONValue] = ["summary": .string(summary), "responses": .object(responses)]
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body {
            var content: [String: JSONValue] = ["application/json": .object(["schema": body])]
            if yaml { content["application/yaml"] = .object(["schema": string]) }
            operation["requestBody"] = .object(["required": .bool(bodyRequired), "content": .object(content)])
        }
        return .object(operation)
    }

    static func ref(responses name: String) -> JSONValue { .object(["$ref": .string("#/components/responses/\(name)")]) }
}
