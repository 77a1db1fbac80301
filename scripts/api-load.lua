-- wrk script for scripts/api-load.sh: the API's requests with a bearer token, every status counted.
--
-- Environment:
--   HERALD_LOAD_TOKEN    the bearer token (kept out of wrk's command line)
--   HERALD_LOAD_BODY     a file holding a JSON body: POST it on every request (an enqueue); unset: GET the url
--   HERALD_LOAD_EXPECT   the status every answer should have (default 201 for POST, 200 for GET)
--
-- Each thread counts the requests it wrote, the answers with the expected status and the others by status;
-- done() adds them up and prints one line, LOAD_RESULT key=value ..., that api-load.sh reads. Requests written
-- but unanswered when wrk stops (sent - answered) may still have been stored by the server.
local token = os.getenv("HERALD_LOAD_TOKEN")
assert(token and token ~= "", "HERALD_LOAD_TOKEN is not set")
wrk.headers["Authorization"] = "Bearer " .. token

local body_file = os.getenv("HERALD_LOAD_BODY")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"), "cannot open body " .. body_file)
  wrk.body = f:read("*a"):gsub("%s+$", "")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end
local expected = tonumber(os.getenv("HERALD_LOAD_EXPECT") or "") or (wrk.method == "POST" and 201 or 200)

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  sent, answered, ok, other = 0, 0, 0, 0
  statuses = {} -- status -> count, for the unexpected ones
end

function request()
  sent = sent + 1
  return wrk.format()
end

function response(status, headers, body)
  answered = answered + 1
  if status == expected then
    ok = ok + 1
  else
    other = other + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total = { sent = 0, answered = 0, ok = 0, other = 0 }
  local by_status = {}
  for _, t in ipairs(threads) do
    for key in pairs(total) do total[key] = total[key] + t:get(key) end
    for status, n in pairs(t:get("statuses")) do by_status[status] = (by_status[status] or 0) + n end
  end
  local list = {}
  for status, n in pairs(by_status) do table.insert(list, status .. ":" .. n) end
  table.sort(list)
  local e = summary.errors
  local ms = function(p) return latency:percentile(p) / 1000 end
  io.write(string.format(
    "LOAD_RESULT sent=%d answered=%d expected=%d ok=%d other=%d statuses=%s connect_errors=%d read_errors=%d " ..
    "write_errors=%d timeouts=%d duration_s=%.3f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    total.sent, total.answered, expected, total.ok, total.other, #list > 0 and table.concat(list, ",") or "-",
    e.connect, e.read, e.write, e.timeout, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    ms(50), ms(90), ms(99), latency.max / 1000))
end
