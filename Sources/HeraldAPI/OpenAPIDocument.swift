/// The API's OpenAPI 3.1 description, served at `/openapi.json`. Kept by hand beside the routes: `APIDocumentTests`
/// fails when a route is missing from it (or it names one that does not exist), and `.ci/run` validates it.
enum OpenAPIDocument {
    static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Herald API",
    "version": "1",
    "description": "Enqueue, inspect and act on messages through the same services as the herald command line. Every /v1 route needs Authorization: Bearer <token> (herald token create). Errors are application/problem+json (RFC 9457). See docs/api.md."
  },
  "servers": [{ "url": "/" }],
  "security": [{ "bearer": [] }],
  "paths": {
    "/healthz": {
      "get": {
        "summary": "The process answers.",
        "security": [],
        "responses": { "200": { "description": "Up.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Status" } } } } }
      }
    },
    "/readyz": {
      "get": {
        "summary": "The database can be read and written.",
        "security": [],
        "responses": {
          "200": { "description": "Ready.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Status" } } } },
          "503": { "$ref": "#/components/responses/Problem" }
        }
      }
    },
    "/openapi.json": {
      "get": {
        "summary": "This document.",
        "security": [],
        "responses": { "200": { "description": "The OpenAPI document.", "content": { "application/json": { "schema": { "type": "object" } } } } }
      }
    },
    "/v1/messages": {
      "get": {
        "summary": "List messages, newest first, a page at a time (operator, approver, auditor).",
        "parameters": [
          { "name": "state", "in": "query", "schema": { "$ref": "#/components/schemas/State" } },
          { "name": "channel", "in": "query", "schema": { "type": "string" } },
          { "name": "kind", "in": "query", "schema": { "type": "string" } },
          { "name": "since", "in": "query", "description": "Created at or after (RFC 3339).", "schema": { "type": "string", "format": "date-time" } },
          { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 500, "default": 100 } },
          { "name": "cursor", "in": "query", "description": "next_cursor of the page before.", "schema": { "type": "string", "format": "uuid" } }
        ],
        "responses": {
          "200": { "description": "A page.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Page" } } } },
          "401": { "$ref": "#/components/responses/Problem" },
          "403": { "$ref": "#/components/responses/Problem" },
          "422": { "$ref": "#/components/responses/Problem" }
        }
      },
      "post": {
        "summary": "Enqueue one message (scheduler). The same dedupe_key again answers 200 with the first ids.",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/EnqueueRequest" } } } },
        "responses": {
          "201": { "description": "Stored.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Enqueued" } } } },
          "200": { "description": "Seen before under this dedupe_key; nothing stored.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Enqueued" } } } },
          "400": { "$ref": "#/components/responses/Problem" },
          "401": { "$ref": "#/components/responses/Problem" },
          "403": { "$ref": "#/components/responses/Problem" },
          "404": { "$ref": "#/components/responses/Problem" },
          "413": { "$ref": "#/components/responses/Problem" },
          "415": { "$ref": "#/components/responses/Problem" },
          "422": { "$ref": "#/components/responses/Problem" }
        }
      }
    },
    "/v1/messages/batch": {
      "post": {
        "summary": "Enqueue a batch, all or nothing (scheduler).",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": ["messages"],
                "additionalProperties": false,
                "properties": { "messages": { "type": "array", "minItems": 1, "maxItems": 1000, "items": { "$ref": "#/components/schemas/EnqueueRequest" } } }
              }
            }
          }
        },
        "responses": {
          "201": { "description": "Stored.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/BatchEnqueued" } } } },
          "200": { "description": "Every group seen before; nothing stored.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/BatchEnqueued" } } } },
          "400": { "$ref": "#/components/responses/Problem" },
          "401": { "$ref": "#/components/responses/Problem" },
          "403": { "$ref": "#/components/responses/Problem" },
          "404": { "$ref": "#/components/responses/Problem" },
          "413": { "$ref": "#/components/responses/Problem" },
          "415": { "$ref": "#/components/responses/Problem" },
          "422": { "$ref": "#/components/responses/Problem" }
        }
      }
    },
    "/v1/messages/{id}": {
      "get": {
        "summary": "One message with its content, attempts (the receivers' replies) and audit events (operator, approver, auditor).",
        "parameters": [{ "$ref": "#/components/parameters/MessageID" }],
        "responses": {
          "200": { "description": "The message.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/MessageDetail" } } } },
          "401": { "$ref": "#/components/responses/Problem" },
          "403": { "$ref": "#/components/responses/Problem" },
          "404": { "$ref": "#/components/responses/Problem" }
        }
      }
    },
    "/v1/messages/{id}/retry": {
      "post": {
        "summary": "Send a dead, unconfirmed, expired or cancelled message again (operator); never past a gate.",
        "parameters": [{ "$ref": "#/components/parameters/MessageID" }],
        "responses": {
          "200": { "description": "Moved.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Moved" } } } },
          "401": { "$ref": "#/components/responses/Problem" },
          "403": { "$ref": "#/components/responses/Problem" },
          "404": { "$ref": "#/components/responses/Problem" },
          "409": { "$ref": "#/components/responses/Problem" }
        }
      }
    },
    "/v1/messages/{id}/cancel": {
      "post": {
        "summary": "Cancel a message that has not been sent (operator).",
        "parameters": [{ "$ref": "#/components/parameters/MessageID" }],
        "responses": {
          "200": { "description": "Cancelled.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Moved" } } } },
          "401": { "$ref": "#/components/responses/Problem" },
          "403": { "$ref": "#/components/responses/Problem" },
          "404": { "$ref": "#/components/responses/Problem" },
          "409": { "$ref": "#/components/responses/Problem" }
        }
      }
    },
    "/v1/messages/{id}/resolve": {
      "post": {
        "summary": "Record an unconfirmed post found by hand at url (operator): delivered, never sent again.",
        "parameters": [{ "$ref": "#/components/parameters/MessageID" }],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": { "type": "object", "required": ["url"], "additionalProperties": false, "properties": { "url": { "type": "string" } } }
            }
          }
        },
        "responses": {
          "200": { "description": "Delivered.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Moved" } } } },
          "400": { "$ref": "#/components/responses/Problem" },
          "401": { "$ref": "#/components/responses/Problem" },
          "403": { "$ref": "#/components/responses/Problem" },
          "404": { "$ref": "#/components/responses/Problem" },
          "409": { "$ref": "#/components/responses/Problem" },
          "413": { "$ref": "#/components/responses/Problem" },
          "415": { "$ref": "#/components/responses/Problem" },
          "422": { "$ref": "#/components/responses/Problem" }
        }
      }
    },
    "/v1/audit/verify": {
      "post": {
        "summary": "Verify the audit trail (auditor), as herald audit verify does.",
        "responses": {
          "200": { "description": "The result; intact is false when a fault was found.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Verification" } } } },
          "401": { "$ref": "#/components/responses/Problem" },
          "403": { "$ref": "#/components/responses/Problem" }
        }
      }
    }
  },
  "components": {
    "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "description": "A token from herald token create." } },
    "parameters": {
      "MessageID": { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }
    },
    "responses": {
      "Problem": { "description": "An error (RFC 9457).", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
    },
    "schemas": {
      "Problem": {
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": {
          "type": { "type": "string" },
          "title": { "type": "string" },
          "status": { "type": "integer" },
          "detail": { "type": "string" },
          "instance": { "type": "string" },
          "pointer": { "type": "string", "description": "The offending field, as a JSON pointer." }
        }
      },
      "Status": { "type": "object", "required": ["status"], "properties": { "status": { "type": "string" } } },
      "State": { "type": "string", "enum": ["held", "scheduled", "sending", "retrying", "delivered", "dead", "cancelled", "expired", "unconfirmed"] },
      "EnqueueRequest": {
        "type": "object",
        "required": ["channel", "kind"],
        "additionalProperties": false,
        "properties": {
          "channel": { "type": "string" },
          "kind": { "type": "string", "description": "The template, unless template names another." },
          "to": { "oneOf": [{ "type": "string" }, { "type": "array", "items": { "type": "string" } }], "description": "Email recipients; none for webhook, chat and social channels." },
          "template": { "type": "string" },
          "data": { "type": "object", "description": "The template's data." },
          "at": { "type": "string", "description": "RFC 3339, now, or +30s / +5m / +2h / +3d." },
          "deadline": { "type": "string" },
          "dedupe_key": { "type": "string" }
        }
      },
      "Enqueued": {
        "type": "object",
        "required": ["group_id", "ids", "deduplicated"],
        "properties": { "group_id": { "type": "string" }, "ids": { "type": "array", "items": { "type": "string" } }, "deduplicated": { "type": "boolean" } }
      },
      "BatchEnqueued": { "type": "object", "required": ["results"], "properties": { "results": { "type": "array", "items": { "$ref": "#/components/schemas/Enqueued" } } } },
      "Message": {
        "type": "object",
        "required": ["id", "group_id", "state", "channel", "kind", "recipient", "not_before", "attempts", "created_at"],
        "properties": {
          "id": { "type": "string" },
          "group_id": { "type": "string" },
          "state": { "$ref": "#/components/schemas/State" },
          "channel": { "type": "string" },
          "kind": { "type": "string" },
          "recipient": { "type": "string" },
          "not_before": { "type": "string" },
          "deadline": { "type": "string" },
          "attempts": { "type": "integer" },
          "created_at": { "type": "string" },
          "post_url": { "type": "string" },
          "content_purged_at": { "type": "string" },
          "recipient_purged_at": { "type": "string" }
        }
      },
      "Page": {
        "type": "object",
        "required": ["messages"],
        "properties": { "messages": { "type": "array", "items": { "$ref": "#/components/schemas/Message" } }, "next_cursor": { "type": "string" } }
      },
      "MessageDetail": {
        "type": "object",
        "required": ["message", "content", "attempts", "events"],
        "properties": {
          "message": { "$ref": "#/components/schemas/Message" },
          "content": { "type": "object", "additionalProperties": { "type": "string" } },
          "attempts": { "type": "array", "items": { "type": "object" } },
          "events": { "type": "array", "items": { "type": "object" } }
        }
      },
      "Moved": {
        "type": "object",
        "required": ["id", "state"],
        "properties": { "id": { "type": "string" }, "state": { "$ref": "#/components/schemas/State" }, "held_by": { "type": "string" } }
      },
      "Verification": {
        "type": "object",
        "required": ["intact", "events_checked", "messages_checked", "messages_purged", "faults"],
        "properties": {
          "intact": { "type": "boolean" },
          "events_checked": { "type": "integer" },
          "messages_checked": { "type": "integer" },
          "messages_purged": { "type": "integer" },
          "faults": { "type": "array", "items": { "type": "string" } }
        }
      }
    }
  }
}
"""#
}
