#!/usr/bin/env python3
"""Summary table for scripts/bench.sh: reads the key<TAB>value lines that measure.py appended (one line
per key per run) and prints, for each comparison, Herald's median, the peer's median and their ratio
(Herald / peer, so above 1x means Herald is faster), each median with the min-max of its runs.

  report.py RESULTS_FILE [--title "a line about sizes"]
"""
import argparse
import statistics
from collections import defaultdict

# (label, herald key, peer label, peer key)
COMPARISONS = [
    ("webhook delivered/s", "herald_webhook_delivered", "huey+pycurl (4 threads)", "huey_delivered"),
    ("webhook delivered/s", "herald_webhook_delivered", "wrk -t2 -c64 keep-alive", "wrk_rps"),
    ("enqueue/s", "herald_webhook_enqueue", "huey SqliteHuey enqueue", "huey_enqueue"),
    ("email delivered/s", "herald_email_delivered", "smtplib (4 threads)", "smtplib_rate"),
]

# Herald-only figures: (label, key, unit, decimals)
HERALD_ONLY = [
    ("webhook due->delivered p50", "herald_webhook_p50", "ms", 1),
    ("webhook due->delivered p99", "herald_webhook_p99", "ms", 1),
    ("webhook peak RSS", "herald_webhook_rss", "MB", 1),
    ("email enqueue/s", "herald_email_enqueue", "", 0),
    ("email due->delivered p50", "herald_email_p50", "ms", 1),
    ("email due->delivered p99", "herald_email_p99", "ms", 1),
    ("email peak RSS", "herald_email_rss", "MB", 1),
]


def load(path):
    values = defaultdict(list)
    with open(path) as f:
        for line in f:
            key, _, value = line.strip().partition("\t")
            if key:
                values[key].append(float(value))
    return values


def num(x, decimals=0):
    return "{:,.{d}f}".format(x, d=decimals)


def spread(xs, decimals=0):
    """'median (min-max, n runs)'."""
    med = statistics.median(xs)
    if len(xs) == 1:
        return num(med, decimals), ""
    return num(med, decimals), "(%s-%s)" % (num(min(xs), decimals), num(max(xs), decimals))


def ratio(a, b):
    r = a / b if b else float("inf")
    return "%.1fx" % r if r >= 1 else "%.2fx" % r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--title", default="")
    args = ap.parse_args()
    v = load(args.results)
    runs = max((len(x) for x in v.values()), default=0)

    line = "=" * 112
    print()
    print(line)
    print("Herald vs peers: median of %d run%s (min-max of the runs); ratio = Herald median / peer median"
          % (runs, "" if runs == 1 else "s"))
    if args.title:
        print(args.title)
    print(line)
    fmt = "%-20s herald %8s %-19s %-24s %8s %-19s ratio %s"
    for label, hkey, peer, pkey in COMPARISONS:
        if hkey in v and pkey in v:
            hm, hs = spread(v[hkey])
            pm, ps = spread(v[pkey])
            print((fmt % (label, hm, hs, peer, pm, ps,
                          ratio(statistics.median(v[hkey]), statistics.median(v[pkey])))).rstrip())
    print("-" * 112)
    for label, key, unit, decimals in HERALD_ONLY:
        if key in v:
            m, s = spread(v[key], decimals)
            print(("%-27s herald %8s %-3s %s" % (label, m, unit, s)).rstrip())
    print(line)

if __name__ == "__main__":
    main()
