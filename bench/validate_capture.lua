-- A validate + capture pair on a saved card: POST /api/payments, then
-- POST /api/payments/{uid}/capture repeating the validation. Each wrk thread
-- keeps the validated payments waiting for their capture; done() prints
-- completed pairs per second and the p99 over both kinds of request.
-- Usage: wrk ... -s bench/validate_capture.lua BASE -- spm_...
local threads = {}
local pending = {}
captured = 0
failed = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local method = '{"payment_method_type":"wallet_credit","wallet":{"saved_payment_method_uid":"' ..
      args[1] .. '"}}'
  fields = '"base_amount":1000,"tax_amount":0,"currency":"USD","reference_id":"bench",' ..
      '"payment_method":' .. method
  validate_body = "{" .. fields .. "}"
end

function request()
  local next_capture = table.remove(pending)
  if next_capture then
    return wrk.format("POST", "/api/payments/" .. next_capture.uid .. "/capture", nil,
                      "{" .. fields .. ',"processing_fee_amount":' .. next_capture.fee .. "}")
  end
  return wrk.format("POST", "/api/payments", nil, validate_body)
end

function response(status, headers, body)
  if status == 201 then
    local uid = body:match('"uid":"(pay_[^"]+)"')
    local fee = body:match('"processing_fee_amount":(%d+)')
    table.insert(pending, {uid = uid, fee = fee})
  elseif status == 200 then
    captured = captured + 1
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local pairs_done, errors = 0, 0
  for _, thread in ipairs(threads) do
    pairs_done = pairs_done + thread:get("captured")
    errors = errors + thread:get("failed")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("PAIRS %.0f pairs/s p99 %.2fms errors %d\n", pairs_done / seconds,
                         latency:percentile(99) / 1000, errors))
end
