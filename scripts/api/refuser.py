#!/usr/bin/env python3
"""A loopback webhook receiver for scripts/api-load.sh that refuses every delivery with 400, so the worker records
each message as dead after one attempt (a 400 is permanent: docs/channels.md §8). It listens on a free port, writes
that port to --ready-file, counts what it refused into --count-file on exit, and stops by itself after --life seconds.

  refuser.py --ready-file F --count-file C [--life 3600]
"""
import argparse
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ready-file", required=True)
    ap.add_argument("--count-file", required=True)
    ap.add_argument("--life", type=float, default=3600.0)
    args = ap.parse_args()
    refused = 0
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            nonlocal refused
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                refused += 1
            body = b'{"error": "refused by the load test receiver"}'
            self.send_response(400)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True

    def stop(*_):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    timer = threading.Timer(args.life, stop)
    timer.daemon = True
    timer.start()
    tmp = args.ready_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.replace(tmp, args.ready_file)
    server.serve_forever()
    with open(args.count_file, "w") as f:
        f.write("%d\n" % refused)
    sys.exit(0)


if __name__ == "__main__":
    main()
