-- wrk script for bench/kiosk.py: a closed loop of GETs (the trivial page) or of kiosk submits,
-- each submit one rating with a client_id never used before, for a fixed number of seconds.
--
--   wrk -t1 -c16 -d12s --timeout 30s -s bench/kiosk.lua URL -- MODE SECONDS TOKENS_FILE RUN
--
-- MODE get: GET the URL's path; post: POST {"ratings":[one item]} to it with a device token
-- (taken in turn from TOKENS_FILE, one a line). RUN (0-255) goes into every client_id, so
-- that ids are unique across the runs of one benchmark without relying on the random numbers.
--
-- Exact accounting: wrk itself stops after -d seconds and drops whatever is in flight, which the
-- server may still have stored. So each thread sends submits for SECONDS only, then sends
-- GET /healthz (harmless) on connections that are still busy until every submit it sent has been
-- answered, and stops itself. -d must leave a margin after SECONDS for that drain. A thread that
-- stops prints "KIOSK-BENCH-STOPPED" (bench/kiosk.py then interrupts wrk's sleep with SIGINT,
-- instead of waiting for the rest of -d). done() prints one line "KIOSK-BENCH {json}" with the
-- counts and wrk's latency percentiles.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } kiosk_bench_timespec;
  int clock_gettime(int clock_id, kiosk_bench_timespec *tp);
]]
local timespec = ffi.new("kiosk_bench_timespec")
local function now()
  ffi.C.clock_gettime(1, timespec) -- CLOCK_MONOTONIC, the same clock in every thread
  return tonumber(timespec.tv_sec) + tonumber(timespec.tv_nsec) / 1e9
end

-- ---------------------------------------------------------------- main state (setup, done)

local threads, next_id = {}, 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- ---------------------------------------------------------------- per-thread state

mode, seconds, run_id = "get", 10, 0
tokens, token_at = {}, 0
deadline, draining = nil, false
-- counters read by done() through thread:get (scalars only)
t_first, t_last = nil, nil
sent, answered, drained = 0, 0, 0
s200, s429, s4xx, s5xx, sother = 0, 0, 0, 0, 0
accepted, duplicate, rejected, flagged = 0, 0, 0, 0
serial = 0

local drain_request, path
local verified, stopped = false, false

function init(args)
  mode = args[1] or "get"
  seconds = tonumber(args[2] or "10")
  if args[3] and args[3] ~= "-" then
    for line in io.lines(args[3]) do
      if #line > 0 then table.insert(tokens, line) end
    end
  end
  run_id = tonumber(args[4] or "0")
  math.randomseed(os.time() * 1000 + thread_id * 7919 + run_id)
  -- spread threads over the tokens
  token_at = (thread_id * 37) % math.max(#tokens, 1)
  path = wrk.path
  drain_request = wrk.format("GET", "/healthz")
end

local function uuid()
  serial = serial + 1
  -- random version-4 UUID whose last group is run, thread and a serial: unique in the run.
  return string.format("%04x%04x-%04x-4%03x-%x%03x-%02x%02x%08x",
    math.random(0, 0xffff), math.random(0, 0xffff), math.random(0, 0xffff),
    math.random(0, 0xfff), math.random(8, 11), math.random(0, 0xfff),
    run_id % 256, thread_id % 256, serial)
end

local function item()
  -- taken now, on the wall clock of WITA (UTC+8), where the demo's counters are
  local taken = os.date("!%Y-%m-%dT%H:%M:%S", os.time() + 8 * 3600) .. "+08:00"
  local score = math.random(1, 4)
  if serial % 4 == 3 then
    -- one in four is a full survey: the nine elements and the respondent
    local e = {}
    for n = 1, 9 do e[n] = string.format('"U%d":%d', n, math.random(1, 4)) end
    return string.format(
      '{"client_id":"%s","taken_at":"%s","score":%d,"elements":{%s},'
        .. '"respondent":{"sex":"%s","age_group":"30-39","education":"SMA"}}',
      uuid(), taken, score, table.concat(e, ","), (serial % 8 == 3) and "L" or "P")
  end
  return string.format('{"client_id":"%s","taken_at":"%s","score":%d}', uuid(), taken, score)
end

local function stop()
  if not stopped then
    stopped = true
    io.write("KIOSK-BENCH-STOPPED\n")
    io.stdout:flush()
    wrk.thread:stop()
  end
end

function request()
  if thread_id == 0 and not verified then
    -- wrk calls request() once on thread 0 before starting, to check for pipelining, and never
    -- sends what it returns: not a submit, not counted
    verified = true
    return drain_request
  end
  local t = now()
  if deadline == nil then
    deadline = t + seconds
    t_first = t
  end
  if t >= deadline then
    draining = true
    if mode ~= "post" then
      stop()
    end
    return drain_request
  end
  sent = sent + 1
  if mode ~= "post" then
    return wrk.format("GET", path)
  end
  token_at = token_at % #tokens + 1
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[token_at],
  }, '{"ratings":[' .. item() .. ']}')
end

local function count(pattern, body)
  local n, start = 0, 1
  while true do
    local at = string.find(body, pattern, start, true)
    if not at then return n end
    n, start = n + 1, at + #pattern
  end
end

function response(status, headers, body)
  local t = now()
  if draining and (mode ~= "post" or string.find(body, '{"status":"ok"}', 1, true)) then
    -- a drain GET (post mode), or an answer after the deadline (get mode): not measured
    drained = drained + 1
  else
    answered = answered + 1
    t_last = t
    if status == 200 then s200 = s200 + 1
    elseif status == 429 then s429 = s429 + 1
    elseif status >= 500 then s5xx = s5xx + 1
    elseif status >= 400 then s4xx = s4xx + 1
    else sother = sother + 1 end
    if mode == "post" and status == 200 then
      accepted = accepted + count('"status":"accepted"', body)
      duplicate = duplicate + count('"status":"duplicate"', body)
      rejected = rejected + count('"status":"rejected"', body)
      flagged = flagged + count('"flag":', body)
    end
  end
  if draining and answered >= sent then
    stop()
  end
end

function done(summary, latency, requests)
  local fields = {"sent", "answered", "drained", "s200", "s429", "s4xx", "s5xx", "sother",
                  "accepted", "duplicate", "rejected", "flagged"}
  local totals, first, last = {}, nil, nil
  for _, name in ipairs(fields) do totals[name] = 0 end
  for _, thread in ipairs(threads) do
    for _, name in ipairs(fields) do totals[name] = totals[name] + (thread:get(name) or 0) end
    local f, l = thread:get("t_first"), thread:get("t_last")
    if f and (first == nil or f < first) then first = f end
    if l and (last == nil or l > last) then last = l end
  end
  local parts = {}
  for _, name in ipairs(fields) do table.insert(parts, string.format('"%s":%d', name, totals[name])) end
  table.insert(parts, string.format('"window_s":%.6f', (first and last) and (last - first) or 0))
  table.insert(parts, string.format('"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}',
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
  -- wrk's own latency histogram (microseconds); in post mode it also holds the few drain GETs
  table.insert(parts, string.format('"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}',
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
  io.write("KIOSK-BENCH {" .. table.concat(parts, ",") .. "}\n")
end
