import HeraldCore

/// The shapes the routes read and answer, as JSON Schema. Fields a route may leave out are not `required`; fields
/// written as JSON `null` (a review's status) say so.
extension OpenAPIDocument {
    static var components: JSONValue {
        [
            "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "description": "A token from herald token create."]],
            "responses": [
                "Problem": [
                    "description": "An error (RFC 9457).", "content": ["application/problem+json": ["schema": ref("Problem")]],
                ]
            ],
            "schemas": .object(schemas),
        ]
    }

    static var schemas: [String: JSONValue] {
        [
            "Problem": object(
                ["type": string, "title": string, "status": integer, "detail": string, "instance": string, "pointer": string],
                required: ["type", "title", "status", "detail"]
            ),
            "Status": object(["status": string], required: ["status"]),
            "State": .object(["type": "string", "enum": .array(MessageState.allCases.map { .string($0.rawValue) })]),
            "EnqueueRequest": object(
                [
                    "channel": string, "kind": string, "to": ["oneOf": [string, strings]], "template": string, "data": ["type": "object"],
                    "at": string, "deadline": string, "dedupe_key": string,
                ], required: ["channel", "kind"]
            ),
            "Enqueued": object(["group_id": string, "ids": strings, "deduplicated": boolean], required: ["group_id", "ids", "deduplicated"]),
            "BatchEnqueued": object(["results": ["type": "array", "items": ref("Enqueued")]], required: ["results"]),
            "Message": object(
                [
                    "id": string, "group_id": string, "state": ref("State"), "channel": string, "kind": string, "recipient": string, "not_before": string,
                    "deadline": string, "attempts": integer, "created_at": string, "post_url": string, "content_purged_at": string,
                    "recipient_purged_at": string,
                ], required: ["id", "group_id", "state", "channel", "kind", "recipient", "not_before", "attempts", "created_at"]
            ),
            "Page": object(["messages": ["type": "array", "items": ref("Message")], "next_cursor": string], required: ["messages"]),
            "MessageDetail": object(
                [
                    "message": ref("Message"), "content": ["type": "object", "additionalProperties": string],
                    "attempts": ["type": "array", "items": attempt], "events": ["type": "array", "items": event],
                ], required: ["message", "content", "attempts", "events"]
            ),
            "Moved": object(["id": string, "state": ref("State"), "held_by": string], required: ["id", "state"]),
            "Verification": object(
                ["intact": boolean, "events_checked": integer, "messages_checked": integer, "messages_purged": integer, "faults": strings],
                required: ["intact", "events_checked", "messages_checked", "messages_purged", "faults"]
            ),
            "PendingApproval": object(
                ["group_id": string, "requested_by": string, "review": string, "messages": ["type": "array", "items": ref("Message")]],
                required: ["group_id", "messages"]
            ),
            "ReviewPlan": object(
                [
                    "type": ["type": "string", "description": "SAR, CSPR or LLR, in any letter case."], "reference": string, "title": string, "signed_off": string,
                    "publish": string, "learning_event": string, "practitioners": strings, "criminal_investigation": boolean, "dry_run": boolean,
                ], required: ["type", "reference", "title", "signed_off", "publish"]
            ),
            "Planned": object(
                ["reference": string, "dry_run": boolean, "steps": ["type": "array", "items": timelineStep]], required: ["reference", "dry_run", "steps"]
            ),
            "ReviewStatus": object(
                [
                    "review": ["type": "object"], "steps": ["type": "array", "items": ["type": "object"]], "ready": boolean, "missing": strings,
                ], required: ["review", "steps", "ready", "missing"]
            ),
            "ReviewChanged": object(["reference": string, "messages": strings], required: ["reference", "messages"]),
            "Campaign": object(
                ["campaign": string, "timezone": string, "posts": ["type": "array", "items": ["type": "object"]]], required: ["campaign", "posts"]
            ),
            "CampaignPreview": object(["campaign": string, "posts": ["type": "array", "items": renderedPost]], required: ["campaign", "posts"]),
            "CampaignLoaded": object(
                [
                    "campaign": string,
                    "posts": [
                        "type": "array",
                        "items": object(
                            ["post": string, "group_id": string, "ids": strings, "already_loaded": boolean], required: ["post", "group_id", "ids", "already_loaded"]
                        ),
                    ],
                ], required: ["campaign", "posts"]
            ),
            "Channel": object(
                [
                    "name": string, "type": string, "paused_until": string, "pause_reason": string, "circuit_open": boolean, "in_flight": integer,
                    "queued": integer, "due": integer, "oldest_due": string, "oldest_due_age_seconds": ["type": "number"],
                ], required: ["name", "circuit_open", "in_flight", "queued", "due"]
            ),
        ]
    }

    static var attempt: JSONValue {
        object(
            [
                "number": integer, "started_at": string, "duration_ms": integer, "outcome": string, "status": integer, "detail": string,
                "worker": string, "post_id": string, "post_url": string,
            ], required: ["number", "started_at", "duration_ms", "outcome", "detail", "worker"]
        )
    }

    static var event: JSONValue {
        object(["seq": integer, "at": string, "event": string, "detail": string], required: ["seq", "at", "event", "detail"])
    }

    static var timelineStep: JSONValue {
        object(
            [
                "step": string, "date": string, "send_at": string, "audience": string, "channel": string, "recipients": strings, "state": string,
                "note": string,
            ], required: ["step", "date", "send_at", "audience", "channel", "recipients", "state"]
        )
    }

    static var renderedPost: JSONValue {
        object(
            [
                "post": string, "channel": string, "network": string, "at": string, "text": string, "fits": boolean,
                "measures": [
                    "type": "array",
                    "items": object(["unit": string, "length": integer, "limit": integer, "fits": boolean], required: ["unit", "length", "limit", "fits"]),
                ],
            ], required: ["post", "channel", "network", "at", "text", "fits", "measures"]
        )
    }
}
