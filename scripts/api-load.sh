#!/usr/bin/env bash
# The HTTP API's load figures, each next to the command line's, on loopback with a throw-away setup.
#
#   scripts/api-load.sh [HERALD_BIN]      (default .build/release/herald; use a release build for figures)
#
# post   wrk (LOAD_THREADS threads, each of LOAD_CONNECTIONS connections in turn, LOAD_DURATION each) POSTs one
#        webhook message to /v1/messages with a scheduler token (scripts/api-load.lua), against a fresh database
#        each time: requests/s and latency percentiles. Afterwards the database must hold exactly the 201s, give
#        or take the requests wrk had written but not seen answered when it stopped; every other status is
#        counted, printed, and fails the run.
# batch  `herald enqueue --batch` of as many messages (the most 201s of one post run; LOAD_BATCH_MESSAGES to
#        set it) into a fresh database, in one transaction, timed: messages/s.
# dead   a database of LOAD_MESSAGES messages: first LOAD_DEAD due now on a channel whose receiver
#        (scripts/api/refuser.py) answers 400, which `herald worker --once` makes dead (one attempt each: a 400 is
#        permanent), then the rest scheduled a year ahead by `herald enqueue --batch` in chunks of LOAD_CHUNK, so
#        the dead are the oldest. Then wrk GETs /v1/messages?state=dead (the newest-first first page) for
#        LOAD_GET_DURATION over LOAD_GET_CONNECTIONS connections with an operator token: p50/p90/p99.
# A summary table ends the run, with the machine's load average before and after. No worker runs except the one
# `worker --once` above; nothing leaves the machine (the other channel points at an unused loopback port).
#
# Environment (defaults): LOAD_PHASES (post,batch,dead), LOAD_THREADS (2), LOAD_CONNECTIONS ("16 64"),
#   LOAD_DURATION (10s), LOAD_BATCH_MESSAGES (from the post runs), LOAD_MESSAGES (1000000), LOAD_DEAD (5000),
#   LOAD_CHUNK (50000), LOAD_GET_CONNECTIONS (4), LOAD_GET_DURATION (10s), LOAD_GET_TIMEOUT (60s), PYTHON
#   (python3). A quick run: LOAD_MESSAGES=20000 LOAD_DEAD=1000 LOAD_DURATION=3s scripts/api-load.sh
# The 1M database takes about 1 GB under ${TMPDIR:-/tmp} for the length of the run. Needs wrk and python3.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
die() { echo "api-load.sh: error: $*" >&2; exit 1; }

