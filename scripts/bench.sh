#!/usr/bin/env bash
# Herald's throughput next to well-known peers, measured in one sitting against the same loopback sinks.
#
# What it measures (each --runs times, default 3, interleaved so drift hits both sides alike):
#   webhook  `herald bench` delivering signed webhooks to nginx (204 on /hook), compared with
#            - wrk -t2 -c64 keep-alive POSTing a ~300-byte JSON body: the ceiling of the sink itself
#            - huey (SqliteHuey, defaults) + pycurl, 4 consumer threads: a typical Python task queue
#            and Herald's enqueue/s compared with huey's enqueue/s.
#   email    `herald bench --email` delivering ~1.3 KB emails to a counting aiosmtpd sink, compared with
#            4 Python threads each holding one smtplib connection.
# The sinks (nginx with worker_processes 1, aiosmtpd) listen on 127.0.0.1 only, are started here and
# are stopped on exit or Ctrl-C. Every run checks that the sink received what was sent; a short
# count, a sink that does not come up or a Herald that delivers fewer than asked stops the script
# with a non-zero exit.
#
# Reading the output: each run prints one line per tool; the table at the end gives for every
# measure Herald's median, the peer's median (min-max of the runs in brackets) and the ratio
# Herald/peer, so 8.2x means Herald did 8.2 times the peer's rate and 0.16x means 16 % of it.
# Below it: Herald's due->delivered p50/p99 (all messages fall due at once, so this is mostly
# queueing) and its peak RSS. On this 2-core machine runs vary by 10-20 %; compare ratios, and
# run on a quiet machine (the header shows the load average).
#
# Usage: scripts/bench.sh [all|webhook|email] [--runs N] [--messages N] [--max-in-flight N]
#          [--email-messages N] [--email-max-in-flight N] [--batch N] [--huey-messages N]
#          [--smtplib-messages N] [--wrk-duration 5s]
# Environment: HERALD_BIN (skip the release build and use this binary), HERALD_BENCH_HTTP_PORT
#   (18080), HERALD_BENCH_SMTP_PORT (2525), and HERALD_BENCH_RUNS, HERALD_BENCH_MESSAGES,
#   HERALD_BENCH_MAX_IN_FLIGHT, HERALD_BENCH_EMAIL_MESSAGES, HERALD_BENCH_EMAIL_MAX_IN_FLIGHT,
#   HERALD_BENCH_BATCH, HERALD_BENCH_HUEY_MESSAGES, HERALD_BENCH_SMTPLIB_MESSAGES,
#   HERALD_BENCH_WRK_DURATION as defaults for the flags above (flags win).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
helpers="$repo/scripts/bench"
export PYTHONDONTWRITEBYTECODE=1   # keep the helpers' folder free of __pycache__

die() { echo "bench.sh: error: $*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }

# ------------------------------------------------------------------------------------------ options
what=all
runs=${HERALD_BENCH_RUNS:-3}
messages=${HERALD_BENCH_MESSAGES:-50000}
in_flight=${HERALD_BENCH_MAX_IN_FLIGHT:-64}
email_messages=${HERALD_BENCH_EMAIL_MESSAGES:-10000}
email_in_flight=${HERALD_BENCH_EMAIL_MAX_IN_FLIGHT:-16}
batch=${HERALD_BENCH_BATCH:-1000}
huey_messages=${HERALD_BENCH_HUEY_MESSAGES:-5000}
smtplib_messages=${HERALD_BENCH_SMTPLIB_MESSAGES:-10000}
wrk_duration=${HERALD_BENCH_WRK_DURATION:-5s}
http_port=${HERALD_BENCH_HTTP_PORT:-18080}
smtp_port=${HERALD_BENCH_SMTP_PORT:-2525}

while [ $# -gt 0 ]; do
  opt=$1
  case "$opt" in
    all|webhook|email) what=$opt; shift; continue ;;
    -h|--help) usage; exit 0 ;;
    --*=*) set -- "${opt%%=*}" "${opt#*=}" "${@:2}"; opt=$1 ;;
    --*) ;;
    *) die "unknown argument '$opt' (see --help)" ;;
  esac
  [ $# -ge 2 ] || die "$opt needs a value (see --help)"
  case "$opt" in
    --runs) runs=$2 ;;
    --messages) messages=$2 ;;
    --max-in-flight) in_flight=$2 ;;
    --email-messages) email_messages=$2 ;;
    --email-max-in-flight) email_in_flight=$2 ;;
    --batch) batch=$2 ;;
    --huey-messages) huey_messages=$2 ;;
    --smtplib-messages) smtplib_messages=$2 ;;
    --wrk-duration) wrk_duration=$2 ;;
    *) die "unknown argument '$opt' (see --help)" ;;
  esac
  shift 2
