#!/usr/bin/env python3
"""One measurement per call, for scripts/bench.sh. Each subcommand runs a single run against sinks that
bench.sh already started, checks what the sink received, prints a human line, and appends
"key<TAB>value" lines to --results for report.py. A failed check exits with status 1 and says why.

  measure.py herald  --bin B [--email] --url U --messages N --max-in-flight K ...
  measure.py wrk     --http-port P --duration 5s --threads 2 --connections 64
  measure.py huey    --http-port P --messages N --workers 4 --workdir DIR
  measure.py smtplib --smtp-port P --messages N --threads 4
  measure.py nginx-count --http-port P      (prints requests nginx has served; used to wait for startup)
  measure.py smtp-count  --smtp-port P      (prints messages the SMTP sink has counted)

Counting: nginx's stub_status "requests" total includes the status reads themselves, so NginxCounter
subtracts its own reads. The SMTP sink answers XCOUNT with its message total (see smtp_sink.py).
"""
import argparse
import json
import os
import re
import signal
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HOST = "127.0.0.1"
HERE = os.path.dirname(os.path.abspath(__file__))
PAYLOAD_FILE = os.path.join(HERE, "payload.json")


class CheckFailed(Exception):
    """A sink or a tool did not see what the run was supposed to produce."""


def _terminate_on_sigterm():
    # bench.sh's cleanup sends SIGTERM; turn it into SystemExit so `finally` blocks stop our children.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def _stop(proc, grace=10.0):
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _record(path, pairs):
    if not path:
        return
    with open(path, "a") as f:
        for key, value in pairs:
            f.write("%s\t%r\n" % (key, float(value)))


def _tail(path, lines=20):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


# ---------------------------------------------------------------------------------------------- sinks

class NginxCounter:
    """Hook requests nginx served since mark(), not counting our own stub_status reads."""

    def __init__(self, port):
        self.url = "http://%s:%d/nginx_status" % (HOST, port)
        self.base = None
        self.reads = 0

    def total(self):
        with urllib.request.urlopen(self.url, timeout=5) as r:
            text = r.read().decode()
        # "Active connections: 1\nserver accepts handled requests\n 5 5 9\nReading: ..."
        numbers = text.splitlines()[2].split()
        return int(numbers[2])

    def mark(self):
        self.base = self.total()   # this read is counted in base itself
        self.reads = 0

    def since_mark(self):
        now = self.total()
        self.reads += 1
        return now - self.base - self.reads


def smtp_count(port):
    with smtplib.SMTP(HOST, port, timeout=10) as s:
        code, text = s.docmd("XCOUNT")
    if code != 250:
        raise CheckFailed("SMTP sink did not answer XCOUNT (%d %r)" % (code, text))
    return int(text)


# --------------------------------------------------------------------------------------------- Herald

HERALD_LINE = re.compile(
    r"enqueue/s\s+(?P<enq>[\d.]+)\s+delivered/s\s+(?P<dps>[\d.]+)\s+delivered\s+(?P<delivered>\d+)"
    r".*?p50\s+(?P<p50>[\d.]+)\s*ms\s+p99\s+(?P<p99>[\d.]+)\s*ms\s+peak RSS\s+(?P<rss>[\d.]+)\s*MB")


def cmd_herald(a):
    mode = "email" if a.email else "webhook"
    cmd = [a.bin, "bench", "--url", a.url, "--messages", str(a.messages),
           "--max-in-flight", str(a.max_in_flight), "--batch", str(a.batch), "--directory", a.directory]
    if a.email:
        cmd.insert(2, "--email")
    before = smtp_count(a.smtp_port) if a.email else None
    nginx = None
    if not a.email:
        nginx = NginxCounter(a.http_port)
        nginx.mark()
    print("  $ " + " ".join(cmd), flush=True)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        out, _ = proc.communicate(timeout=a.timeout)
    except subprocess.TimeoutExpired:
        raise CheckFailed("herald bench (%s) did not finish within %.0fs" % (mode, a.timeout))
    finally:
        _stop(proc)
    match = HERALD_LINE.search(out)
    if proc.returncode != 0 or match is None:
        raise CheckFailed("herald bench (%s) exited %s without its result line; output:\n%s"
                          % (mode, proc.returncode, out[-3000:]))
    line = next(l for l in out.splitlines() if match.group(0) in l)
    print("  " + line.strip(), flush=True)
    delivered = int(match.group("delivered"))
    if delivered < a.messages:
        raise CheckFailed("herald delivered %d of %d %s messages" % (delivered, a.messages, mode))
    seen = smtp_count(a.smtp_port) - before if a.email else nginx.since_mark()
    sink = "SMTP sink" if a.email else "nginx"
    if seen < a.messages:
        raise CheckFailed("%s saw %d of the %d messages herald reports delivered" % (sink, seen, a.messages))
    note = "" if seen == a.messages else "  (more than sent: %d retried deliveries)" % (seen - a.messages)
    print("  %s counted %d%s" % (sink, seen, note), flush=True)
    key = "herald_" + mode
    _record(a.results, [(key + "_delivered", match.group("dps")), (key + "_enqueue", match.group("enq")),
                        (key + "_p50", match.group("p50")), (key + "_p99", match.group("p99")),
                        (key + "_rss", match.group("rss"))])


