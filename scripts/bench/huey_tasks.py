"""huey task module for the huey+pycurl peer in scripts/bench.sh (imported by peers.py and by
`python3 -m huey.bin.huey_consumer huey_tasks.huey`).

The queue is a SqliteHuey with huey's defaults, its file named by HERALD_BENCH_HUEY_DB. The task
receives the JSON payload as its argument (so it travels through the queue) and POSTs it to
HERALD_BENCH_HOOK_URL with one pycurl handle per consumer thread, which keeps its connection alive.
"""
import json
import os
import threading

import pycurl
from huey import SqliteHuey

HOOK_URL = os.environ.get("HERALD_BENCH_HOOK_URL", "http://127.0.0.1:18080/hook")
huey = SqliteHuey(filename=os.environ.get("HERALD_BENCH_HUEY_DB", "huey-bench.db"))

_per_thread = threading.local()


def _handle():
    curl = getattr(_per_thread, "curl", None)
    if curl is None:
        curl = pycurl.Curl()
        curl.setopt(pycurl.URL, HOOK_URL)
        curl.setopt(pycurl.POST, 1)
        # "Expect:" stops libcurl from waiting for 100-continue; the response body is thrown away.
        curl.setopt(pycurl.HTTPHEADER, ["Content-Type: application/json", "Expect:"])
        curl.setopt(pycurl.WRITEFUNCTION, lambda chunk: None)
        curl.setopt(pycurl.TIMEOUT, 10)
        _per_thread.curl = curl
    return curl


@huey.task()
def post_hook(payload):
    curl = _handle()
    curl.setopt(pycurl.POSTFIELDS, json.dumps(payload, separators=(",", ":")))
    curl.perform()
    status = curl.getinfo(pycurl.RESPONSE_CODE)
    if not 200 <= status < 300:
        raise RuntimeError("webhook sink answered HTTP %d" % status)
