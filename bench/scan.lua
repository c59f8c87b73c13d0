-- wrk script for bench/run.py: rotate over the request paths listed in $BENCH_LOOKUPS (one per
-- line), each wrk thread from its own offset, and print the summary as one JSON line.
--   BENCH_LOOKUPS=paths.txt wrk -t1 -c32 -d10s --latency -s bench/scan.lua http://127.0.0.1:8000

local paths = {}
for line in io.lines(os.getenv("BENCH_LOOKUPS")) do
  if #line > 0 then paths[#paths + 1] = line end
end

local counter = 0
function setup(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
end

local requests = {}
local i = 0
local token = os.getenv("BENCH_TOKEN")
function init(args)
  local headers = {}
  if token and #token > 0 then headers["Authorization"] = "Bearer " .. token end
  for k, p in ipairs(paths) do requests[k] = wrk.format("GET", p, headers) end
  i = offset or 0
end

function request()
  i = i + 1
  return requests[(i % #requests) + 1]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"duration_s": %.6f, "requests": %d, "non_200": %d, "socket_errors": %d, ' ..
    '"p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f}\n',
    summary.duration / 1e6, summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3))
end
