-- One wrk script for every scenario: the requests come from a file that bench/load.py writes,
-- one per line, tab-separated: METHOD, PATH, BEARER TOKEN or "-", JSON BODY or "-",
-- IDEMPOTENCY KEY or "-".
-- Each wrk thread walks only its own part of the file, in order, so distinct slots stay distinct
-- across threads; a thread that reaches the end of its part starts it again, and that counts as
-- a wrap (a line sent twice), which bench/load.py reports.
--
-- BENCH_RATE (total requests/s, optional) turns wrk into a rate-limited generator: each thread
-- keeps its own schedule (rate / threads) and delay() holds each request until its scheduled
-- time. The largest lag behind that schedule is reported, so a run that could not keep up
-- (coordinated omission) is visible.
--
-- done() prints one JSON line (prefixed BENCH_RESULT) with status counts, socket errors and
-- latency percentiles; bench/load.py parses it.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]])
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

local reqs = {}
local index = 1
local first, last = 1, 0 -- this thread's part of the file
local interval_ms = nil
local next_at = nil
-- globals: done() reads them from each thread with thread:get
counts = {}
max_lag_ms = 0
wrapped = 0

function init(args)
  local file = assert(io.open(os.getenv("BENCH_REQUESTS"), "r"))
  for line in file:lines() do
    local f = split(line)
    local headers = { ["Accept"] = "application/json", ["Accept-Encoding"] = "gzip" }
    if f[3] ~= nil and f[3] ~= "-" and f[3] ~= "" then
      headers["Authorization"] = "Bearer " .. f[3]
    end
    if f[5] ~= nil and f[5] ~= "-" and f[5] ~= "" then
      headers["Idempotency-Key"] = f[5]
    end
    local body = nil
    if f[4] ~= nil and f[4] ~= "-" and f[4] ~= "" then
      body = f[4]
      headers["Content-Type"] = "application/json"
    end
    table.insert(reqs, wrk.format(f[1], f[2], headers, body))
  end
  file:close()
  line_count = #reqs
  local threads_total = tonumber(os.getenv("BENCH_THREADS") or "1")
  -- thread k takes lines k*n/T + 1 .. (k+1)*n/T; with fewer lines than threads, all share them
  first = math.floor(#reqs * id / threads_total) + 1
  last = math.floor(#reqs * (id + 1) / threads_total)
  if last < first then
    first, last = 1, #reqs
  end
  index = first
  local rate = tonumber(os.getenv("BENCH_RATE") or "0")
  if rate > 0 then
    interval_ms = 1000.0 * threads_total / rate
  end
end

function request()
  if index > last then
    index = first
    wrapped = wrapped + 1
  end
  local r = reqs[index]
  index = index + 1
  return r
end

function delay()
  if interval_ms == nil then
    return 0
  end
  local now = now_ms()
  if next_at == nil then
    next_at = now
  end
  local at = next_at
  next_at = next_at + interval_ms
  local lag = now - at
  if lag > max_lag_ms then
    max_lag_ms = lag
  end
  if at > now then
    return at - now
  end
  return 0
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local statuses = {}
  local lag = 0
  local wraps = 0
  local lines = 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts") or {}) do
      statuses[tostring(status)] = (statuses[tostring(status)] or 0) + n
    end
    lag = math.max(lag, thread:get("max_lag_ms") or 0)
    wraps = wraps + (thread:get("wrapped") or 0)
    lines = thread:get("line_count") or lines
  end
  local parts = {}
  for status, n in pairs(statuses) do
    table.insert(parts, string.format('"%s": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "statuses": {%s}, '
      .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
      .. '"latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}, '
      .. '"max_schedule_lag_ms": %.1f, "wrapped": %d, "lines": %d}\n',
    summary.requests, summary.duration, summary.bytes, table.concat(parts, ", "),
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean,
    lag, wraps, lines
  ))
end
