#!/usr/bin/env python3
"""smtp_sink.py - a scriptable SMTP server for Herald's integration tests.

Built on aiosmtpd (Debian: python3-aiosmtpd, PyPI: aiosmtpd; tested with 1.4.3
and 1.4.6). It runs its own asyncio loop rather than aiosmtpd's Controller, so
that --port 0 works and no self-test connection is ever made (which would
otherwise use up a scripted greeting failure).

Usage:
  smtp_sink.py --port 0 --ready-file /tmp/x/port --maildir /tmp/x/mail
      [--tls-mode none|starttls|implicit --cert server.pem --key server.key]
      [--auth-user U --auth-password P]
      [--fail-first N [--fail-code C] [--greeting-code C]]
      [--reject-rcpt ADDRESS ...] [--hold-first N --hold-seconds S]
      [--count-only] [--life SECONDS] [--verbose]

Listening:
  Binds 127.0.0.1 (--host to change). Once listening, the actual port and a
  newline are written to --ready-file atomically (temp file + rename).

Stored mail (--maildir DIR), n = 1, 2, ... in order of acceptance:
  DIR/<n>.eml   the DATA bytes exactly as received, after dot-unstuffing
                (aiosmtpd's envelope.original_content), line endings untouched
  DIR/<n>.json  {"mail_from", "rcpt_tos", "peer": "host:port", "tls",
                 "auth_login", "queue_id"}; written last and atomically, so
                seeing the .json means the .eml is complete.
  Accepted DATA is answered "250 2.0.0 Ok: queued as <ID>".
  --count-only writes nothing and prints the accepted count on stdout at exit.

TLS (--tls-mode):
  none      plain text.
  starttls  offers STARTTLS and answers "530 Must issue a STARTTLS command
            first" to anything but EHLO/NOOP/QUIT/STARTTLS before it.
  implicit  TLS from the first byte (smtps).

Auth (--auth-user/--auth-password): AUTH PLAIN and LOGIN are offered and
  required before MAIL ("530 5.7.0 Authentication required"); bad credentials
  get "535 5.7.8 Authentication credentials invalid". With starttls, AUTH is
  only offered/accepted after STARTTLS ("538 5.7.11 ..." before it). With
  implicit TLS and with --tls-mode none, AUTH is accepted at once (aiosmtpd's
  auth_require_tls only recognises STARTTLS, so it is switched off there).

Scripted failures:
  --fail-first N --fail-code C   the first N DATA transactions (counted across
      connections, at end of data) are answered "C 4.3.0 Try again later"
      (4xx) or "C 5.1.1 Mailbox unavailable" (5xx) and not stored.
      If --fail-first is given without --fail-code or --greeting-code, C = 451.
  --fail-first N --greeting-code C   the first N connections get the greeting
      "C 4.3.2 Service not available, closing transmission channel" (or
      "C 5.3.2 ..." for 5xx) and are closed. If --fail-code is given too, the
      first N DATA transactions also fail.
  --reject-rcpt ADDRESS (repeatable, case-insensitive)
      RCPT TO that address gets "550 5.1.1 No such user".

Held replies:
  --hold-first N --hold-seconds S   the first N accepted DATA transactions are
      stored at once but answered only S seconds later: a server that has the
      message while its client is still waiting (for a client that gives up,
      it arrived all the same).

Lifetime: exits 0 on SIGTERM/SIGINT, and by itself after --life seconds
  (default 600). --verbose logs one line per connection/transaction to stderr.
"""
import argparse
import asyncio
import json
import logging
import os
import secrets
import signal
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

DATA_SIZE_LIMIT = 10 * 1024 * 1024


def atomic_write(path, data):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class Sink:
    """aiosmtpd handler: holds the scripted behaviour and the counters."""

    def __init__(self, args):
        self.args = args
        self.reject = {a.lower() for a in args.reject_rcpt}
        self.accepted = 0
        self.data_seen = 0
        self.connections = 0

    def log(self, text):
        if self.args.verbose:
            print(f"smtp_sink: {text}", file=sys.stderr, flush=True)

    def failure_reply(self, code, transient_text, permanent_text):
        if code < 500:
            return f"{code} 4.{transient_text}"
        return f"{code} 5.{permanent_text}"

    def greeting_failure(self):
        """Reply to send instead of the 220 greeting, or None."""
        self.connections += 1
        code = self.args.greeting_code
        if code and self.connections <= self.args.fail_first:
            return self.failure_reply(
                code,
                "3.2 Service not available, closing transmission channel",
                "3.2 Service not available, closing transmission channel")
        return None

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.lower() in self.reject:
            self.log(f"{session.peer} RCPT {address} rejected")
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_seen += 1
        code = self.args.fail_code
        if code and self.data_seen <= self.args.fail_first:
            reply = self.failure_reply(code, "3.0 Try again later",
                                       "1.1 Mailbox unavailable")
            self.log(f"{session.peer} DATA #{self.data_seen} failed: {reply}")
            return reply
        raw = envelope.original_content
        if raw is None:  # very old aiosmtpd
            raw = envelope.content
        self.accepted += 1
        n = self.accepted
        queue_id = f"H{n}{secrets.token_hex(4).upper()}"
        tls = server.transport.get_extra_info("ssl_object") is not None
        if not self.args.count_only:
            meta = {
                "mail_from": envelope.mail_from,
                "rcpt_tos": list(envelope.rcpt_tos),
                "peer": "%s:%s" % session.peer[:2] if session.peer else None,
                "tls": tls,
                "auth_login": session.auth_data if session.authenticated else None,
                "queue_id": queue_id,
            }
            d = self.args.maildir
            atomic_write(os.path.join(d, f"{n}.eml"), raw)
            atomic_write(os.path.join(d, f"{n}.json"),
                         json.dumps(meta, ensure_ascii=False).encode() + b"\n")
        self.log(f"{session.peer} accepted #{n} {queue_id} from={envelope.mail_from} "
                 f"rcpt={envelope.rcpt_tos} bytes={len(raw)} tls={tls} "
                 f"auth={session.auth_data if session.authenticated else None}")
        if n <= self.args.hold_first:
            await asyncio.sleep(self.args.hold_seconds)
        return f"250 2.0.0 Ok: queued as {queue_id}"


