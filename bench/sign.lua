-- wrk script: POST the sign form with real sessions and CSRF tokens.
-- SESSIONS names a file of "cookie<TAB>token" lines fetched beforehand;
-- every request signs with a new address, so every 303 should be one row.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  sessions = {}
  for line in io.lines(os.getenv("SESSIONS")) do
    local cookie, token = line:match("([^\t]+)\t([^\t]+)")
    table.insert(sessions, { cookie, token })
  end
  counter = 0
  statuses = {}
  run = os.getenv("RUN_ID") or "0"
  path = os.getenv("SIGN_PATH")
end

function request()
  counter = counter + 1
  local s = sessions[(counter + id * 7) % #sessions + 1]
  local body = "csrf_token=" .. s[2]
    .. "&name=Bench+Signer&email=s" .. run .. "-" .. id .. "-" .. counter
    .. "%40bench.example.org&city=Seoul&country=KR&language=en&recipient=&message="
    .. "&consent=y"
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = s[1],
  }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local codes = {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses")) do
      codes[tostring(code)] = (codes[tostring(code)] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(codes) do
    table.insert(parts, string.format('"%s": %d', code, n))
  end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "p50_ms": %.2f, "p99_ms": %.2f, "statuses": {%s}}\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, table.concat(parts, ", ")))
end
