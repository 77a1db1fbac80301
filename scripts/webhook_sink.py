#!/usr/bin/env python3
"""A loopback webhook receiver for the demo: verifies each Standard Webhooks signature independently of
Herald (hmac + hashlib), answers 204 (or 401 on a bad signature) and prints one line per event.

  webhook_sink.py --port 18090 --secret whsec_...
"""
import argparse
import base64
import hashlib
import hmac
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=18090)
    ap.add_argument("--secret", required=True)
    args = ap.parse_args()
    encoded = args.secret.removeprefix("whsec_")
    key = base64.b64decode(encoded + "=" * (-len(encoded) % 4))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            mid, ts = self.headers.get("webhook-id", ""), self.headers.get("webhook-timestamp", "")
            expected = base64.b64encode(hmac.new(key, f"{mid}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
            offered = [s.split(",", 1)[1] for s in self.headers.get("webhook-signature", "").split() if s.startswith("v1,")]
            ok = any(hmac.compare_digest(expected, s) for s in offered)
            event = json.loads(body) if ok else {}
            print(f"sink: {'verified' if ok else 'BAD SIGNATURE'} webhook-id={mid} type={event.get('type')}", flush=True)
            self.send_response(204 if ok else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
