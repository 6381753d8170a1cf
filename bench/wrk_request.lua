-- One kind of request for wrk, from environment variables set by bench/server_bench.py;
-- stops each thread after BENCH_MAX_REQUESTS answers so a run is bounded in count as well
-- as in time (-d), and prints the figures as one JSON line.
local max_requests = tonumber(os.getenv("BENCH_MAX_REQUESTS") or "1000000")
local answered = 0

wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.headers["Accept-Encoding"] = os.getenv("BENCH_ACCEPT_ENCODING") or "br, gzip"
local origin = os.getenv("BENCH_ORIGIN")
if origin and origin ~= "" then wrk.headers["Origin"] = origin end
local body_file = os.getenv("BENCH_BODY_FILE")
if body_file and body_file ~= "" then
  local file = assert(io.open(body_file, "rb"))
  wrk.body = file:read("*a")
  file:close()
  wrk.headers["Content-Type"] = "application/json"
end

function response(status, headers, body)
  answered = answered + 1
  if answered >= max_requests then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
