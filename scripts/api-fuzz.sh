#!/usr/bin/env bash
# Property-based test of the HTTP API with schemathesis, against the OpenAPI document Herald serves.
#
#   scripts/api-fuzz.sh [HERALD_BIN]      (default .build/debug/herald, else .build/release/herald)
#
# A scratch folder (removed on exit) gets a channels.yml whose webhook and SMTP channels point at unused loopback
# ports (nothing is delivered: no worker runs), templates, audit keys, a database with two messages whose ids
# schemathesis may use, and tokens. `herald serve` listens on a free loopback port; once /readyz answers,
# schemathesis runs three times against /openapi.json:
#   full      a token holding all four roles, every phase (examples, coverage, fuzzing, stateful)
#   no-token  no Authorization header: every /v1 answer is a 401 that must match the document too
#   approver  a token with the approver role only: the 403s must match as well
# Checks (API_FUZZ_CHECKS): no 5xx, documented status codes, content types, headers and bodies; schema-invalid
# requests refused (negative_data_rejection); no route answering without a token (ignored_auth). Generation is
# deterministic (no seed, no example database), so CI sees the same requests every run. Any failure exits non-zero
# after printing schemathesis's report and the server's error log lines.
#
# Environment: API_FUZZ_EXAMPLES (500: examples per operation for the full run), API_FUZZ_SMALL_EXAMPLES (25: for
#   the other two), API_FUZZ_SEED (a random seed instead of deterministic generation, for exploring),
#   API_FUZZ_CHECKS (comma-separated schemathesis checks), API_FUZZ_REPORT_DIR (keep JUnit and HAR reports there),
#   HERALD_FUZZ_VENV (the virtualenv; default ${XDG_CACHE_HOME:-~/.cache}/herald-fuzz-venv), PYTHON (python3).
# Needs python3 with the venv module (Debian: python3-venv) and PyPI for the first run.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
die() { echo "api-fuzz.sh: error: $*" >&2; exit 1; }

