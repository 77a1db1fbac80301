#!/usr/bin/env python3
"""social_fake.py - a scriptable fake of one social/chat posting API, for Herald's tests.

Python 3.11 standard library only (http.server.ThreadingHTTPServer, HTTP/1.1,
keep-alive, Content-Length on every answer, a Date header on every answer).
It checks requests the way the real API would (token or recomputed OAuth 1.0a
signature, required headers, body schema) and answers from a script.
See docs/channels.md sections 2-6 and 8 for the real APIs.

Usage:
  social_fake.py --network slack|teams|mastodon|bluesky|x|facebook|linkedin
      --port 0 --ready-file F --log-dir D
      [--credential KEY=VALUE ...] [--script REPLY,REPLY,...] [--then REPLY]
      [--reset-seconds 60] [--silence-seconds 30]
      [--teams-mode workflows|connector] [--life 300] [--verbose]
  social_fake.py --self-test
      checks the OAuth 1.0a code against TV-2/TV-3 and the facet code
      against TV-5; exit 0 when all pass.
  social_fake.py --sign-x URL --sign-body TEXT [--sign-method POST]
      [--sign-nonce N] [--sign-timestamp T] [--sign-body-hash]
      [--credential consumer_key=... ...]
      prints an `OAuth ...` Authorization header for that request (to let a
      test without a crypto library make a correctly signed request).

Listening:
  Binds 127.0.0.1 (--host to change). Once listening, the port and a newline
  are written to --ready-file atomically (temp file + rename). Paths are the
  real APIs' paths at the root of http://127.0.0.1:PORT.

Credentials (--credential KEY=VALUE, repeatable; defaults in brackets):
  slack     hook_secret [XXXXXXXXXXXXXXXXXXXXXXXX]
            -> POST /services/T0000/B0000/<hook_secret>
  teams     workflow_id [0123456789abcdef0123456789abcdef]
            sig [Xx0-hU7pU4o1M8d3l6eT2Yq9wLkRbZcNfAaSsDdGgHh]
            -> POST /workflows/<workflow_id>/triggers/manual/paths/invoke
               ?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=<sig>
  mastodon  token [mastodon-test-token]              -> POST /api/v1/statuses
  bluesky   identifier [herald.test] password [abcd-efgh-ijkl-mnop]
            did [did:plc:heraldfakeheraldfake2345] (a bare suffix gets did:plc:)
            handle [= identifier]
            session_delay [0] seconds to wait before answering createSession
            -> POST /xrpc/com.atproto.server.createSession, .refreshSession,
               /xrpc/com.atproto.repo.createRecord; GET .getRecord, .listRecords
  x         consumer_key, consumer_secret, token, token_secret [the TV-2 values]
            max_skew [none] seconds allowed between oauth_timestamp and now
            duplicate_check [on] 403 for a text already posted
            -> POST /2/tweets
  facebook  page_id [1000000000001] token [fb-page-token]
            -> POST /v<NN>.0/<page_id>/feed
  linkedin  token [linkedin-test-token] author [urn:li:organization:1000001]
            versions [any 2025MM/2026MM] comma-separated active LinkedIn-Versions
            -> POST /rest/posts

Script (--script a,b,c, repeatable; then --then, default ok): one reply is
  consumed per post-creating request that passed the auth and schema checks
  (never by createSession/refreshSession, reads, rejections or Mastodon
  idempotent duplicates — except that a throttle, like Mastodon's rate
  limiter, answers a repeated Idempotency-Key too):
  ok        success.
  expired   the network's expired-token answer (Bluesky: 400 ExpiredToken, and
            that access token stays expired for good).
  throttle  429 (Facebook: 400 code 32) with the network's reset signal
            --reset-seconds ahead and remaining 0 (X/Bluesky epoch, Mastodon
            ISO 8601, Slack/Teams Retry-After, LinkedIn none, Facebook
            X-Business-Use-Case-Usage estimated_time_to_regain_access minutes).
  exhaust   success, with remaining 0 and the reset --reset-seconds ahead
            (networks without rate headers: plain success).
  error     500.
  silence   read the request, create the post, log it (status null), send
            nothing for --silence-seconds, then close the connection.
  connector-error  Teams only: 200 with a "Webhook message delivery failed"
            body embedding HTTP error 429.
  Only the reply itself carries remaining 0; the fake does not stay throttled.

Log (--log-dir D): every request, accepted or not, as D/<n>.json, n = 1, 2, ...
  in arrival order, written atomically (temp + rename) before answering (and
  before a silence starts):
  {"n", "network", "method", "path", "query", "headers": [[name, value], ...],
   "body": text, "at": epoch float, "endpoint", "verdict", "reason",
   "status": int or null for silence, "post_id", "post_url", "reply"}
  verdict: created | duplicate | rejected | scripted | session | read.
  post_id is what the API returned as the post's identity (Mastodon id,
  Bluesky at:// uri, X id, Facebook id, LinkedIn x-restli-id), post_url the
  returned URL (Mastodon) or null.

Lifetime: exits 0 on SIGTERM/SIGINT and by itself after --life seconds
  (default 300).
"""
import argparse
import base64
import datetime
import hashlib
import hmac
import html
import json
import math
import os
import re
import secrets
import signal
import sys
import threading
import time
import traceback
import unicodedata
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NETWORKS = ["slack", "teams", "mastodon", "bluesky", "x", "facebook", "linkedin"]
REPLIES = ["ok", "expired", "throttle", "exhaust", "error", "silence", "connector-error"]

TEAMS_QUERY = "api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig="

DEFAULT_CREDENTIALS = {
    "slack": {"hook_secret": "XXXXXXXXXXXXXXXXXXXXXXXX"},
    "teams": {"workflow_id": "0123456789abcdef0123456789abcdef",
              "sig": "Xx0-hU7pU4o1M8d3l6eT2Yq9wLkRbZcNfAaSsDdGgHh"},
    "mastodon": {"token": "mastodon-test-token"},
    "bluesky": {"identifier": "herald.test", "password": "abcd-efgh-ijkl-mnop",
                "did": "did:plc:heraldfakeheraldfake2345"},
    "x": {"consumer_key": "xvz1evFS4wEEPTGEFPHBog",
          "consumer_secret": "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
          "token": "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
          "token_secret": "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"},
    "facebook": {"page_id": "1000000000001", "token": "fb-page-token"},
    "linkedin": {"token": "linkedin-test-token", "author": "urn:li:organization:1000001"},
}


def atomic_write(path, data):
    tmp = f"{path}.tmp{os.getpid()}.{threading.get_ident()}"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def iso_micro(t):
    """Mastodon's X-RateLimit-Reset: 2026-01-01T12:05:00.000000Z."""
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def iso_milli(t):
    d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def media_type(value):
    return (value or "").split(";")[0].strip().lower()


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


# ---------------------------------------------------------------- OAuth 1.0a

UNRESERVED = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def pct(value):
    """RFC 3986 percent-encoding of the UTF-8 bytes, upper-case hex (section 5 step 1)."""
    raw = value.encode("utf-8") if isinstance(value, str) else value
    return "".join(chr(b) if b in UNRESERVED else "%%%02X" % b for b in raw)


def signature_base_string(method, base_url, params):
    """Steps 3-4: params is a list of decoded (key, value) pairs."""
    encoded = sorted((pct(k), pct(v)) for k, v in params)
    param_string = "&".join(f"{k}={v}" for k, v in encoded)
    return "&".join([method.upper(), pct(base_url), pct(param_string)])