# ------------------------------------------------------------------------------------------------ wrk

def cmd_wrk(a):
    url = "http://%s:%d/hook" % (HOST, a.http_port)
    cmd = ["wrk", "-t%d" % a.threads, "-c%d" % a.connections, "-d%s" % a.duration,
           "-s", os.path.join(HERE, "post.lua"), url]
    env = dict(os.environ, HERALD_BENCH_PAYLOAD=PAYLOAD_FILE)
    nginx = NginxCounter(a.http_port)
    nginx.mark()
    print("  $ " + " ".join(cmd), flush=True)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        out, _ = proc.communicate(timeout=a.timeout)
    finally:
        _stop(proc)
    summary = re.search(r"WRK_SUMMARY (.*)", out)
    if proc.returncode != 0 or summary is None:
        raise CheckFailed("wrk exited %s without a summary; output:\n%s" % (proc.returncode, out))
    s = {k: int(v) for k, v in (kv.split("=") for kv in summary.group(1).split())}
    rate = s["requests"] / (s["duration_us"] / 1e6)
    seen = nginx.since_mark()
    errors = s["connect"] + s["read"] + s["write"] + s["status"] + s["timeout"]
    print("  wrk: %d requests in %.2fs = %.0f req/s, %d-byte body, errors %d; nginx counted %d"
          % (s["requests"], s["duration_us"] / 1e6, rate, s["body_bytes"], errors, seen), flush=True)
    if errors:
        raise CheckFailed("wrk reported errors: %s" % summary.group(1))
    # nginx may also have counted the requests still in flight when wrk stopped (at most one per connection).
    if not s["requests"] <= seen <= s["requests"] + a.connections:
        raise CheckFailed("nginx counted %d requests, wrk reported %d" % (seen, s["requests"]))
    _record(a.results, [("wrk_rps", rate)])


# ----------------------------------------------------------------------------------------------- huey

def cmd_huey(a):
    rundir = tempfile.mkdtemp(prefix="huey-", dir=a.workdir)
    os.environ["HERALD_BENCH_HUEY_DB"] = os.path.join(rundir, "huey.db")
    os.environ["HERALD_BENCH_HOOK_URL"] = "http://%s:%d/hook" % (HOST, a.http_port)
    sys.path.insert(0, HERE)
    import huey_tasks  # reads the two variables above when imported

    with open(PAYLOAD_FILE) as f:
        payload = json.load(f)
    start = time.perf_counter()
    for i in range(a.messages):
        payload["data"]["seq"] = i
        huey_tasks.post_hook(payload)
    enqueue_s = time.perf_counter() - start
    pending = huey_tasks.huey.pending_count()
    if pending != a.messages:
        raise CheckFailed("huey holds %d tasks after enqueuing %d" % (pending, a.messages))

    nginx = NginxCounter(a.http_port)
    nginx.mark()
    log_path = os.path.join(rundir, "consumer.log")
    env = dict(os.environ, PYTHONPATH=HERE + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "huey.bin.huey_consumer", "huey_tasks.huey",
           "-w", str(a.workers), "-k", "thread", "-q"]
    with open(log_path, "w") as log:
        spawned = time.monotonic()
        consumer = subprocess.Popen(cmd, cwd=rundir, env=env, stdout=log, stderr=subprocess.STDOUT)
    first = done = exited = None
    try:
        deadline = spawned + a.timeout
        while time.monotonic() < deadline:
            exited = consumer.poll()
            if exited is not None:
                break
            seen = nginx.since_mark()
            now = time.monotonic()
            if seen and first is None:
                first = now
            if seen >= a.messages:
                done = now
                break
            time.sleep(0.01)
    finally:
        _stop(consumer)
    seen = nginx.since_mark()
    left = huey_tasks.huey.pending_count()
    if done is None:
        why = "exited by itself (status %s)" % exited if exited is not None else "timed out after %.0fs" % a.timeout
        raise CheckFailed("huey consumer %s: nginx saw %d of %d requests, %d tasks left in the queue; "
                          "consumer log:\n%s" % (why, seen, a.messages, left, _tail(log_path)))
    if seen != a.messages or left != 0:
        raise CheckFailed("huey: nginx counted %d requests for %d tasks, %d left in the queue"
                          % (seen, a.messages, left))
    drain_s = done - spawned
    print("  huey+pycurl -w %d: enqueue %d in %.3fs = %.0f/s | delivered in %.3fs from consumer spawn = "
          "%.0f/s (first request after %.3fs, %.0f/s from there); nginx counted %d, queue left %d"
          % (a.workers, a.messages, enqueue_s, a.messages / enqueue_s, drain_s, a.messages / drain_s,
             first - spawned, a.messages / max(done - first, 1e-9), seen, left), flush=True)
    _record(a.results, [("huey_enqueue", a.messages / enqueue_s), ("huey_delivered", a.messages / drain_s)])