schemathesis_version=4.32.5   # the version this script was written and tested against
examples=${API_FUZZ_EXAMPLES:-500}
small_examples=${API_FUZZ_SMALL_EXAMPLES:-25}
checks=${API_FUZZ_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection,ignored_auth}
python=${PYTHON:-python3}
venv=${HERALD_FUZZ_VENV:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/herald-fuzz-venv}
for pair in API_FUZZ_EXAMPLES:$examples API_FUZZ_SMALL_EXAMPLES:$small_examples; do
  [[ ${pair#*:} =~ ^[1-9][0-9]*$ ]] || die "${pair%%:*} must be a positive whole number, got '${pair#*:}'"
done

# ------------------------------------------------------------------------------------------ the binary
bin=${1:-}
if [ -z "$bin" ]; then
  bin="$repo/.build/debug/herald"
  [ -x "$bin" ] || bin="$repo/.build/release/herald"
fi
[ -x "$bin" ] || die "Herald binary '$bin' is missing or not executable (build it, or pass its path)"

# ----------------------------------------------------------------------------------- schemathesis venv
st="$venv/bin/schemathesis"
if ! "$st" --version 2>/dev/null | grep -qx "schemathesis, version $schemathesis_version"; then
  echo "== installing schemathesis $schemathesis_version into $venv"
  if [ ! -x "$venv/bin/python" ]; then
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv "$venv" ||
      die "'$python -m venv' failed: on Debian install python3-venv (apt-get install python3-venv)"
  fi
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install -q "schemathesis==$schemathesis_version" ||
    die "pip could not install schemathesis==$schemathesis_version into $venv"
  "$st" --version | grep -qx "schemathesis, version $schemathesis_version" || die "$st is not version $schemathesis_version"
fi

# ---------------------------------------------------------------------------------- scratch and cleanup
work=$(mktemp -d "${TMPDIR:-/tmp}/herald-api-fuzz.XXXXXX")
server=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$server" ]; then
    kill -TERM "$server" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A private copy: another build may replace the binary while this runs.
cp "$bin" "$work/herald"
herald="$work/herald"
export HERALD_CONFIG="$work/channels.yml" HERALD_TEMPLATES="$work/templates" HERALD_DB="$work/herald.db"

# A loopback port nothing listens on (the kernel picks it, then it is released): deliveries would be refused.
dead_port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

mkdir -p "$work/templates/notice" "$work/templates/titled" "$work/data"
# The planner's calendar, where a build that reads it at start looks by default (data/ beside channels.yml).
cp "$repo/data/bank-holidays.json" "$work/data/"
# `notice` uses no data, so schemathesis's random `data` objects still render and the enqueue goes all the way
# through; `titled` needs a `title`, so the refusal of missing data is exercised too.
printf 'Herald API fuzz\n' >"$work/templates/notice/subject.mustache"
printf 'A message from the API fuzz run.\n' >"$work/templates/notice/text.mustache"
printf '{{title}}\n' >"$work/templates/titled/subject.mustache"
printf 'Dear colleague,\n\n{{title}}\n' >"$work/templates/titled/text.mustache"
"$herald" audit init-key --out "$work/audit.key" >/dev/null
"$herald" audit init-key --signing --out "$work/signing.key" >/dev/null
(umask 077 && echo "whsec_$(head -c 32 /dev/urandom | base64)" >"$work/webhook.secret")
cat >"$HERALD_CONFIG" <<YAML
worker:
  lease: 60s
defaults:
  timeout: 5s
  connect_timeout: 2s
  retry: { base: 1s, cap: 10s, max_attempts: 3 }
channels:
  partners:
    type: webhook
    url: http://127.0.0.1:$dead_port/hook
    secret: file:$work/webhook.secret
  email:
    type: smtp
    url: smtp://127.0.0.1:$dead_port
    starttls: false
    from: "Herald Fuzz <fuzz@partnership.example.org>"
audit:
  key: file:$work/audit.key
  signing_key: file:$work/signing.key
YAML
"$herald" check >"$work/check.log" 2>&1 || { cat "$work/check.log" >&2; die "herald check refused the scratch setup"; }

full_token=$("$herald" token create --name fuzz-all --role scheduler --role operator --role approver --role auditor 2>/dev/null)
approver_token=$("$herald" token create --name fuzz-approver --role approver 2>/dev/null)
[[ $full_token == herald_* && $approver_token == herald_* ]] || die "herald token create printed no token"

# Two stored messages (one scheduled, one cancelled) whose ids schemathesis may put in /v1/messages/{id}.
scheduled_id=$("$herald" enqueue --channel partners --kind notice --at +300d --data '{}')
cancelled_id=$("$herald" enqueue --channel email --kind titled --to 'Sam Patel <sam.patel@agency.example.org>' \
  --at +300d --data '{"title": "Review published"}')
"$herald" cancel "$cancelled_id" >/dev/null

# Realistic values that schemathesis mixes into what it generates, so requests reach past the channel and
# template lookups (unknown ones give 404/422) and into the services and the store.
cat >"$work/schemathesis.toml" <<TOML
[dictionaries.channels]
values = ["partners", "email"]
[dictionaries.kinds]
values = ["notice", "titled"]
[dictionaries.times]
values = ["now", "+90s", "+2h", "+300d", "2031-03-02T09:00:00+00:00", "2020-01-01T00:00:00Z"]
[dictionaries.ids]
values = ["$scheduled_id", "$cancelled_id", "00000000-0000-7000-8000-000000000000"]
[dictionaries.recipients]
values = ["Sam Patel <sam.patel@agency.example.org>", "zoe@example.org"]

[parameters]
"body.channel" = { dictionary = "channels", probability = 0.6 }
"body.kind" = { dictionary = "kinds", probability = 0.6 }
"body.at" = { dictionary = "times", probability = 0.5 }
"body.deadline" = { dictionary = "times", probability = 0.3 }
"body.to" = { dictionary = "recipients", probability = 0.3 }
"body.messages[*].channel" = { dictionary = "channels", probability = 0.6 }
"body.messages[*].kind" = { dictionary = "kinds", probability = 0.6 }
"body.messages[*].at" = { dictionary = "times", probability = 0.5 }
"path.id" = { dictionary = "ids", probability = 0.7 }

# A schema-invalid request may also be refused as too large (a batch over maxItems is over the body limit first).
[checks.negative_data_rejection]
expected-statuses = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429, "5xx"]
TOML

# ------------------------------------------------------------------------------------------ the server
: >"$work/serve.log"   # exists before the child opens it, for the polling below
"$herald" serve --listen 127.0.0.1:0 >>"$work/serve.log" 2>&1 &
server=$!
port=""
for _ in $(seq 150); do   # 15 s at most
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; die "herald serve exited during startup"; }
  port=$(sed -n 's|.*herald serve listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$work/serve.log" | head -1)
  if [ -n "$port" ] && "$python" - "$port" <<'PY' 2>/dev/null; then break; fi
import sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/readyz", timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
  port=""
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/serve.log" >&2; die "herald serve did not answer /readyz within 15 s"; }
base="http://127.0.0.1:$port"
echo "== herald serve on $base ($bin); schemathesis $schemathesis_version; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# --------------------------------------------------------------------------------------- the three runs
if [ -n "${API_FUZZ_SEED:-}" ]; then generation=(--seed "$API_FUZZ_SEED"); else generation=(--generation-deterministic); fi
failed=()
runs=0
run() {   # run NAME EXAMPLES [schemathesis options...]
  local name=$1 n=$2 rc=0 reports=()
  shift 2
  runs=$((runs + 1))
  [ -z "${API_FUZZ_REPORT_DIR:-}" ] || reports=(--report junit,har --report-dir "$API_FUZZ_REPORT_DIR/$name")
  echo
  echo "== schemathesis: $name ($n examples per operation)"
  (cd "$work" && "$st" --config-file "$work/schemathesis.toml" run "$base/openapi.json" \
      --checks "$checks" --max-examples "$n" "${generation[@]}" --workers 1 --request-timeout 10 --continue-on-failure \
      --no-color "${reports[@]}" "$@") || rc=$?
  [ "$rc" -eq 0 ] || failed+=("$name (exit $rc)")
}
run full "$examples" -H "Authorization: Bearer $full_token"
# Without a token every /v1 operation answers 401; ignored_auth needs a token to take away, so it stays out.
checks=${checks//,ignored_auth/} run no-token "$small_examples" --phases examples,coverage,fuzzing
run approver "$small_examples" -H "Authorization: Bearer $approver_token" --phases examples,coverage,fuzzing

kill -0 "$server" 2>/dev/null || failed+=("herald serve died during the runs")
echo
if [ ${#failed[@]} -gt 0 ]; then
  # One line per kind of server error (route and error type), with how often it happened: the 500s' causes.
  echo "== the server's errors, by kind (count, then the first line of each)"
  grep -a -E ' (error|critical) ' "$work/serve.log" | awk '{
      key = $0; sub(/^.*unexpected error answering /, "", key); sub(/\(.*/, "", key)
      if (!(key in n)) { order[++k] = key; first[key] = $0 } n[key]++
    } END { for (i = 1; i <= k; i++) printf "%6d  %s\n", n[order[i]], substr(first[order[i]], 1, 1500) }' || true
  echo
  echo "api-fuzz.sh: FAILED: ${failed[*]}" >&2
  echo "api-fuzz: $((runs - ${#failed[@]})) passed, ${#failed[@]} failed"
  exit 1
fi
echo "api-fuzz.sh: every run passed ($checks)"
echo "api-fuzz: $runs passed, 0 failed"