def hmac_sha1_signature(base_string, consumer_secret, token_secret):
    """Step 5."""
    key = f"{pct(consumer_secret)}&{pct(token_secret)}"
    digest = hmac.new(key.encode("utf-8"), base_string.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def base_url(scheme, host, path):
    """Scheme and host lower-cased, default port dropped, no query or fragment."""
    scheme = scheme.lower()
    host = host.lower()
    if (scheme == "http" and host.endswith(":80")) or (scheme == "https" and host.endswith(":443")):
        host = host.rsplit(":", 1)[0]
    return f"{scheme}://{host}{path}"


def body_hash(body):
    return base64.b64encode(hashlib.sha1(body).digest()).decode("ascii")


AUTH_PAIR = re.compile(r'\s*([^\s=,"]+)\s*=\s*"([^"]*)"\s*(?:,|$)')


def parse_oauth_header(value):
    """`OAuth k="v", ...` -> list of decoded (k, v), or raises ValueError."""
    if not value or not value[:6].lower() == "oauth ":
        raise ValueError("Authorization is not an OAuth header")
    rest = value[6:].strip()
    pairs, pos = [], 0
    while pos < len(rest):
        m = AUTH_PAIR.match(rest, pos)
        if not m:
            raise ValueError(f"malformed OAuth header near {rest[pos:pos + 20]!r}")
        pairs.append((urllib.parse.unquote(m.group(1)), urllib.parse.unquote(m.group(2))))
        pos = m.end()
    return pairs


def oauth_header(method, url, body, creds, nonce=None, timestamp=None, include_body_hash=False,
                 content_type="application/json"):
    """Builds a signed header (used by --sign-x and the self-test)."""
    parts = urllib.parse.urlsplit(url)
    params = {
        "oauth_consumer_key": creds["consumer_key"],
        "oauth_nonce": nonce or secrets.token_hex(16),
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": str(timestamp if timestamp is not None else int(time.time())),
        "oauth_token": creds["token"],
        "oauth_version": "1.0",
    }
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if include_body_hash:
        params["oauth_body_hash"] = body_hash(raw)
    signed = list(params.items()) + urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    if media_type(content_type) == "application/x-www-form-urlencoded":
        signed += urllib.parse.parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
    base = signature_base_string(method, base_url(parts.scheme, parts.netloc, parts.path), signed)
    params["oauth_signature"] = hmac_sha1_signature(base, creds["consumer_secret"], creds["token_secret"])
    return "OAuth " + ", ".join(f'{pct(k)}="{pct(v)}"' for k, v in sorted(params.items()))


# ---------------------------------------------------------------- Bluesky helpers

B32_SORT = "234567abcdefghijklmnopqrstuvwxyz"


def tid(micros, clock_id):
    """A 13-character base32-sortable TID (53 bits of microseconds, 10 of clock id)."""
    v = ((micros & ((1 << 53) - 1)) << 10) | (clock_id & 0x3FF)
    out = []
    for _ in range(13):
        out.append(B32_SORT[v & 31])
        v >>= 5
    return "".join(reversed(out))


TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


def cid_for(data):
    """CIDv1, dag-cbor codec, sha2-256, base32 lower: starts with bafyrei."""
    raw = bytes([0x01, 0x71, 0x12, 0x20]) + hashlib.sha256(data).digest()
    return "b" + base64.b32encode(raw).decode("ascii").lower().rstrip("=")


def b64url(data):
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def jwt_like(did, scope, lifetime):
    now = int(time.time())
    header = b64url(dumps({"typ": "at+jwt" if scope.endswith("access") else "refresh+jwt", "alg": "ES256K"}))
    payload = b64url(dumps({"scope": scope, "sub": did, "aud": "did:web:127.0.0.1", "iat": now,
                            "exp": now + lifetime, "jti": secrets.token_hex(12)}))
    return f"{header}.{payload}.{b64url(secrets.token_bytes(64))}"


def _is_extend(cp, ch):
    if cp in (0x200C, 0x200D) or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return True
    if 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F:  # skin tones, tag characters
        return True
    if 0x1160 <= cp <= 0x11FF:  # Hangul medial vowels and final consonants
        return True
    return unicodedata.category(ch) in ("Mn", "Me", "Mc")


def approx_graphemes(text):
    """Extended grapheme clusters, approximately (never more than the true count for
    ordinary text): marks, joiners, selectors, modifiers join the previous cluster,
    a character after ZWJ joins too, regional indicators pair, CR LF is one."""
    count, after_zwj, open_ri, prev = 0, False, False, ""
    for ch in text:
        cp = ord(ch)
        if after_zwj:
            after_zwj = False
            prev = ch
            continue
        if cp == 0x200D:
            after_zwj = count > 0
            continue
        if _is_extend(cp, ch) and count > 0:
            continue
        if 0x1F1E6 <= cp <= 0x1F1FF:
            if open_ri:
                open_ri = False
                continue
            open_ri = True
        else:
            open_ri = False
        if ch == "\n" and prev == "\r":
            prev = ch
            continue
        count += 1
        prev = ch
    return count


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def valid_rfc3339(value):
    if not isinstance(value, str) or not RFC3339.match(value):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        # fromisoformat (3.11) copes with most fractions; fall back to the date/time parts
        try:
            datetime.datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            return False
    return True


def check_facets(text, facets):
    """Returns None when valid, else a message. Link facets must cover exactly their uri."""
    raw = text.encode("utf-8")
    if not isinstance(facets, list):
        return "Invalid app.bsky.feed.post record: Record/facets must be an array"
    for i, facet in enumerate(facets):
        where = f"Record/facets/{i}"
        if not isinstance(facet, dict):
            return f"Invalid app.bsky.feed.post record: {where} must be an object"
        index = facet.get("index")
        if not isinstance(index, dict) or not is_int(index.get("byteStart")) or not is_int(index.get("byteEnd")):
            return f"Invalid app.bsky.feed.post record: {where}/index must have integer byteStart and byteEnd"
        start, end = index["byteStart"], index["byteEnd"]
        if not 0 <= start < end <= len(raw):
            return (f"Invalid app.bsky.feed.post record: {where}/index byteStart {start} / byteEnd {end} "
                    f"outside the text's {len(raw)} UTF-8 bytes or empty")
        features = facet.get("features")
        if not isinstance(features, list) or not features or not all(isinstance(f, dict) for f in features):
            return f"Invalid app.bsky.feed.post record: {where}/features must be a non-empty array"
        try:
            covered = raw[start:end].decode("utf-8")
        except UnicodeDecodeError:
            return f"Invalid app.bsky.feed.post record: {where}/index splits a UTF-8 character"
        for j, feature in enumerate(features):
            kind = feature.get("$type")
            if kind == "app.bsky.richtext.facet#link":
                uri = feature.get("uri")
                if not isinstance(uri, str) or not uri:
                    return f"Invalid app.bsky.feed.post record: {where}/features/{j}/uri must be a string"
                if covered != uri:
                    return (f"Invalid app.bsky.feed.post record: {where} covers {covered!r}, "
                            f"not its link uri {uri!r}")
            elif kind == "app.bsky.richtext.facet#mention":
                if not isinstance(feature.get("did"), str) or not feature["did"].startswith("did:"):
                    return f"Invalid app.bsky.feed.post record: {where}/features/{j}/did must be a DID"
            elif kind == "app.bsky.richtext.facet#tag":
                tag = feature.get("tag")
                if not isinstance(tag, str) or not tag or tag.startswith("#"):
                    return f"Invalid app.bsky.feed.post record: {where}/features/{j}/tag must be a tag without #"
                if covered not in ("#" + tag, "\uff03" + tag):
                    return (f"Invalid app.bsky.feed.post record: {where} covers {covered!r}, "
                            f"not its hashtag #{tag}")
            else:
                return f"Invalid app.bsky.feed.post record: {where}/features/{j} has unknown $type {kind!r}"
    return None


# ---------------------------------------------------------------- framework

class Request:
    def __init__(self, method, path, query, headers, body, at):
        self.method, self.path, self.query = method, path, query
        self.headers, self.body, self.at = headers, body, at

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None

    def bearer(self):
        value = self.header("Authorization")
        if value and value[:7].lower() == "bearer ":
            return value[7:].strip()
        return None


class Reply:
    def __init__(self, status, body=b"", headers=None, verdict="rejected", reason="", endpoint="post",
                 post_id=None, post_url=None, content_type="application/json; charset=utf-8"):
        if isinstance(body, (dict, list)):
            body = dumps(body)
        elif isinstance(body, str):
            body = body.encode("utf-8")
        self.status, self.body = status, body
        self.headers = list(headers or [])
        if body and content_type and not any(k.lower() == "content-type" for k, _ in self.headers):
            self.headers.insert(0, ("Content-Type", content_type))
        self.verdict, self.reason, self.endpoint = verdict, reason, endpoint
        self.post_id, self.post_url = post_id, post_url
        self.silence = False
        self.delay = 0.0
        self.reply = None
        self.rate = "normal"  # or "zero": remaining 0, reset --reset-seconds ahead


class Network:
    """One network's checks and answers. All methods run under Fake.lock."""
    rate_limit, rate_window = None, 300

    def __init__(self, fake):
        self.fake = fake
        self.creds = fake.creds
        self.window_end, self.used = 0.0, 0
        self.posts = 0

    # rate accounting: every request counts
    def count_request(self, now):
        if now >= self.window_end:
            self.window_end, self.used = now + self.rate_window, 0
        self.used += 1

    def remaining_and_reset(self, rep, now):
        if rep.rate == "zero":
            return 0, now + self.fake.args.reset_seconds
        return max(0, self.rate_limit - self.used), self.window_end

    def rate_headers(self, rep, now):
        return []

    def handle(self, req):
        raise NotImplementedError

    def run_script(self, req, data):
        """Consumes one scripted reply for a request that passed every check."""
        kind = self.fake.take_reply()
        if kind in ("ok", "exhaust", "silence"):
            rep = self.create(req, data)
            if kind == "exhaust":
                rep.rate = "zero"
                self.exhaust(rep)
            rep.reason = "created" if kind == "ok" else f"created ({kind})"
            if kind == "silence":
                rep.silence = True
        elif kind == "expired":
            rep = self.expired(req, data)
        elif kind == "throttle":
            rep = self.throttle(req, data)
            rep.rate = "zero"
        elif kind == "error":
            rep = self.error(req, data)
        else:  # connector-error
            rep = self.connector_error(req, data)
        if kind not in ("ok", "exhaust", "silence"):
            rep.verdict, rep.reason = "scripted", f"scripted {kind}"
        rep.reply = kind
        return rep

    def exhaust(self, rep):
        pass

    def connector_error(self, req, data):
        return self.error(req, data)

    def retry_after(self):
        return ("Retry-After", str(self.fake.args.reset_seconds))


# ---------------------------------------------------------------- Slack

class Slack(Network):
    def handle(self, req):
        text = lambda status, body, reason: Reply(status, body, reason=reason, content_type="text/html")
        if req.path != f"/services/T0000/B0000/{self.creds['hook_secret']}":
            return text(404, "no_service", "unknown webhook path")
        if req.method != "POST":
            return text(405, "invalid_method", f"method {req.method}")
        ctype = media_type(req.header("Content-Type"))
        payload = None
        if ctype == "application/x-www-form-urlencoded":
            form = dict(urllib.parse.parse_qsl(req.body.decode("utf-8", "replace")))
            if "payload" in form:
                try:
                    payload = json.loads(form["payload"])
                except ValueError:
                    payload = None
        else:
            payload = req.json()
        if not isinstance(payload, dict):
            return text(400, "invalid_payload", f"body is not a JSON object (Content-Type {ctype or 'none'})")
        if not isinstance(payload.get("text"), str) or not payload["text"].strip():
            return text(400, "no_text", "text missing, empty or not a string")
        blocks = payload.get("blocks")
        if blocks is not None:
            if (not isinstance(blocks, list) or len(blocks) > 50
                    or not all(isinstance(b, dict) and isinstance(b.get("type"), str) for b in blocks)):
                return text(400, "invalid_blocks", "blocks must be a list of at most 50 objects with a type")
        return self.run_script(req, payload)

    def create(self, req, data):
        self.posts += 1
        return Reply(200, "ok", verdict="created", content_type="text/html")

    def expired(self, req, data):
        return Reply(403, "invalid_token", content_type="text/html")

    def throttle(self, req, data):
        return Reply(429, "rate_limited", headers=[self.retry_after()], content_type="text/html")

    def error(self, req, data):
        return Reply(500, "rollup_error", content_type="text/html")


# ---------------------------------------------------------------- Teams

class Teams(Network):
    def __init__(self, fake):
        super().__init__(fake)
        self.connector = fake.args.teams_mode == "connector"

    def err(self, status, code, message, reason):
        if self.connector:
            return Reply(status, message, reason=reason, content_type="text/plain; charset=utf-8")
        return Reply(status, {"error": {"code": code, "message": message}}, reason=reason)

    def handle(self, req):
        m = re.fullmatch(r"/workflows/([^/]+)/triggers/manual/paths/invoke", req.path)
        if not m or m.group(1) != self.creds["workflow_id"]:
            return self.err(404, "WorkflowNotFound", "The workflow could not be found.", "unknown workflow path")
        if req.method != "POST":
            return self.err(405, "MethodNotAllowed", "The HTTP method is not allowed.", f"method {req.method}")
        expected = TEAMS_QUERY + self.creds["sig"]
        if req.query != expected:
            sigs = urllib.parse.parse_qs(req.query).get("sig", [])
            if sigs != [self.creds["sig"]]:
                return self.err(401, "DirectApiInvalidAuthorizationSignature",
                                "The provided authorization signature is not valid.", "wrong or missing sig")
            return self.err(401, "DirectApiInvalidAuthorizationSignature",
                            "The provided authorization signature is not valid.",
                            f"query not byte-for-byte the trigger URL's (re-encoded?): {req.query!r}")
        if media_type(req.header("Content-Type")) != "application/json":
            return self.err(400, "InvalidRequestContent", "The request content type must be application/json.",
                            f"Content-Type {req.header('Content-Type')!r}")
        body = req.json()
        problem = self.check_envelope(body)
        if problem and self.connector and isinstance(body, dict) and body.get("@type") == "MessageCard":
            problem = None if (body.get("summary") or body.get("text")) else "Summary or Text is required."
        if problem:
            return self.err(400, "InvalidRequestContent", problem, problem)
        return self.run_script(req, body)

    @staticmethod
    def check_envelope(body):
        if not isinstance(body, dict):
            return "The request body must be a JSON object."
        if body.get("type") != "message":
            return "type must be \"message\""
        attachments = body.get("attachments")
        if not isinstance(attachments, list) or not attachments or not isinstance(attachments[0], dict):
            return "attachments must be a non-empty array of objects"
        first = attachments[0]
        if first.get("contentType") != "application/vnd.microsoft.card.adaptive":
            return "attachments[0].contentType must be application/vnd.microsoft.card.adaptive"
        if first.get("contentUrl") is not None:
            return "attachments[0].contentUrl must be null"
        content = first.get("content")
        if not isinstance(content, dict) or content.get("type") != "AdaptiveCard":
            return "attachments[0].content.type must be AdaptiveCard"
        if not isinstance(content.get("version"), str):
            return "attachments[0].content.version must be a string such as \"1.4\""
        card_body = content.get("body")
        if (not isinstance(card_body, list) or not card_body
                or not all(isinstance(e, dict) and isinstance(e.get("type"), str) for e in card_body)):
            return "attachments[0].content.body must be a non-empty array of elements with a type"
        return None

    def create(self, req, data):
        self.posts += 1
        if self.connector:
            return Reply(200, "1", verdict="created", content_type="text/plain; charset=utf-8")
        return Reply(202, b"", verdict="created")

    def expired(self, req, data):
        return self.err(401, "DirectApiInvalidAuthorizationSignature",
                        "The provided authorization signature is not valid.", "")

    def throttle(self, req, data):
        rep = self.err(429, "WorkflowRequestsThrottled", "Rate limit is exceeded. Try again later.", "")
        rep.headers.append(self.retry_after())
        return rep

    def error(self, req, data):
        return self.err(500, "InternalServerError", "Encountered internal server error.", "")

    def connector_error(self, req, data):
        return Reply(200, "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP "
                          "error 429 with ContextId tcid=0,server=msgapi-production-eus-azsc2-4-170,cv=deadbeef.0..",
                     content_type="text/plain; charset=utf-8")


# ---------------------------------------------------------------- Mastodon

class Mastodon(Network):
    rate_limit, rate_window = 300, 300
    VISIBILITIES = ("public", "unlisted", "private", "direct")

    def __init__(self, fake):
        super().__init__(fake)
        self.by_key = {}

    def rate_headers(self, rep, now):
        remaining, reset = self.remaining_and_reset(rep, now)
        return [("X-RateLimit-Limit", str(self.rate_limit)), ("X-RateLimit-Remaining", str(remaining)),
                ("X-RateLimit-Reset", iso_micro(reset))]

    def handle(self, req):
        if req.path != "/api/v1/statuses":
            return Reply(404, {"error": "Record not found"}, reason="unknown path")
        if req.method != "POST":
            return Reply(405, {"error": "Method not allowed"}, reason=f"method {req.method}")
        if req.bearer() != self.creds["token"]:
            return Reply(401, {"error": "The access token is invalid"}, reason="missing or wrong bearer token")
        if media_type(req.header("Content-Type")) != "application/json":
            return Reply(415, {"error": "Content-Type must be application/json"},
                         reason=f"Content-Type {req.header('Content-Type')!r}")
        key = req.header("Idempotency-Key")
        # The rate limiter (Rack::Attack) answers before the application looks the key up.
        if key is not None and key in self.by_key and self.fake.peek_reply() != "throttle":
            return Reply(200, self.by_key[key], verdict="duplicate", reason=f"Idempotency-Key {key!r} seen before",
                         post_id=self.by_key[key]["id"], post_url=self.by_key[key]["url"])
        body = req.json()
        if not isinstance(body, dict):
            return Reply(400, {"error": "Error while parsing request body"}, reason="body is not a JSON object")
        status = body.get("status")
        if not isinstance(status, str) or not status.strip():
            return Reply(422, {"error": "Validation failed: Text can't be blank"}, reason="status missing or blank")
        if "visibility" in body and body["visibility"] not in self.VISIBILITIES:
            return Reply(422, {"error": "Validation failed: Visibility is not included in the list"},
                         reason=f"visibility {body['visibility']!r}")
        for field in ("language", "spoiler_text"):
            if body.get(field) is not None and not isinstance(body[field], str):
                return Reply(422, {"error": f"Validation failed: {field} must be a string"}, reason=f"{field} type")
        return self.run_script(req, (body, key))

    def create(self, req, data):
        body, key = data
        self.posts += 1
        n = str(113500000000000000 + self.posts)
        base = self.fake.base_url
        status = {
            "id": n, "url": f"{base}/@herald/{n}", "uri": f"{base}/users/herald/statuses/{n}",
            "created_at": iso_milli(time.time()),
            "content": "<p>" + html.escape(body["status"]).replace("\n", "<br />") + "</p>",
            "visibility": body.get("visibility", "public"), "language": body.get("language"),
            "spoiler_text": body.get("spoiler_text", ""), "sensitive": bool(body.get("sensitive", False)),
        }
        if key is not None:
            self.by_key[key] = status
        return Reply(200, status, verdict="created", post_id=n, post_url=status["url"])

    def expired(self, req, data):
        return Reply(401, {"error": "The access token is invalid"})

    def throttle(self, req, data):
        return Reply(429, {"error": "Too many requests"})

    def error(self, req, data):
        return Reply(500, {"error": "We're sorry, but something went wrong on our end."})


# ---------------------------------------------------------------- Bluesky

class Bluesky(Network):
    rate_limit, rate_window = 3000, 300

    def __init__(self, fake):
        super().__init__(fake)
        did = self.creds["did"]
        self.did = did if did.startswith("did:") else f"did:plc:{did}"
        self.handle_name = self.creds.get("handle", self.creds["identifier"])
        self.access = {}    # token -> "valid" | "expired"
        self.refresh = {}   # token -> "valid" | "revoked"
        self.records = {}   # rkey -> (uri, cid, record), in creation order
        self.clock_id = secrets.randbelow(1024)
        self.last_micros = 0

    def rate_headers(self, rep, now):
        remaining, reset = self.remaining_and_reset(rep, now)
        return [("ratelimit-limit", str(self.rate_limit)), ("ratelimit-remaining", str(remaining)),
                ("ratelimit-reset", str(int(math.ceil(reset)))), ("ratelimit-policy", f"{self.rate_limit};w=300")]

    @staticmethod
    def xrpc_error(status, error, message=None, reason="", endpoint="createRecord"):
        body = {"error": error}
        if message is not None:
            body["message"] = message
        return Reply(status, body, reason=reason or (message or error), endpoint=endpoint)

    def handle(self, req):
        m = re.fullmatch(r"/xrpc/([A-Za-z0-9.\-]+)", req.path)
        method = m.group(1) if m else None
        endpoint = method.rsplit(".", 1)[-1] if method else "unknown"
        routes = {"com.atproto.server.createSession": ("POST", self.create_session),
                  "com.atproto.server.refreshSession": ("POST", self.refresh_session),
                  "com.atproto.repo.createRecord": ("POST", self.create_record),
                  "com.atproto.repo.getRecord": ("GET", self.get_record),
                  "com.atproto.repo.listRecords": ("GET", self.list_records)}
        if method not in routes:
            return self.xrpc_error(501, "MethodNotImplemented", "Method Not Implemented",
                                   reason=f"unknown XRPC path {req.path}", endpoint=endpoint)
        verb, fn = routes[method]
        if req.method != verb:
            return self.xrpc_error(405, "InvalidRequest", f"Incorrect HTTP method ({req.method}) expected {verb}",
                                   endpoint=endpoint)
        return fn(req)

    def new_session(self):
        access = jwt_like(self.did, "com.atproto.access", 7200)
        refresh = jwt_like(self.did, "com.atproto.refresh", 90 * 86400)
        self.access[access], self.refresh[refresh] = "valid", "valid"
        return {"accessJwt": access, "refreshJwt": refresh, "handle": self.handle_name, "did": self.did,
                "didDoc": {"@context": ["https://www.w3.org/ns/did/v1"], "id": self.did,
                           "alsoKnownAs": [f"at://{self.handle_name}"],
                           "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer",
                                        "serviceEndpoint": self.fake.base_url}]},
                "active": True}

    def create_session(self, req):
        ep = "createSession"
        if media_type(req.header("Content-Type")) != "application/json":
            return self.xrpc_error(400, "InvalidRequest", "Wrong request encoding (Content-Type): "
                                   f"{req.header('Content-Type')}", endpoint=ep)
        body = req.json()
        if (not isinstance(body, dict) or not isinstance(body.get("identifier"), str)
                or not isinstance(body.get("password"), str)):
            return self.xrpc_error(400, "InvalidRequest", "Input must have the properties \"identifier\", \"password\"",
                                   endpoint=ep)
        if (body["identifier"] not in (self.creds["identifier"], self.did, self.handle_name)
                or body["password"] != self.creds["password"]):
            return self.xrpc_error(401, "AuthenticationRequired", "Invalid identifier or password",
                                   reason="wrong identifier or password", endpoint=ep)
        rep = Reply(200, self.new_session(), verdict="session", reason="session created", endpoint=ep)
        rep.delay = float(self.creds.get("session_delay", "0"))
        return rep

    def refresh_session(self, req):
        ep = "refreshSession"
        token = req.bearer()
        if token in self.access:
            return self.xrpc_error(400, "InvalidToken", "Invalid token type", reason="access token sent to refresh",
                                   endpoint=ep)
        state = self.refresh.get(token)
        if state is None:
            return self.xrpc_error(401, "AuthenticationRequired", "Authentication Required",
                                   reason="missing or unknown refresh token", endpoint=ep)
        if state == "revoked":
            return self.xrpc_error(400, "ExpiredToken", "Token has been revoked",
                                   reason="refresh token already used (revoked)", endpoint=ep)
        self.refresh[token] = "revoked"
        return Reply(200, self.new_session(), verdict="session", reason="session refreshed; old refresh token revoked",
                     endpoint=ep)

    def create_record(self, req):
        token = req.bearer()
        if token in self.refresh:
            return self.xrpc_error(400, "InvalidToken", "Bad token scope", reason="refresh token sent as access token")
        state = self.access.get(token)
        if state is None:
            return self.xrpc_error(401, "AuthenticationRequired", "Authentication Required",
                                   reason="missing or unknown access token")
        if state == "expired":
            return self.xrpc_error(400, "ExpiredToken", "Token has expired", reason="access token expired earlier")
        if media_type(req.header("Content-Type")) != "application/json":
            return self.xrpc_error(400, "InvalidRequest",
                                   f"Wrong request encoding (Content-Type): {req.header('Content-Type')}")
        body = req.json()
        problem = self.check_create(body)
        if problem:
            return self.xrpc_error(400, "InvalidRequest", problem)
        rkey = body.get("rkey")
        if rkey is not None and rkey in self.records:
            # what the real PDS does for a create at an existing rkey [O]
            rep = self.xrpc_error(500, "InternalServerError", "Internal Server Error",
                                  reason=f"rkey {rkey} already exists")
            return rep
        rep = self.run_script(req, (body, token))
        rep.endpoint = "createRecord"
        return rep

    def check_create(self, body):
        if not isinstance(body, dict):
            return "Input must be an object"
        if body.get("repo") != self.did:
            return f"Input/repo must be the session's DID {self.did}"
        if body.get("collection") != "app.bsky.feed.post":
            return "Input/collection must be app.bsky.feed.post"
        rkey = body.get("rkey")
        if rkey is not None and (not isinstance(rkey, str) or not TID_RE.match(rkey)):
            return "Input/rkey must be a valid TID for app.bsky.feed.post"
        record = body.get("record")
        if not isinstance(record, dict):
            return "Input/record must be an object"
        if record.get("$type") != "app.bsky.feed.post":
            return "Invalid $type: expected app.bsky.feed.post"
        text = record.get("text")
        if not isinstance(text, str):
            return "Invalid app.bsky.feed.post record: Record must have the property \"text\""
        if len(text.encode("utf-8")) > 3000:
            return "Invalid app.bsky.feed.post record: Record/text must not be longer than 3000 characters"
        if approx_graphemes(text) > 300:
            return "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"
        if "createdAt" not in record:
            return "Invalid app.bsky.feed.post record: Record must have the property \"createdAt\""
        if not valid_rfc3339(record["createdAt"]):
            return "Invalid app.bsky.feed.post record: Record/createdAt must be an valid atproto datetime"
        langs = record.get("langs")
        if langs is not None and (not isinstance(langs, list) or len(langs) > 3
                                  or not all(isinstance(x, str) and x for x in langs)):
            return "Invalid app.bsky.feed.post record: Record/langs must be an array of at most 3 language tags"
        if "facets" in record:
            return check_facets(text, record["facets"])
        return None

    def next_tid(self):
        micros = max(int(time.time() * 1_000_000), self.last_micros + 1)
        self.last_micros = micros
        return tid(micros, self.clock_id)

    def create(self, req, data):
        body, _ = data
        self.posts += 1
        rkey = body.get("rkey") or self.next_tid()
        uri = f"at://{self.did}/app.bsky.feed.post/{rkey}"
        cid = cid_for(dumps(body["record"]))
        self.records[rkey] = (uri, cid, body["record"])
        return Reply(200, {"uri": uri, "cid": cid,
                           "commit": {"cid": cid_for(dumps([uri, cid, self.posts])), "rev": self.next_tid()},
                           "validationStatus": "valid"},
                     verdict="created", endpoint="createRecord", post_id=uri)

    def expired(self, req, data):
        _, token = data
        self.access[token] = "expired"
        return self.xrpc_error(400, "ExpiredToken", "Token has expired")

    def throttle(self, req, data):
        return self.xrpc_error(429, "RateLimitExceeded", "Rate Limit Exceeded")

    def error(self, req, data):
        return self.xrpc_error(500, "InternalServerError", "Internal Server Error")

    def read_params(self, req):
        return dict(urllib.parse.parse_qsl(req.query, keep_blank_values=True))

    def get_record(self, req):
        q = self.read_params(req)
        if q.get("repo") not in (self.did, self.handle_name) or q.get("collection") != "app.bsky.feed.post":
            return self.xrpc_error(400, "InvalidRequest", "Could not find repo", endpoint="getRecord")
        found = self.records.get(q.get("rkey"))
        if not found:
            return self.xrpc_error(400, "RecordNotFound",
                                   f"Could not locate record: at://{self.did}/app.bsky.feed.post/{q.get('rkey')}",
                                   endpoint="getRecord")
        uri, cid, record = found
        return Reply(200, {"uri": uri, "cid": cid, "value": record}, verdict="read", reason="record found",
                     endpoint="getRecord")

    def list_records(self, req):
        q = self.read_params(req)
        if q.get("repo") not in (self.did, self.handle_name) or q.get("collection") != "app.bsky.feed.post":
            return self.xrpc_error(400, "InvalidRequest", "Could not find repo", endpoint="listRecords")
        items = sorted(self.records.items(), reverse=q.get("reverse") != "true")
        limit = int(q["limit"]) if q.get("limit", "").isdigit() else 50
        records = [{"uri": u, "cid": c, "value": r} for _, (u, c, r) in items[:max(1, min(limit, 100))]]
        return Reply(200, {"records": records}, verdict="read", reason=f"{len(records)} records",
                     endpoint="listRecords")


