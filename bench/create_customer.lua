-- POST /api/customers with a reference_id unique per request and per wrk thread.
counter = 0
thread_tag = "t"
local threads = {}
-- Seeded, or every wrk run would draw the same tags and repeat the
-- reference_ids of the run before it on the same server (409 conflicts).
math.randomseed(os.time())

function setup(thread)
  thread:set("thread_tag", "t" .. tostring(#threads) .. "-" .. tostring(os.time()) .. "-" ..
             tostring(math.random(1, 1e9)))
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local body = '{"reference_id":"bench-' .. thread_tag .. '-' .. counter .. '","name":"Bench"}'
  return wrk.format("POST", "/api/customers", nil, body)
end