phases=${LOAD_PHASES:-post,batch,dead}
threads=${LOAD_THREADS:-2}
connections=${LOAD_CONNECTIONS:-16 64}
duration=${LOAD_DURATION:-10s}
batch_messages=${LOAD_BATCH_MESSAGES:-}
total=${LOAD_MESSAGES:-1000000}
dead=${LOAD_DEAD:-5000}
chunk=${LOAD_CHUNK:-50000}
get_connections=${LOAD_GET_CONNECTIONS:-4}
get_duration=${LOAD_GET_DURATION:-10s}
get_timeout=${LOAD_GET_TIMEOUT:-60s}
python=${PYTHON:-python3}
for pair in LOAD_THREADS:$threads LOAD_MESSAGES:$total LOAD_DEAD:$dead LOAD_CHUNK:$chunk \
            LOAD_GET_CONNECTIONS:$get_connections ${batch_messages:+LOAD_BATCH_MESSAGES:$batch_messages}; do
  [[ ${pair#*:} =~ ^[1-9][0-9]*$ ]] || die "${pair%%:*} must be a positive whole number, got '${pair#*:}'"
done
for c in $connections; do [[ $c =~ ^[1-9][0-9]*$ ]] || die "LOAD_CONNECTIONS must be whole numbers, got '$c'"; done
for d in "$duration" "$get_duration" "$get_timeout"; do [[ $d =~ ^[1-9][0-9]*[smh]?$ ]] || die "'$d' is not a wrk duration like 10s"; done
[ "$dead" -le "$total" ] || die "LOAD_DEAD ($dead) is more than LOAD_MESSAGES ($total)"
has_phase() { [[ ,$phases, == *,$1,* ]]; }

bin=${1:-$repo/.build/release/herald}
[ -x "$bin" ] || die "Herald binary '$bin' is missing or not executable (swift build -c release --product herald)"
command -v wrk >/dev/null || die "wrk not found (Debian: apt-get install wrk)"
command -v curl >/dev/null || die "curl not found (Debian: apt-get install curl)"

# ---------------------------------------------------------------------------------- scratch and cleanup
work=$(mktemp -d "${TMPDIR:-/tmp}/herald-api-load.XXXXXX")
pids=()   # background processes this script started
stop_pid() {   # TERM, up to 15 s to drain, then KILL
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cp "$bin" "$work/herald"   # a private copy: another build may replace the binary while this runs
herald="$work/herald"
export HERALD_CONFIG="$work/channels.yml" HERALD_TEMPLATES="$work/templates"
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
sql() {   # sql DB QUERY: one value, read-only (run only while no server or worker has the database open)
  "$python" - "$1" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
print(db.execute(sys.argv[2]).fetchone()[0])
PY
}
problems=()   # failed checks, reported after the table

# The receiver that refuses every delivery (for the dead messages), up for the whole run, bounded in time.
"$python" "$repo/scripts/api/refuser.py" --ready-file "$work/refuser.port" --count-file "$work/refuser.count" \
  --life 7200 >"$work/refuser.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/refuser.port" ] && break; sleep 0.1; done
[ -s "$work/refuser.port" ] || { cat "$work/refuser.log" >&2; die "the refusing receiver did not start"; }
refuser_port=$(cat "$work/refuser.port")
unused_port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

mkdir -p "$work/templates/notice" "$work/data"
cp "$repo/data/bank-holidays.json" "$work/data/"   # where a build that reads the calendar at start looks
printf '{{title}}\n' >"$work/templates/notice/subject.mustache"
printf 'Dear colleague,\n\n{{body}}\n' >"$work/templates/notice/text.mustache"
"$herald" audit init-key --out "$work/audit.key" >/dev/null
"$herald" audit init-key --signing --out "$work/signing.key" >/dev/null
(umask 077 && echo "whsec_$(head -c 32 /dev/urandom | base64)" >"$work/webhook.secret")
cat >"$HERALD_CONFIG" <<YAML
worker:
  lease: 60s
defaults:
  max_in_flight: 32
  timeout: 5s
  connect_timeout: 2s
  retry: { base: 1s, cap: 10s, max_attempts: 3 }
channels:
  partners:      # never delivered here: its messages are scheduled a year ahead
    type: webhook
    url: http://127.0.0.1:$unused_port/hook
    secret: file:$work/webhook.secret
  refused:       # scripts/api/refuser.py answers 400: each message is dead after one attempt
    type: webhook
    url: http://127.0.0.1:$refuser_port/hook
    secret: file:$work/webhook.secret
audit:
  key: file:$work/audit.key
  signing_key: file:$work/signing.key
YAML
"$herald" check >"$work/check.log" 2>&1 || { cat "$work/check.log" >&2; die "herald check refused the scratch setup"; }

# One message, as the API body and as a batch line; the batch file repeats it.
message() {   # message CHANNEL AT
  printf '{"channel": "%s", "kind": "notice", "at": "%s", "data": {"title": "Review published: practitioner notice", "body": "The review will be published in 21 days. Please read the attached summary before the briefing."}}\n' "$1" "$2"
}
message partners +365d >"$work/body.json"
lines() { awk -v n="$1" -v line="$2" 'BEGIN { for (i = 0; i < n; i++) print line }'; }   # lines N TEXT

serve() {   # serve DB: start herald serve on a free port; sets server_pid and base
  : >"$work/serve.log"
  HERALD_DB="$1" "$herald" serve --listen 127.0.0.1:0 >>"$work/serve.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  local port="" _
  for _ in $(seq 300); do   # 30 s at most
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; die "herald serve exited during startup"; }
    port=$(sed -n 's|.*herald serve listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$work/serve.log" | head -1)
    [ -n "$port" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ] && break
    port=""
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$work/serve.log" >&2; die "herald serve did not answer /readyz within 30 s"; }
  base="http://127.0.0.1:$port"
}
unserve() {   # stop the server (it drains) and forget its pid
  stop_pid "$server_pid"
  local kept=() pid
  for pid in "${pids[@]}"; do [ "$pid" = "$server_pid" ] || kept+=("$pid"); done
  pids=("${kept[@]}")
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }   # field KEY LOAD_RESULT-LINE
run_wrk() {   # run_wrk OUT CONNECTIONS DURATION TIMEOUT URL: wrk with api-load.lua; prints its report
  local out=$1 c=$2 d=$3 t=$4 url=$5
  wrk -t"$threads" -c"$c" -d"$d" --timeout "$t" --latency -s "$repo/scripts/api-load.lua" "$url" | tee "$out"
  grep -q '^LOAD_RESULT ' "$out" || die "wrk printed no LOAD_RESULT line"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== Herald API load: $(nproc) cores, load average $load_before; $bin"
echo "   $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); phases $phases"
rows=()   # summary rows: what | figure

# ------------------------------------------------------------------------------- post: enqueue over HTTP
most_created=0
if has_phase post; then
  for c in $connections; do
    db="$work/post-$c.db"
    HERALD_DB="$db" "$herald" token create --name load-scheduler --role scheduler >"$work/token" 2>/dev/null
    serve "$db"
    echo
    echo "== POST /v1/messages: wrk -t$threads -c$c -d$duration"
    HERALD_LOAD_TOKEN=$(cat "$work/token") HERALD_LOAD_BODY="$work/body.json" \
      run_wrk "$work/wrk-post-$c.txt" "$c" "$duration" 10s "$base/v1/messages"
    unserve
    result=$(grep '^LOAD_RESULT ' "$work/wrk-post-$c.txt")
    created=$(field ok "$result"); sent=$(field sent "$result"); answered=$(field answered "$result")
    unanswered=$((sent - answered))
    stored=$(sql "$db" "SELECT count(*) FROM messages")
    echo "   201s $created, other statuses $(field other "$result") ($(field statuses "$result")), socket errors" \
      "connect/read/write/timeout $(field connect_errors "$result")/$(field read_errors "$result")/$(field write_errors "$result")/$(field timeouts "$result")"
    # wrk stops on time, so requests it had written may still be stored: 201s <= stored <= 201s + unanswered.
    echo "   stored $stored; written but unanswered when wrk stopped: $unanswered"
    if [ "$stored" -lt "$created" ] || [ "$stored" -gt $((created + unanswered)) ]; then
      problems+=("POST c=$c: the database holds $stored messages for $created 201s ($unanswered unanswered)")
    fi
    [ "$(field other "$result")" = 0 ] || problems+=("POST c=$c: $(field other "$result") answers were not 201: $(field statuses "$result")")
    [ "$created" -gt "$most_created" ] && most_created=$created
    rows+=("POST /v1/messages, wrk -t$threads -c$c $duration|$(field rps "$result") req/s; p50 $(field p50_ms "$result") ms, p90 $(field p90_ms "$result") ms, p99 $(field p99_ms "$result") ms; 201s $created, stored $stored (+$((stored - created)) of $unanswered in flight at wrk's stop); non-201 $(field other "$result")")
    rm -f "$db" "$db"-*
  done
fi

# ------------------------------------------------------------------------------ batch: the command line
if has_phase batch; then
  n=${batch_messages:-$most_created}
  [ "$n" -gt 0 ] || n=100000
  db="$work/batch.db"
  lines "$n" "$(message partners +365d)" >"$work/batch.jsonl"
  echo
  echo "== herald enqueue --batch: $n messages, one transaction"
  start=$(now)
  HERALD_DB="$db" "$herald" enqueue --batch "$work/batch.jsonl" >/dev/null
  took=$(elapsed "$start" "$(now)")
  stored=$(sql "$db" "SELECT count(*) FROM messages")
  [ "$stored" = "$n" ] || problems+=("batch: the database holds $stored messages, not $n")
  echo "   $n messages in $took s: $(rate "$n" "$took") messages/s (stored $stored)"
  rows+=("herald enqueue --batch, $n messages in one file|$(rate "$n" "$took") messages/s ($took s)")
  rm -f "$db" "$db"-* "$work/batch.jsonl"
fi

# --------------------------------------------------------------- dead: list the dead among LOAD_MESSAGES
if has_phase dead; then
  db="$work/dead.db"
  export HERALD_DB="$db"
  echo
  echo "== a database of $total messages, $dead of them dead"
  # The dead: due now on the refused channel, delivered once by the worker, refused with 400.
  lines "$dead" "$(message refused now)" >"$work/dead.jsonl"
  "$herald" enqueue --batch "$work/dead.jsonl" >/dev/null
  start=$(now)
  "$herald" worker --once >"$work/worker.log" 2>&1 || { tail -20 "$work/worker.log" >&2; die "herald worker --once failed"; }
  took=$(elapsed "$start" "$(now)")
  dead_stored=$(sql "$db" "SELECT count(*) FROM messages WHERE state = 'dead'")
  echo "   worker --once: $dead_stored of $dead refused messages dead in $took s"
  [ "$dead_stored" = "$dead" ] || problems+=("dead: $dead_stored messages are dead, not $dead (see the worker's log)")
  # The rest: a year ahead, in chunks (each chunk one transaction).
  rest=$((total - dead))
  lines "$chunk" "$(message partners +365d)" >"$work/chunk.jsonl"
  start=$(now)
  left=$rest
  while [ "$left" -gt 0 ]; do
    if [ "$left" -lt "$chunk" ]; then lines "$left" "$(message partners +365d)" >"$work/chunk.jsonl"; fi
    "$herald" enqueue --batch "$work/chunk.jsonl" >/dev/null
    left=$((left - (left < chunk ? left : chunk)))
    [ ! -t 1 ] || printf '\r   enqueued %d of %d' $((rest - left)) "$rest"
  done
  took=$(elapsed "$start" "$(now)")
  [ ! -t 1 ] || echo
  stored=$(sql "$db" "SELECT count(*) FROM messages")
  [ "$stored" = "$total" ] || problems+=("dead: the database holds $stored messages, not $total")
  echo "   $rest scheduled in $took s: $(rate "$rest" "$took") messages/s in chunks of $chunk; stored $stored, database $(du -sh "$db" | cut -f1)"
  rows+=("herald enqueue --batch, $rest messages in chunks of $chunk|$(rate "$rest" "$took") messages/s ($took s), into a growing database")
  rm -f "$work/chunk.jsonl" "$work/dead.jsonl"

  "$herald" token create --name load-operator --role operator >"$work/token" 2>/dev/null
  serve "$db"
  token=$(cat "$work/token")
  # One request first: its time, cold, and that the page holds dead messages only.
  curl -s -o "$work/page.json" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $token" \
    "$base/v1/messages?state=dead" >"$work/first.txt"
  read -r first_status first_time <"$work/first.txt"
  page=$("$python" -c 'import json, sys; m = json.load(open(sys.argv[1]))["messages"]; print(len(m), all(x["state"] == "dead" for x in m))' "$work/page.json" 2>/dev/null || echo "0 False")
  echo "   first GET /v1/messages?state=dead: status $first_status in ${first_time} s; page: ${page% *} messages, all dead: ${page#* }"
  expect_page=$((dead < 100 ? dead : 100))
  [ "$first_status" = 200 ] && [ "$page" = "$expect_page True" ] ||
    problems+=("dead: the first page was status $first_status with '$page' (messages, all dead), expected '$expect_page True'")
  echo
  echo "== GET /v1/messages?state=dead: wrk -t$threads -c$get_connections -d$get_duration ($total stored, $dead dead)"
  HERALD_LOAD_TOKEN=$token run_wrk "$work/wrk-get.txt" "$get_connections" "$get_duration" "$get_timeout" \
    "$base/v1/messages?state=dead"
  unserve
  result=$(grep '^LOAD_RESULT ' "$work/wrk-get.txt")
  [ "$(field other "$result")" = 0 ] || problems+=("GET dead: $(field other "$result") answers were not 200: $(field statuses "$result")")
  [ "$(field timeouts "$result")" = 0 ] || problems+=("GET dead: $(field timeouts "$result") requests timed out after $get_timeout (not in the percentiles)")
  rows+=("GET /v1/messages?state=dead, $total stored, $dead dead, wrk -t$threads -c$get_connections $get_duration|$(field rps "$result") req/s; p50 $(field p50_ms "$result") ms, p90 $(field p90_ms "$result") ms, p99 $(field p99_ms "$result") ms, max $(field max_ms "$result") ms; $(field answered "$result") answers, first (cold) ${first_time} s")
  unset HERALD_DB
  rm -f "$db" "$db"-*
fi

# ------------------------------------------------------------------------------------------ the table
echo
echo "== summary: $(nproc) cores; load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg)"
for row in "${rows[@]}"; do printf '  %-72s %s\n' "${row%%|*}" "${row#*|}"; done
if [ ${#problems[@]} -gt 0 ]; then
  echo
  for p in "${problems[@]}"; do echo "api-load.sh: FAILED CHECK: $p" >&2; done
  exit 1
fi
