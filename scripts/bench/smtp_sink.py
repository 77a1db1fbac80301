#!/usr/bin/env python3
"""Counting SMTP sink for scripts/bench.sh.

Listens on 127.0.0.1:PORT, accepts every message with "250 OK" and keeps nothing but a counter in
memory. The extra command XCOUNT answers "250 <messages received so far>", so the bench can check
deliveries without the sink writing anything to disk. Stops on SIGTERM/SIGINT, or by itself after
--life seconds so a forgotten sink cannot linger.

Needs aiosmtpd; Debian's python3-aiosmtpd installs it for /usr/bin/python3.

  /usr/bin/python3 smtp_sink.py --port 2525 [--life 3600]
"""
import argparse
import asyncio
import logging
import signal

from aiosmtpd.smtp import SMTP


class Counter:
    """aiosmtpd handler: count and drop."""

    def __init__(self):
        self.messages = 0

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        return "250 OK"


class CountingSMTP(SMTP):
    async def smtp_XCOUNT(self, arg):
        await self.push("250 %d" % self.event_handler.messages)


async def serve(port, life):
    loop = asyncio.get_running_loop()
    counter = Counter()
    server = await loop.create_server(
        lambda: CountingSMTP(counter, hostname="sink.bench.test", ident="herald-bench-sink", loop=loop),
        host="127.0.0.1", port=port, reuse_address=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("smtp sink listening on 127.0.0.1:%d" % port, flush=True)
    try:
        await asyncio.wait_for(stop.wait(), timeout=life)
    except asyncio.TimeoutError:
        print("smtp sink: --life of %.0fs reached, stopping" % life, flush=True)
    server.close()
    print("smtp sink: %d messages received" % counter.messages, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=2525)
    ap.add_argument("--life", type=float, default=3600, help="stop by itself after this many seconds")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(serve(args.port, args.life))


if __name__ == "__main__":
    main()