# ---------------------------------------------------------------- X

def x_problem(status, title, detail, reason=""):
    return Reply(status, {"title": title, "type": "about:blank", "status": status, "detail": detail},
                 reason=reason or detail)


class X(Network):
    rate_limit, rate_window = 100, 900

    def __init__(self, fake):
        super().__init__(fake)
        self.nonces = set()
        self.texts = set()

    def rate_headers(self, rep, now):
        remaining, reset = self.remaining_and_reset(rep, now)
        return [("x-rate-limit-limit", str(self.rate_limit)), ("x-rate-limit-remaining", str(remaining)),
                ("x-rate-limit-reset", str(int(math.ceil(reset))))]

    def unauthorized(self, reason):
        return x_problem(401, "Unauthorized", "Unauthorized", reason=reason)

    def verify(self, req):
        """None if the OAuth 1.0a signature and parameters are right, else the reason."""
        value = req.header("Authorization")
        if value is None:
            return "no Authorization header"
        try:
            pairs = parse_oauth_header(value)
        except ValueError as e:
            return str(e)
        params = {}
        for k, v in pairs:
            if k in params:
                return f"parameter {k} given twice"
            params[k] = v
        params.pop("realm", None)
        c = self.creds
        if params.get("oauth_consumer_key") != c["consumer_key"]:
            return "wrong or missing oauth_consumer_key"
        if params.get("oauth_token") != c["token"]:
            return "wrong or missing oauth_token"
        if params.get("oauth_signature_method") != "HMAC-SHA1":
            return f"oauth_signature_method {params.get('oauth_signature_method')!r}, expected HMAC-SHA1"
        if "oauth_version" in params and params["oauth_version"] != "1.0":
            return f"oauth_version {params['oauth_version']!r}"
        if not params.get("oauth_nonce"):
            return "missing oauth_nonce"
        ts = params.get("oauth_timestamp", "")
        if not ts.isdigit():
            return f"missing or non-numeric oauth_timestamp {ts!r}"
        if "max_skew" in c and abs(time.time() - int(ts)) > float(c["max_skew"]):
            return f"oauth_timestamp {ts} more than {c['max_skew']} s from the server clock"
        signature = params.get("oauth_signature")
        if not signature:
            return "missing oauth_signature"
        if "oauth_body_hash" in params and params["oauth_body_hash"] != body_hash(req.body):
            return f"oauth_body_hash {params['oauth_body_hash']!r} is not base64(SHA-1(body)) {body_hash(req.body)!r}"
        signed = [(k, v) for k, v in params.items() if k.startswith("oauth_") and k != "oauth_signature"]
        signed += urllib.parse.parse_qsl(req.query, keep_blank_values=True)
        if media_type(req.header("Content-Type")) == "application/x-www-form-urlencoded":
            signed += urllib.parse.parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True)
        host = req.header("Host") or f"127.0.0.1:{self.fake.port}"
        base = signature_base_string(req.method, base_url("http", host, req.path), signed)
        expected = hmac_sha1_signature(base, c["consumer_secret"], c["token_secret"])
        if not hmac.compare_digest(expected.encode(), signature.encode()):
            return f"signature mismatch: got {signature!r}, expected {expected!r}; base string {base}"
        if params["oauth_nonce"] in self.nonces:
            return f"oauth_nonce {params['oauth_nonce']!r} used before"
        self.nonces.add(params["oauth_nonce"])
        return None

    def handle(self, req):
        if req.path != "/2/tweets":
            return x_problem(404, "Not Found Error", f"Could not find resource {req.path}")
        if req.method != "POST":
            return x_problem(405, "Method Not Allowed", f"Method {req.method} not allowed")
        reason = self.verify(req)
        if reason:
            return self.unauthorized(reason)
        if media_type(req.header("Content-Type")) != "application/json":
            return x_problem(400, "Invalid Request", "One or more parameters to your request was invalid.",
                             reason=f"Content-Type {req.header('Content-Type')!r}, expected application/json")
        body = req.json()
        if not isinstance(body, dict):
            return x_problem(400, "Invalid Request", "One or more parameters to your request was invalid.",
                             reason="body is not a JSON object")
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            return x_problem(400, "Invalid Request", "One or more parameters to your request was invalid.",
                             reason="text missing, empty or not a string")
        if self.creds.get("duplicate_check", "on") != "off" and text in self.texts:
            return x_problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.",
                             reason="duplicate text")
        return self.run_script(req, body)

    def create(self, req, data):
        self.posts += 1
        self.texts.add(data["text"])
        tweet_id = str(1850000000000000000 + self.posts * 4096 + secrets.randbelow(4096))
        return Reply(201, {"data": {"id": tweet_id, "text": data["text"], "edit_history_tweet_ids": [tweet_id]}},
                     verdict="created", post_id=tweet_id)

    def expired(self, req, data):
        return self.unauthorized("")

    def throttle(self, req, data):
        return x_problem(429, "Too Many Requests", "Too Many Requests")

    def error(self, req, data):
        return x_problem(500, "Internal Server Error", "Internal Server Error")


