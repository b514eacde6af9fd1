-- POST /_sandbox/webhooks/trigger: each request records (and, with a
-- callback_url, dispatches) one event. The account comes from wrk -H.
wrk.method = "POST"
wrk.path = "/_sandbox/webhooks/trigger"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"event_type":"payment.completed","data":{"bench":true}}'
