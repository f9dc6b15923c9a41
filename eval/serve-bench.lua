-- wrk script for eval/serve-bench.sh: each thread rotates through the request paths listed, one per
-- line, in the file named by $BENCH_PATHS (threads start at different places), and the run ends with
-- one machine-readable line:
-- BENCH requests=N duration_us=N p50_us=N p99_us=N mean_us=N max_us=N connect=N read=N write=N status=N timeout=N
-- (status counts answers of 400 and above; the others are socket errors).

local created = 0

function setup(thread)
  created = created + 1
  thread:set("id", created)
end

local paths = {}
local at = 0

function init(args)
  local name = os.getenv("BENCH_PATHS")
  local f = assert(io.open(name, "r"), "cannot open " .. tostring(name))
  for line in f:lines() do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  f:close()
  assert(#paths > 0, "no paths in " .. name)
  at = ((id or 1) * 7919) % #paths
end

function request()
  at = at % #paths + 1
  return wrk.format("GET", paths[at])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d mean_us=%d max_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), math.floor(latency.mean),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