# ---------------------------------------------------------------- Facebook

class Facebook(Network):
    def __init__(self, fake):
        super().__init__(fake)
        self.calls = 0

    def rate_headers(self, rep, now):
        self.calls += 1
        n = 100 if rep.rate == "zero" else min(99, self.calls)
        headers = [("X-Page-Usage", dumps({"call_count": n, "total_cputime": n, "total_time": n}).decode())]
        if rep.rate == "zero":
            minutes = int(math.ceil(self.fake.args.reset_seconds / 60))
            buc = {self.creds["page_id"]: [{"type": "pages", "call_count": 100, "total_cputime": 20,
                                            "total_time": 20, "estimated_time_to_regain_access": minutes}]}
            headers.append(("X-Business-Use-Case-Usage", dumps(buc).decode()))
        return headers

    def fb_error(self, status, code, message, reason="", subcode=None, transient=None):
        error = {"message": message, "type": "OAuthException", "code": code}
        if subcode is not None:
            error["error_subcode"] = subcode
        if transient is not None:
            error["is_transient"] = transient
        error["fbtrace_id"] = "A" + secrets.token_urlsafe(8)
        return Reply(status, {"error": error}, reason=reason or message)

    def handle(self, req):
        m = re.fullmatch(r"/v(\d+)\.0/([^/]+)/feed", req.path)
        if not m:
            return self.fb_error(400, 2500, f"Unknown path components: {req.path}")
        if req.method != "POST":
            return self.fb_error(400, 100, "Unsupported get request.", reason=f"method {req.method}")
        ctype = media_type(req.header("Content-Type"))
        fields = None
        if ctype == "application/json":
            fields = req.json()
        elif ctype in ("application/x-www-form-urlencoded", ""):
            try:
                fields = dict(urllib.parse.parse_qsl(req.body.decode("utf-8"), keep_blank_values=True))
            except UnicodeDecodeError:
                fields = None
        tokens = []
        if req.header("Authorization") is not None:
            tokens.append(req.bearer())
        if isinstance(fields, dict) and "access_token" in fields:
            tokens.append(fields["access_token"])
        query = dict(urllib.parse.parse_qsl(req.query, keep_blank_values=True))
        if "access_token" in query:
            tokens.append(query["access_token"])
        if not tokens or any(t != self.creds["token"] for t in tokens):
            return self.fb_error(400, 190, "Invalid OAuth access token - Cannot parse access token",
                                 reason="missing or wrong access token")
        if m.group(2) != self.creds["page_id"]:
            return self.fb_error(400, 100, f"Unsupported post request. Object with ID '{m.group(2)}' does not exist, "
                                 "cannot be loaded due to missing permissions, or does not support this operation.",
                                 subcode=33)
        if not isinstance(fields, dict):
            return self.fb_error(400, 100, "(#100) Invalid parameter",
                                 reason=f"body not JSON or form-encoded (Content-Type {ctype or 'none'})")
        message = fields.get("message")
        if not isinstance(message, str) or not message.strip():
            return self.fb_error(400, 100, "(#100) Missing message or attachment", reason="message missing or empty")
        return self.run_script(req, fields)

    def create(self, req, data):
        self.posts += 1
        post_id = f"{self.creds['page_id']}_{122100000000000000 + self.posts}"
        return Reply(200, {"id": post_id}, verdict="created", post_id=post_id)

    def expired(self, req, data):
        return self.fb_error(400, 190, "Error validating access token: Session has expired on Tuesday, 01-Jan-30 "
                             "00:00:00 PST. The current time is Wednesday, 02-Jan-30 00:00:00 PST.", subcode=463)

    def throttle(self, req, data):
        return self.fb_error(400, 32, "(#32) Page request limit reached", transient=True)

    def error(self, req, data):
        return self.fb_error(500, 1, "An unknown error has occurred.", transient=True)