done
for pair in runs:$runs messages:$messages max-in-flight:$in_flight email-messages:$email_messages \
            email-max-in-flight:$email_in_flight batch:$batch huey-messages:$huey_messages \
            smtplib-messages:$smtplib_messages http-port:$http_port smtp-port:$smtp_port; do
  [[ ${pair#*:} =~ ^[1-9][0-9]*$ ]] || die "--${pair%%:*} must be a positive whole number, got '${pair#*:}'"
done
[[ $wrk_duration =~ ^[1-9][0-9]*[smh]?$ ]] || die "--wrk-duration must look like 5s, got '$wrk_duration'"
do_webhook=0; do_email=0
[ "$what" = email ] || do_webhook=1
[ "$what" = webhook ] || do_email=1

# ------------------------------------------------------------------------------ 1. missing packages
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for pkg in nginx wrk python3-aiosmtpd; do installed "$pkg" || missing+=("$pkg"); done
if ! python3 -c 'import huey, pycurl' 2>/dev/null && ! python3 -m pip --version >/dev/null 2>&1; then
  missing+=(python3-pip)
fi
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them with"
  echo "== installing ${missing[*]} (apt-get)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! python3 -c 'import huey, pycurl' 2>/dev/null; then
  echo "== installing huey pycurl (pip)"
  # A Debian system python refuses plain pip installs (PEP 668); fall back to a user install there.
  python3 -m pip install -q huey pycurl ||
    python3 -m pip install -q --user --break-system-packages huey pycurl
  python3 -c 'import huey, pycurl' || die "huey and pycurl still do not import after pip install"
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx_bin" ] || die "nginx not found"
command -v wrk >/dev/null || die "wrk not found"
# Debian's python3-aiosmtpd is installed for the system interpreter, which may not be the first python3.
sink_python=/usr/bin/python3
"$sink_python" -c 'import aiosmtpd' 2>/dev/null || sink_python=python3
"$sink_python" -c 'import aiosmtpd' 2>/dev/null || die "no python3 here can import aiosmtpd"

# ----------------------------------------------------------------------------------- 2. Herald itself
if [ -n "${HERALD_BIN:-}" ]; then
  herald=$HERALD_BIN
else
  echo "== swift build -c release --product herald"
  (cd "$repo" && swift build -c release --product herald)
  herald="$repo/.build/release/herald"
fi
[ -x "$herald" ] || die "Herald binary '$herald' is missing or not executable"
"$herald" bench --help >/dev/null 2>&1 || die "'$herald bench --help' failed: is this a Herald with the bench command?"

# ---------------------------------------------------------------------------- processes and cleanup
work=$(mktemp -d "${TMPDIR:-/tmp}/herald-bench.XXXXXX")
results="$work/results.tsv"
: >"$results"
owned=()        # background processes this script started (the sinks)
current=""      # the measurement running right now

stop_pid() {    # TERM, up to 5 s grace, then KILL
  local pid=$1 _
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  [ -z "$current" ] || stop_pid "$current"
  for pid in "${owned[@]}"; do stop_pid "$pid"; done
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'echo; echo "bench.sh: interrupted" >&2; exit 130' INT
trap 'echo "bench.sh: terminated" >&2; exit 143' TERM

# Run one measurement as a background job and wait for it, so Ctrl-C reaches the trap at once
# (bash would otherwise wait for a foreground child before running the trap).
measure() {
  local rc=0
  python3 "$helpers/measure.py" "$@" --http-port "$http_port" --smtp-port "$smtp_port" --results "$results" &
  current=$!
  wait "$current" || rc=$?
  current=""
  return "$rc"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Wait (bounded) until a sink answers its count query; fail if its process dies first.
await_sink() {
  local name=$1 pid=$2 log=$3 query=$4 _
  for _ in $(seq 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "--- $log" >&2; cat "$log" >&2 || true
      die "$name exited during startup (see its log above)"
    fi
    python3 "$helpers/measure.py" "$query" --http-port "$http_port" --smtp-port "$smtp_port" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "--- $log" >&2; cat "$log" >&2 || true
  die "$name did not answer within 10 s"
}

# ------------------------------------------------------------------------------------------ 3. sinks
start_nginx() {
  local dir="$work/nginx" user_line=""
  mkdir -p "$dir/tmp"
  # Running as root, nginx would hand its worker to "nobody"; keep it as the current user.
  [ "$(id -u)" -ne 0 ] || user_line="user $(id -un) $(id -gn);"
  sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$http_port|g" -e "s|@USER_LINE@|$user_line|" \
    "$helpers/nginx.conf.in" >"$dir/nginx.conf"
  port_busy "$http_port" && die "127.0.0.1:$http_port is already in use; set HERALD_BENCH_HTTP_PORT"
  "$nginx_bin" -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' >"$dir/console.log" 2>&1 &
  owned+=($!)
  await_sink nginx $! "$dir/console.log" nginx-count
  echo "nginx sink   http://127.0.0.1:$http_port/hook (pid ${owned[-1]}, $("$nginx_bin" -v 2>&1 | sed 's/.*version: //'), worker_processes 1)"
}

start_smtp_sink() {
  local log="$work/smtp-sink.log"
  port_busy "$smtp_port" && die "127.0.0.1:$smtp_port is already in use; set HERALD_BENCH_SMTP_PORT"
  "$sink_python" "$helpers/smtp_sink.py" --port "$smtp_port" --life $((900 + runs * 600)) >"$log" 2>&1 &
  owned+=($!)
  await_sink "SMTP sink" $! "$log" smtp-count
  echo "smtp sink    smtp://127.0.0.1:$smtp_port (pid ${owned[-1]}, aiosmtpd $("$sink_python" -c 'import aiosmtpd; print(aiosmtpd.__version__)') on $("$sink_python" -V 2>&1))"
}

echo "== Herald bench: $what, $runs run(s) each | $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "herald       $herald"
echo "peers        $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), huey $(python3 -c 'import huey; print(huey.__version__)'), $(python3 -c 'import pycurl; print(pycurl.version.split()[0])') on $(python3 -V 2>&1)"
load1=$(cut -d' ' -f1 /proc/loadavg)
awk -v l="$load1" 'BEGIN { exit !(l > 0.7) }' &&
  echo "note: the machine is not quiet (1-minute load $load1); expect noisy figures"
[ "$do_webhook" -eq 0 ] || start_nginx
[ "$do_email" -eq 0 ] || start_smtp_sink

# ------------------------------------------------------------------------------------ 4. the runs
for ((run = 1; run <= runs; run++)); do
  if [ "$do_webhook" -eq 1 ]; then
    echo "== webhook run $run/$runs"
    measure herald --bin "$herald" --url "http://127.0.0.1:$http_port/hook" --messages "$messages" \
      --max-in-flight "$in_flight" --batch "$batch" --directory "$work/herald" ||
      die "Herald webhook run $run failed"
    measure wrk --duration "$wrk_duration" --threads 2 --connections 64 || die "wrk run $run failed"
    measure huey --messages "$huey_messages" --workers 4 --workdir "$work" || die "huey run $run failed"
  fi
  if [ "$do_email" -eq 1 ]; then
    echo "== email run $run/$runs"
    measure herald --bin "$herald" --email --url "smtp://127.0.0.1:$smtp_port" --messages "$email_messages" \
      --max-in-flight "$email_in_flight" --batch "$batch" --directory "$work/herald" ||
      die "Herald email run $run failed"
    measure smtplib --messages "$smtplib_messages" --threads 4 || die "smtplib run $run failed"
  fi
done

# ------------------------------------------------------------------------------------ 5. the table
title=""
[ "$do_webhook" -eq 0 ] || title="webhooks: herald $messages @ $in_flight in flight, huey $huey_messages tasks, wrk $wrk_duration"
[ "$do_email" -eq 0 ] || title="${title:+$title; }email: herald $email_messages @ $email_in_flight in flight, smtplib $smtplib_messages"
python3 "$helpers/report.py" "$results" --title "$title"
