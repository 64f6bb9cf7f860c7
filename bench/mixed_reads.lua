-- wrk script for the mixed load test: each request is the next line of the file named by
-- the MIXED_READS environment variable ("<cookie>\t<path>"), round robin from a different
-- start in each thread, so that several signed-in users read several pages at once.
-- Prints one JSON line at the end, as wrk_report.lua does.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  reads = {}
  for line in io.lines(os.getenv("MIXED_READS")) do
    local cookie, path = line:match("^([^\t]+)\t(.+)$")
    table.insert(reads, wrk.format("GET", path, {Cookie = cookie}))
  end
  position = offset or 1
end

function request()
  position = position % #reads + 1
  return reads[position]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"non2xx": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, bad, errors.connect, errors.read, errors.write, errors.timeout))
end