# ---------------------------------------------------------------- LinkedIn

class LinkedIn(Network):
    ALLOWED = {"author", "commentary", "visibility", "distribution", "lifecycleState", "isReshareDisabledByAuthor",
               "content", "contentLandingPage", "contentCallToActionLabel", "reshareContext", "container", "adContext"}
    DIST_ALLOWED = {"feedDistribution", "targetEntities", "thirdPartyDistributionChannels"}

    def __init__(self, fake):
        super().__init__(fake)
        versions = self.creds.get("versions")
        self.versions = {v.strip() for v in versions.split(",") if v.strip()} if versions else None

    def version_active(self, v):
        if not v or not re.fullmatch(r"\d{6}", v) or not 1 <= int(v[4:]) <= 12:
            return False
        if self.versions is not None:
            return v in self.versions
        return v[:4] in ("2025", "2026")

    def li_error(self, status, message, code=None, service=None, reason=""):
        body = {"status": status}
        if service is not None:
            body["serviceErrorCode"] = service
        if code is not None:
            body["code"] = code
        body["message"] = message
        return Reply(status, body, reason=reason or message)

    def handle(self, req):
        if req.path != "/rest/posts":
            return self.li_error(404, "No virtual resource found", code="NOT_FOUND")
        if req.method != "POST":
            return self.li_error(405, f"Method {req.method} not allowed", code="METHOD_NOT_ALLOWED")
        if req.bearer() != self.creds["token"]:
            return self.li_error(401, "Invalid access token", code="INVALID_ACCESS_TOKEN", service=65600,
                                 reason="missing or wrong bearer token")
        version = req.header("LinkedIn-Version")
        if not self.version_active(version):
            return self.li_error(426, f"Requested version {version or 'null'} is not active", code="NONEXISTENT_VERSION",
                                 reason=f"LinkedIn-Version {version!r} missing, malformed or not active")
        if req.header("X-Restli-Protocol-Version") != "2.0.0":
            return self.li_error(400, "X-Restli-Protocol-Version header must be 2.0.0", code="ILLEGAL_ARGUMENT",
                                 reason=f"X-Restli-Protocol-Version {req.header('X-Restli-Protocol-Version')!r}")
        if media_type(req.header("Content-Type")) != "application/json":
            return self.li_error(415, "Unsupported Content-Type; use application/json",
                                 reason=f"Content-Type {req.header('Content-Type')!r}")
        body = req.json()
        if not isinstance(body, dict):
            return self.li_error(400, "Unable to parse the request body as JSON", code="ILLEGAL_ARGUMENT")
        problem = self.check_post(body)
        if problem:
            return self.li_error(422, problem, reason=problem)
        return self.run_script(req, body)

    def check_post(self, b):
        unknown = sorted(set(b) - self.ALLOWED)
        if unknown:
            return f"ERROR :: /{unknown[0]} :: unrecognized field found but not allowed"
        if b.get("author") != self.creds["author"]:
            return f"ERROR :: /author :: must be {self.creds['author']}"
        if not isinstance(b.get("commentary"), str):
            return "ERROR :: /commentary :: field is required and must be a string"
        if b.get("visibility") != "PUBLIC":
            return "ERROR :: /visibility :: must be PUBLIC"
        d = b.get("distribution")
        if not isinstance(d, dict):
            return "ERROR :: /distribution :: field is required but not found and has no default value"
        unknown = sorted(set(d) - self.DIST_ALLOWED)
        if unknown:
            return f"ERROR :: /distribution/{unknown[0]} :: unrecognized field found but not allowed"
        if d.get("feedDistribution") != "MAIN_FEED":
            return "ERROR :: /distribution/feedDistribution :: must be MAIN_FEED"
        for field in ("targetEntities", "thirdPartyDistributionChannels"):
            if d.get(field) != []:
                return f"ERROR :: /distribution/{field} :: must be an empty array"
        if b.get("lifecycleState") != "PUBLISHED":
            return "ERROR :: /lifecycleState :: must be PUBLISHED"
        if not isinstance(b.get("isReshareDisabledByAuthor"), bool):
            return "ERROR :: /isReshareDisabledByAuthor :: field is required and must be a boolean"
        if "content" in b and not isinstance(b["content"], dict):
            return "ERROR :: /content :: must be a record"
        return None

    def create(self, req, data):
        self.posts += 1
        urn = f"urn:li:share:{7300000000000000000 + self.posts}"
        return Reply(201, b"", headers=[("x-restli-id", urn)], verdict="created", post_id=urn)

    def expired(self, req, data):
        return self.li_error(401, "The token used in the request has expired", code="EXPIRED_ACCESS_TOKEN",
                             service=65601)

    def throttle(self, req, data):
        return self.li_error(429, "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
                             code="TOO_MANY_REQUESTS", service=101)

    def error(self, req, data):
        return self.li_error(500, "Internal Server Error", code="INTERNAL_SERVER_ERROR")


