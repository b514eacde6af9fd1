#!/usr/bin/env bash
# Soak benchmark (not a CI test): mixed traffic at load against one server for
# DURATION seconds (default 600), printing the server's RSS every 30 s (it
# must level off) and, at the end, the request and error counts (errors must
# be 0). Traffic per worker, in a loop: create a customer, mint and save a
# card, list its wallet, look it up by $filter, list customers; where the
# build has them (docs/api/payments.md, docs/webhooks.md), validate + capture a payment with the saved
# card and count the signed webhooks a local receiver gets. At the end it
# prints the memory per object: RSS growth in MiB per 1,000 customers (each
# with a card, a payment and its event), over the whole run and over its
# second half (after the request journal has filled to its bound).
#   bench/soak.sh [DURATION_SECONDS] [BUILD_DIR] [WORKERS]
#   e.g. bench/soak.sh 60    for a quick check; --db: SOAK_DB=/tmp/soak.db
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-600}
build=${2:-build}
workers=${3:-16}
binary="$build/payment-sandbox"
[ -x "$binary" ] || { echo "no $binary: build first (cmake --build $build)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

db_args=()
[ -n "${SOAK_DB:-}" ] && { rm -f "$SOAK_DB"{,-wal,-shm}; db_args=(--db "$SOAK_DB"); }
"$binary" serve --port 0 --threads $((workers * 2)) "${db_args[@]}" >"$work/server.out" 2>&1 &
server_pid=$!
pids+=("$server_pid")
for _ in $(seq 100); do grep -qs "listening on" "$work/server.out" && break; sleep 0.05; done
base=$(grep -o "http://[0-9.:]*" "$work/server.out" | head -1)
[ -n "$base" ] || { cat "$work/server.out" >&2; exit 1; }
echo "server $base (pid $server_pid), $workers workers, ${duration}s"

python3 - "$base" "$duration" "$workers" "$server_pid" <<'PY'
import http.client, http.server, json, sys, threading, time, urllib.parse, base64, hmac

base, duration, workers, server_pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
lock = threading.Lock()
counts = {"requests": 0, "errors": 0, "payments": 0, "webhooks": 0, "bad_signatures": 0, "customers": 0}
first_errors = []

# The local webhook receiver (docs/webhooks.md): answers 200 and checks the signature.
secret = {"value": b""}
class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        ok = True
        try:
            envelope = json.loads(body)
            mac = hmac.new(secret["value"], f'{envelope["timestamp"]}.'.encode() + body, "sha256")
            ok = self.headers.get("X-Webhook-Signature", "") == "sha256=" + mac.hexdigest()
        except Exception:
            ok = False
        with lock:
            counts["webhooks"] += 1
            if not ok: counts["bad_signatures"] += 1
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=receiver.serve_forever, daemon=True).start()
callback = f"http://127.0.0.1:{receiver.server_address[1]}/hooks"

def call(conn, method, path, body=None, headers=None, expect=(200, 201)):
    data = None if body is None else json.dumps(body)
    h = {"Content-Type": "application/json"} if data is not None else {}
    h.update(headers or {})
    conn.request(method, path, body=data, headers=h)
    resp = conn.getresponse()
    raw = resp.read()
    with lock:
        counts["requests"] += 1
        if resp.status not in expect:
            counts["errors"] += 1
            if len(first_errors) < 5: first_errors.append(f"{method} {path} -> {resp.status} {raw[:200]!r}")
    try: return resp.status, json.loads(raw) if raw else None
    except ValueError: return resp.status, None

setup = http.client.HTTPConnection(host, port, timeout=30)
auth = base64.b64encode(b"sandbox-client:sandbox-secret").decode()
setup.request("POST", "/oauth2/token", body="grant_type=client_credentials",
              headers={"Authorization": "Basic " + auth, "Content-Type": "application/x-www-form-urlencoded"})
token = json.loads(setup.getresponse().read())["access_token"]
_, account = call(setup, "POST", "/_sandbox/accounts", {"callback_url": callback, "webhook_enabled": True})
secret["value"] = account.get("webhook_secret", "").encode()
H = {"Authorization": "Bearer " + token, "X-Payment-Account-Uid": account["uid"]}
C = {"X-Payment-Account-Uid": account["uid"]}
# Payments land in another branch: use them when this build routes them.
status, _ = call(setup, "POST", "/api/payments", {}, H, expect=(400, 404))
have_payments = status == 400
print("payments:", "on" if have_payments else "not in this build (skipped)", "| webhooks to", callback, flush=True)

