-- Replays pre-signed requests, each exactly once: thread k takes lines k, k+T, k+2T, ...
-- Each line: METHOD \t PATH \t AUTHORIZATION \t BODY. A third argument, milliseconds, is the pause
-- before each request of a connection, for bench_core to pace with a delay() it appends (wrk looks
-- for delay() before init runs, and calls it, at a cost, whenever it is defined).
local threads = {}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end
function init(args)
  local file, nthreads = args[1], tonumber(args[2])
  pause = tonumber(args[3] or "0")
  reqs = {}
  local i = 0
  for line in io.lines(file) do
    if i % nthreads == id then
      local m, p, a, b = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      local headers = { ["Authorization"] = a }
      if b ~= "" then headers["Content-Type"] = "application/json" else b = nil end
      table.insert(reqs, wrk.format(m, p, headers, b))
    end
    i = i + 1
  end
  n = 0
end
function request()
  n = n + 1
  return reqs[((n - 1) % #reqs) + 1]
end
function done(summary, latency, requests)
  io.write(string.format("XMOCK_RESULT %d %d %d %d\n", summary.requests,
    summary.errors.status, latency:percentile(50), latency:percentile(99)))
end
