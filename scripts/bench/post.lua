-- wrk script for scripts/bench.sh: POST the bench's JSON payload to /hook on every request
-- (keep-alive is wrk's default) and print one machine-readable summary line at the end.
local path = os.getenv("HERALD_BENCH_PAYLOAD")
local f = assert(io.open(path, "rb"), "cannot open payload " .. tostring(path))
local body = f:read("*a"):gsub("%s+$", "")
f:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK_SUMMARY requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d body_bytes=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout, #body))
end