class SinkSMTP(SMTP):
    async def _handle_client(self):
        reply = self.event_handler.greeting_failure()
        if reply is None:
            return await super()._handle_client()
        self.event_handler.log(f"{self.session.peer} greeting: {reply}")
        await self.push(reply)
        self.transport.close()


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        if (isinstance(auth_data, LoginPassword)
                and auth_data.login == user.encode()
                and auth_data.password == password.encode()):
            return AuthResult(success=True, auth_data=user)
        return AuthResult(success=False, handled=False)
    return authenticate


def parse_args(argv):
    p = argparse.ArgumentParser(description="Scriptable SMTP sink for tests.")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--ready-file")
    p.add_argument("--maildir")
    p.add_argument("--tls-mode", choices=["none", "starttls", "implicit"], default="none")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--auth-user")
    p.add_argument("--auth-password")
    p.add_argument("--fail-first", type=int, default=0)
    p.add_argument("--fail-code", type=int)
    p.add_argument("--greeting-code", type=int)
    p.add_argument("--reject-rcpt", action="append", default=[])
    p.add_argument("--hold-first", type=int, default=0)
    p.add_argument("--hold-seconds", type=float, default=0)
    p.add_argument("--count-only", action="store_true")
    p.add_argument("--life", type=float, default=600)
    p.add_argument("--verbose", action="store_true")
    a = p.parse_args(argv)
    if a.tls_mode != "none" and not (a.cert and a.key):
        p.error("--tls-mode starttls/implicit needs --cert and --key")
    if (a.auth_user is None) != (a.auth_password is None):
        p.error("--auth-user and --auth-password go together")
    if not a.count_only and not a.maildir:
        p.error("--maildir is required unless --count-only")
    for code in (a.fail_code, a.greeting_code):
        if code is not None and not 400 <= code <= 599:
            p.error("failure codes must be 4xx or 5xx")
    if a.fail_first and a.fail_code is None and a.greeting_code is None:
        a.fail_code = 451
    return a


async def serve(args, sink):
    loop = asyncio.get_running_loop()
    tls_ctx = None
    if args.tls_mode != "none":
        tls_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_ctx.load_cert_chain(args.cert, args.key)
    auth = {}
    if args.auth_user is not None:
        auth = dict(auth_required=True,
                    authenticator=make_authenticator(args.auth_user, args.auth_password),
                    auth_require_tls=(args.tls_mode == "starttls"))

    def factory():
        return SinkSMTP(
            sink, loop=loop, hostname="smtp-sink.test", ident="Herald smtp_sink",
            data_size_limit=DATA_SIZE_LIMIT, decode_data=False, enable_SMTPUTF8=True,
            tls_context=tls_ctx if args.tls_mode == "starttls" else None,
            require_starttls=(args.tls_mode == "starttls"),
            **auth)

    server = await loop.create_server(
        factory, host=args.host, port=args.port,
        ssl=tls_ctx if args.tls_mode == "implicit" else None)
    port = server.sockets[0].getsockname()[1]
    if args.ready_file:
        atomic_write(args.ready_file, f"{port}\n".encode())
    sink.log(f"listening on {args.host}:{port} tls={args.tls_mode} "
             f"auth={'yes' if auth else 'no'}")

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.call_later(args.life, stop.set)
    await stop.wait()
    server.close()


def main(argv=None):
    # A parent started from a thread that blocks signals (a Swift test's
    # dispatch worker) passes that mask on; unblock so SIGTERM stops us.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # aiosmtpd warns (logging + warnings) about AUTH without TLS; keep stderr
    # for our own --verbose lines.
    warnings.simplefilter("ignore")
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    if args.maildir:
        os.makedirs(args.maildir, exist_ok=True)
    sink = Sink(args)
    try:
        asyncio.run(serve(args, sink))
    except OSError as e:  # port in use, unreadable cert/key (ssl.SSLError too)
        print(f"smtp_sink.py: {e}", file=sys.stderr)
        return 1
    if args.count_only:
        print(sink.accepted, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