CLASSES = {"slack": Slack, "teams": Teams, "mastodon": Mastodon, "bluesky": Bluesky, "x": X,
           "facebook": Facebook, "linkedin": LinkedIn}


class Fake:
    def __init__(self, args):
        self.args = args
        self.creds = dict(DEFAULT_CREDENTIALS.get(args.network, {}))
        self.creds.update(args.credentials)
        self.lock = threading.Lock()
        self.count = 0
        self.script = list(args.script)
        self.port = 0
        self.base_url = ""
        self.network = CLASSES[args.network](self)

    def take_reply(self):
        return self.script.pop(0) if self.script else self.args.then

    def peek_reply(self):
        return self.script[0] if self.script else self.args.then

    def process(self, req):
        with self.lock:
            self.count += 1
            n = self.count
            self.network.count_request(req.at)
            try:
                rep = self.network.handle(req)
            except Exception as e:  # a bug in the fake: answer 500 and say so in the log
                traceback.print_exc()
                rep = Reply(500, {"error": "fake failure"}, reason=f"social_fake bug: {e!r}")
            now = time.time()
            if not rep.silence:
                rep.headers += self.network.rate_headers(rep, now)
            entry = {
                "n": n, "network": self.args.network, "method": req.method, "path": req.path, "query": req.query,
                "headers": [[k, v] for k, v in req.headers], "body": req.body.decode("utf-8", "replace"),
                "at": req.at, "endpoint": rep.endpoint, "verdict": rep.verdict, "reason": rep.reason,
                "status": None if rep.silence else rep.status, "post_id": rep.post_id, "post_url": rep.post_url,
                "reply": rep.reply,
            }
            atomic_write(os.path.join(self.args.log_dir, f"{n}.json"), dumps(entry) + b"\n")
            if self.args.verbose:
                print(f"social_fake[{self.args.network}]: #{n} {req.method} {req.path} -> "
                      f"{entry['status']} {rep.verdict} {rep.reason}", file=sys.stderr, flush=True)
            return rep


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "social-fake"

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):
        pass

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
        length = self.headers.get("Content-Length")
        return self.rfile.read(int(length)) if length else b""

    def dispatch(self):
        fake = self.server.fake
        try:
            body = self.read_body()
        except (ValueError, OSError):
            self.send_error(400, "Bad request framing")
            return
        path, _, query = self.path.partition("?")
        req = Request(self.command, path, query, list(self.headers.items()), body, time.time())
        rep = fake.process(req)
        if rep.delay:
            time.sleep(rep.delay)
        if rep.silence:
            time.sleep(fake.args.silence_seconds)
            self.close_connection = True
            return
        self.send_response(rep.status)
        for name, value in rep.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(rep.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(rep.body)
        self.wfile.flush()

    do_POST = do_GET = do_PUT = do_DELETE = do_PATCH = do_HEAD = dispatch


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128


# ---------------------------------------------------------------- self-test

def self_test():
    failures = []

    def check(name, got, want):
        status = "ok" if got == want else "FAIL"
        print(f"{status:4} {name}: {got!r}" + ("" if got == want else f" (expected {want!r})"))
        if got != want:
            failures.append(name)

    c = DEFAULT_CREDENTIALS["x"]
    nonce, ts = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", "1318622958"
    oauth = [("oauth_consumer_key", c["consumer_key"]), ("oauth_nonce", nonce),
             ("oauth_signature_method", "HMAC-SHA1"), ("oauth_timestamp", ts), ("oauth_token", c["token"]),
             ("oauth_version", "1.0")]
    form = [("status", "Hello Ladies + Gentlemen, a signed OAuth request!"), ("include_entities", "true")]
    check("percent-encoding", [pct(" "), pct("+"), pct("☃"), pct("a-._~Z")], ["%20", "%2B", "%E2%98%83", "a-._~Z"])
    for host, want in (("api.x.com", "Ls93hJiZbQ3akF3HF3x1Bz8/zU4="), ("api.twitter.com", "hCtSmYh+iHYCEqBWrE7C7hYmtUk=")):
        base = signature_base_string("post", f"https://{host}/1.1/statuses/update.json", oauth + form)
        check(f"TV-2 {host}", hmac_sha1_signature(base, c["consumer_secret"], c["token_secret"]), want)
    tv2_base = ("POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_"
                "consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26"
                "oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgY"
                "yLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520"
                "Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521")
    check("TV-2 base string", signature_base_string("POST", "https://api.twitter.com/1.1/statuses/update.json",
                                                    oauth + form), tv2_base)
    # TV-2 through the header builder: form body and query string both signed
    header = oauth_header("POST", "https://api.x.com/1.1/statuses/update.json?include_entities=true",
                          urllib.parse.urlencode([form[0]], quote_via=urllib.parse.quote), c, nonce=nonce,
                          timestamp=int(ts), content_type="application/x-www-form-urlencoded")
    check("TV-2 via header builder", dict(parse_oauth_header(header))["oauth_signature"], "Ls93hJiZbQ3akF3HF3x1Bz8/zU4=")
    body = '{"text":"Hello Ladies + Gentlemen, a signed OAuth request!"}'
    base = signature_base_string("POST", "https://api.x.com/2/tweets", oauth)
    check("TV-3 JSON body excluded", hmac_sha1_signature(base, c["consumer_secret"], c["token_secret"]),
          "lr+tV/DKclEvXKVjG6tgaSSLV0k=")
    tv3_header = oauth_header("POST", "https://api.x.com/2/tweets", body, c, nonce=nonce, timestamp=int(ts))
    check("TV-3 header", tv3_header,
          'OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", '
          'oauth_signature="lr%2BtV%2FDKclEvXKVjG6tgaSSLV0k%3D", oauth_signature_method="HMAC-SHA1", '
          'oauth_timestamp="1318622958", oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", '
          'oauth_version="1.0"')
    check("TV-3 body hash", body_hash(body.encode()), "JrwjY92U8qnAeKFgiuaZ+7V4AnQ=")
    hashed = dict(parse_oauth_header(oauth_header("POST", "https://api.x.com/2/tweets", body, c, nonce=nonce,
                                                  timestamp=int(ts), include_body_hash=True)))
    check("TV-3 with oauth_body_hash", hashed["oauth_signature"], "irHVK3sB1YieEgmDxI+//IGyFoI=")
    check("base URL normalisation", base_url("HTTP", "Api.X.com:80", "/2/tweets"), "http://api.x.com/2/tweets")

    # The server-side verifier on a TV-3-shaped request against 127.0.0.1.
    class Args:
        network, credentials, script, then, reset_seconds, verbose = "x", {}, [], "ok", 60, False
    fake = Fake(Args())
    fake.port = 8080
    sig_header = oauth_header("POST", "http://127.0.0.1:8080/2/tweets", body, c)
    req = Request("POST", "/2/tweets", "", [("Host", "127.0.0.1:8080"), ("Authorization", sig_header),
                                             ("Content-Type", "application/json")], body.encode(), time.time())
    check("verifier accepts a signed request", fake.network.verify(req), None)
    check("verifier refuses the replayed nonce", fake.network.verify(req)[:11], "oauth_nonce")
    req.headers[1] = ("Authorization", sig_header.replace('oauth_nonce="', 'oauth_nonce="z'))
    check("verifier refuses a tampered header", fake.network.verify(req)[:18], "signature mismatch")

    text = "✨ example mentioning @atproto.com to share the URL 👨‍❤️‍👨 https://en.wikipedia.org/wiki/CBOR."
    raw = text.encode("utf-8")
    check("TV-5 UTF-8 bytes", len(raw), 109)
    check("TV-5 graphemes (approximate counter)", approx_graphemes(text), 88)
    check("TV-5 mention span", (raw.index(b"@atproto.com"), raw.index(b"@atproto.com") + 12), (23, 35))
    link = "https://en.wikipedia.org/wiki/CBOR"
    check("TV-5 link facet accepted", check_facets(text, [
        {"index": {"byteStart": 23, "byteEnd": 35},
         "features": [{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:ewvi7nxzyoun6zhxrhs64oiz"}]},
        {"index": {"byteStart": 74, "byteEnd": 108}, "features": [{"$type": "app.bsky.richtext.facet#link",
                                                                  "uri": link}]}]), None)
    check("TV-5 code-point offsets refused", check_facets(text, [
        {"index": {"byteStart": 58, "byteEnd": 92}, "features": [{"$type": "app.bsky.richtext.facet#link",
                                                                 "uri": link}]}]) is not None, True)
    rkey = tid(int(time.time() * 1_000_000), 7)
    check("TID shape", bool(TID_RE.match(rkey)) and len(rkey) == 13, True)
    check("TID of the TV-5 example is sortable base32", bool(TID_RE.match("3k4duaz5vfs2b")), True)
    check("CID prefix", cid_for(b"x")[:7], "bafyrei")
    print("self-test:", "FAILED " + ", ".join(failures) if failures else "all passed")
    return 1 if failures else 0


# ---------------------------------------------------------------- main

def parse_args(argv):
    p = argparse.ArgumentParser(description="Scriptable fake social/chat posting API for tests.")
    p.add_argument("--network", choices=NETWORKS)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--ready-file")
    p.add_argument("--log-dir")
    p.add_argument("--credential", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--script", action="append", default=[], metavar="REPLY,REPLY,...")
    p.add_argument("--then", default="ok")
    p.add_argument("--reset-seconds", type=int, default=60)
    p.add_argument("--silence-seconds", type=float, default=30)
    p.add_argument("--teams-mode", choices=["workflows", "connector"], default="workflows")
    p.add_argument("--life", type=float, default=300)
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--self-test", action="store_true")
    p.add_argument("--sign-x", metavar="URL")
    p.add_argument("--sign-method", default="POST")
    p.add_argument("--sign-body", default="")
    p.add_argument("--sign-nonce")
    p.add_argument("--sign-timestamp", type=int)
    p.add_argument("--sign-body-hash", action="store_true")
    a = p.parse_args(argv)
    a.credentials = {}
    for item in a.credential:
        key, sep, value = item.partition("=")
        if not sep or not key:
            p.error(f"--credential wants KEY=VALUE, got {item!r}")
        a.credentials[key] = value
    a.script = [r.strip() for chunk in a.script for r in chunk.split(",") if r.strip()]
    if a.self_test or a.sign_x:
        return a
    if not a.network or not a.log_dir:
        p.error("--network and --log-dir are required")
    for r in a.script + [a.then]:
        if r not in REPLIES:
            p.error(f"unknown reply {r!r}; use one of {', '.join(REPLIES)}")
        if r == "connector-error" and a.network != "teams":
            p.error("connector-error is a Teams reply")
    if a.reset_seconds < 0 or a.silence_seconds < 0:
        p.error("--reset-seconds and --silence-seconds must not be negative")
    return a


def main(argv=None):
    # A parent started from a thread that blocks signals (a Swift test's
    # dispatch worker) passes that mask on; unblock so SIGTERM stops us.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_test:
        return self_test()
    if args.sign_x:
        creds = dict(DEFAULT_CREDENTIALS["x"], **args.credentials)
        print(oauth_header(args.sign_method, args.sign_x, args.sign_body, creds, nonce=args.sign_nonce,
                           timestamp=args.sign_timestamp, include_body_hash=args.sign_body_hash))
        return 0
    os.makedirs(args.log_dir, exist_ok=True)
    fake = Fake(args)
    try:
        server = Server((args.host, args.port), Handler)
    except OSError as e:
        print(f"social_fake.py: {e}", file=sys.stderr)
        return 1
    server.fake = fake
    fake.port = server.server_address[1]
    fake.base_url = f"http://{args.host}:{fake.port}"
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    if args.ready_file:
        atomic_write(args.ready_file, f"{fake.port}\n".encode())
    if args.verbose:
        print(f"social_fake[{args.network}]: listening on {fake.base_url}", file=sys.stderr, flush=True)
    stop.wait(args.life)
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