# -------------------------------------------------------------------------------------------- smtplib

# About 1 KB of plain text per message, close to what `herald bench --email` sends.
MAIL_BODY = ("Hello,\r\n\r\nSomeone left a new review for your practice.\r\n\r\n"
             + "Padding text that brings this bench message up to about one kilobyte. " * 13
             + "\r\n\r\n-- \r\nHerald bench peer\r\n")


def mail_bytes(n):
    head = ("From: Bench peer <notify@example.test>\r\n"
            "To: Practitioner %d <practitioner%d@example.test>\r\n"
            "Subject: Review published (%d)\r\n"
            "Date: Tue, 01 Dec 2026 12:00:00 +0000\r\n"
            "Message-ID: <%d.peer@bench.example.test>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 7bit\r\n\r\n" % (n % 100, n % 100, n, n))
    return (head + MAIL_BODY).encode()


def cmd_smtplib(a):
    before = smtp_count(a.smtp_port)
    shares = [a.messages // a.threads + (1 if t < a.messages % a.threads else 0) for t in range(a.threads)]
    failures = []

    def sender(first, count):
        try:
            with smtplib.SMTP(HOST, a.smtp_port, local_hostname="peer.bench.example.test", timeout=30) as s:
                for n in range(first, first + count):
                    refused = s.sendmail("notify@example.test", ["practitioner%d@example.test" % (n % 100)],
                                         mail_bytes(n))
                    if refused:
                        raise CheckFailed("sink refused %r" % refused)
        except Exception as e:  # reported after join
            failures.append(e)

    starts = [sum(shares[:t]) for t in range(a.threads)]
    threads = [threading.Thread(target=sender, args=(starts[t], shares[t])) for t in range(a.threads)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=a.timeout)
    elapsed = time.perf_counter() - start
    if any(t.is_alive() for t in threads):
        raise CheckFailed("smtplib threads still sending after %.0fs" % a.timeout)
    if failures:
        raise CheckFailed("smtplib sender failed: %r" % failures[0])
    seen = smtp_count(a.smtp_port) - before
    rate = a.messages / elapsed
    print("  smtplib %d threads: %d messages (%d bytes each) in %.3fs = %.0f/s; SMTP sink counted %d"
          % (a.threads, a.messages, len(mail_bytes(0)), elapsed, rate, seen), flush=True)
    if seen != a.messages:
        raise CheckFailed("SMTP sink counted %d messages, smtplib sent %d" % (seen, a.messages))
    _record(a.results, [("smtplib_rate", rate)])


# ----------------------------------------------------------------------------------------------- main

def main():
    _terminate_on_sigterm()
    ap = argparse.ArgumentParser(description="one bench measurement (see scripts/bench.sh)")
    sub = ap.add_subparsers(dest="what", required=True)

    def common(p, timeout):
        p.add_argument("--http-port", type=int, default=18080)
        p.add_argument("--smtp-port", type=int, default=2525)
        p.add_argument("--results", default=None, help="append key<TAB>value lines here")
        p.add_argument("--timeout", type=float, default=timeout, help="upper bound for the run, seconds")

    p = sub.add_parser("herald")
    common(p, 900)
    p.add_argument("--bin", required=True)
    p.add_argument("--email", action="store_true")
    p.add_argument("--url", required=True)
    p.add_argument("--messages", type=int, required=True)
    p.add_argument("--max-in-flight", type=int, required=True)
    p.add_argument("--batch", type=int, default=1000)
    p.add_argument("--directory", required=True)
    p.set_defaults(fn=cmd_herald)

    p = sub.add_parser("wrk")
    common(p, 120)
    p.add_argument("--duration", default="5s")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--connections", type=int, default=64)
    p.set_defaults(fn=cmd_wrk)

    p = sub.add_parser("huey")
    common(p, 300)
    p.add_argument("--messages", type=int, default=5000)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--workdir", required=True)
    p.set_defaults(fn=cmd_huey)

    p = sub.add_parser("smtplib")
    common(p, 300)
    p.add_argument("--messages", type=int, default=10000)
    p.add_argument("--threads", type=int, default=4)
    p.set_defaults(fn=cmd_smtplib)

    p = sub.add_parser("nginx-count")
    common(p, 0)
    p.set_defaults(fn=lambda a: print(NginxCounter(a.http_port).total()))

    p = sub.add_parser("smtp-count")
    common(p, 0)
    p.set_defaults(fn=lambda a: print(smtp_count(a.smtp_port)))

    a = ap.parse_args()
    try:
        a.fn(a)
    except CheckFailed as e:
        print("FAILED: %s" % e, file=sys.stderr, flush=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
