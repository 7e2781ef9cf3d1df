-- wrk script for scripts/bench.py: counts the expected status per thread, can post the
-- consultation form with a fresh signed form token each time, and prints a JSON summary.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  expected = tonumber(args[1])
  good, bad, sent = 0, 0, 0
  if args[2] then
    -- Posting: args are the tokens file, the CSRF token and cookie, the thread count, the
    -- tokens earlier rounds used, and this round's visitors' second octet.
    csrf, cookie, nthreads = args[3], args[4], tonumber(args[5])
    local skip = tonumber(args[6] or "0")
    octet = tonumber(args[7] or "0")
    tokens = {}
    local n = 0
    for line in io.lines(args[2]) do
      if n >= skip and n % nthreads == id then table.insert(tokens, line) end
      n = n + 1
    end
  end
end

function request()
  if not tokens then return wrk.format(nil) end
  sent = sent + 1
  local token = tokens[sent]
  local body = "csrfmiddlewaretoken=" .. csrf .. "&form_token=" .. token ..
    "&name=Bench+Visitor&email=bench" .. id .. "-" .. sent .. "%40example.com&phone=" ..
    "&preferred_contact=email&contact_window=anytime&voicemail_ok=no&who_needs_help=me" ..
    "&substances=heroin&program=not_sure&insurance=not_sure&state=ME&consent_contact=on"
  -- Each post from its own visitor, as our proxy would forward it (10.round.n.n).
  local n = sent * nthreads + id
  local visitor = string.format("10.%d.%d.%d", octet, math.floor(n / 256) % 256, n % 256)
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. cookie,
    ["X-Forwarded-For"] = visitor,
  }, body)
end

function response(status, headers, body)
  if status == expected then good = good + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local g, b = 0, 0
  for _, thread in ipairs(threads) do
    g = g + thread:get("good")
    b = b + thread:get("bad")
  end
  io.write(string.format(
    '{"rps": %.1f, "p50": %.2f, "p95": %.2f, "p99": %.2f, "good": %d, "bad": %d, ' ..
    '"socket_errors": %d}\n',
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, g, b,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
end