stop = time.time() + duration
def worker(n):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    i = 0
    while time.time() < stop:
        i += 1
        ref = f"soak-{n}-{i}"
        try:
            status, customer = call(conn, "POST", "/api/customers", {"reference_id": ref, "name": "Soak O'Test"}, H)
            if status == 201:
                with lock: counts["customers"] += 1
            _, minted = call(conn, "POST", "/_sandbox/tokens", {"card": {"number": "4111111111111111", "exp_month": 12, "exp_year": 2030}}, C)
            if not customer or not minted: continue
            card = minted["card"]
            method = {"payment_method_type": "credit", "credit": {"fingerprint": minted["fingerprint"], "last4": card["last4"],
                      "exp_month": card["exp_month"], "exp_year": card["exp_year"], "bin": card["bin"], "card_brand": card["card_brand"]}}
            _, saved = call(conn, "POST", f"/api/customers/{customer['uid']}/payment-methods", {"payment_method": method}, H)
            call(conn, "GET", f"/api/customers/{customer['uid']}/payment-methods", None, H)
            call(conn, "GET", "/api/customers?$filter=" + urllib.parse.quote(f"reference_id eq '{ref}'"), None, H)
            call(conn, "GET", "/api/customers?$top=20", None, H)
            if have_payments and saved:
                pay = {"base_amount": 1000 + i % 500, "tax_amount": 80, "currency": "USD", "reference_id": "order-" + ref,
                       "payment_method": {"payment_method_type": "wallet_credit",
                                          "wallet": {"saved_payment_method_uid": saved["saved_payment_method_uid"]}}}
                _, validated = call(conn, "POST", "/api/payments", pay, H)
                if validated:
                    capture = dict(pay, processing_fee_amount=validated["processing_fee_amount"])
                    _, done = call(conn, "POST", f"/api/payments/{validated['uid']}/capture", capture, H)
                    if done:
                        with lock: counts["payments"] += 1
        except Exception as e:  # a dropped connection or a timeout is an error too
            with lock:
                counts["errors"] += 1
                if len(first_errors) < 5: first_errors.append(f"{ref}: {e!r}")
            conn = http.client.HTTPConnection(host, port, timeout=30)

def rss_mib():
    with open(f"/proc/{server_pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"): return int(line.split()[1]) / 1024
    return 0.0

threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(workers)]
rss_start = rss_mib()
for t in threads: t.start()
started = time.time()
next_report = started
halfway = None  # (rss, customers) at half the duration
while any(t.is_alive() for t in threads):
    if halfway is None and time.time() >= started + duration / 2:
        with lock: halfway = (rss_mib(), counts["customers"])
    if time.time() >= next_report:
        with lock: snapshot = dict(counts)
        print(f"t={time.time() - started:5.0f}s rss={rss_mib():7.1f} MiB requests={snapshot['requests']} "
              f"errors={snapshot['errors']} payments={snapshot['payments']} webhooks={snapshot['webhooks']}", flush=True)
        next_report += 30
    time.sleep(0.5)
for t in threads: t.join()
time.sleep(2)  # deliveries of the last events
elapsed = time.time() - started
print(f"done: {counts['requests']} requests in {elapsed:.0f}s ({counts['requests'] / elapsed:.0f}/s), "
      f"final rss={rss_mib():.1f} MiB, payments={counts['payments']}, webhooks={counts['webhooks']} "
      f"(bad signatures {counts['bad_signatures']})")
rss_end = rss_mib()
def per_thousand(rss_from, customers_from):
    made = counts["customers"] - customers_from
    return (rss_end - rss_from) / made * 1000 if made > 0 else float("nan")
print(f"memory per object: {per_thousand(rss_start, 0):.2f} MiB per 1,000 customers over the run, "
      f"{per_thousand(*halfway) if halfway else float('nan'):.2f} over its second half "
      f"({counts['customers']} customers, rss {rss_start:.1f} -> {rss_end:.1f} MiB)")
for e in first_errors: print("  error:", e)
print(f"errors: {counts['errors'] + counts['bad_signatures']}")
sys.exit(1 if counts["errors"] + counts["bad_signatures"] else 0)
PY
