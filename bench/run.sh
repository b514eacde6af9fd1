#!/usr/bin/env bash
# The project's benchmark. Starts the server (in memory, then with --db),
# drives it with wrk at 32 connections, and prints req/s, p50 and p99 for
#   GET  /api/customers/{uid}/payment-methods  (a customer with 3 saved cards)
#   POST /api/customers
#   POST /api/payments + POST /api/payments/{uid}/capture on a saved card (pairs/s)
# plus start-up-to-first-response and idle RSS.
# Usage: bench/run.sh [build-dir] [seconds-per-run]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
duration=${2:-10}
bin=$build/payment-sandbox
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$bin" ] || { echo "build first: $bin not found" >&2; exit 1; }

workdir=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$workdir"
}
trap cleanup EXIT

start_server() {
  "$bin" serve --port 0 --log-format none "$@" >"$workdir/out" 2>"$workdir/err" &
  server_pid=$!
  for _ in $(seq 1 200); do
    grep -q "listening on" "$workdir/out" 2>/dev/null && break
    sleep 0.01
  done
  base=$(sed -n 's/^listening on //p' "$workdir/out")
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

# Prints "label  req/s  p50  p99" from wrk --latency output.
report() {
  local label=$1 file=$2
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$file")
  p50=$(awk '$1=="50%" {print $2}' "$file")
  p99=$(awk '$1=="99%" {print $2}' "$file")
  errors=$(awk '/Non-2xx/ {print $NF}' "$file")
  printf '%-44s %10s req/s   p50 %-9s p99 %-9s non-2xx %s\n' "$label" "$rps" "$p50" "$p99" "${errors:-0}"
}

run_mode() {
  local mode=$1; shift
  start_server "$@"
  token=$(curl -s -u sandbox-client:sandbox-secret -d grant_type=client_credentials \
    "$base/oauth2/token" | json_field access_token)
  account=$(curl -s -X POST -H 'Content-Type: application/json' -d '{}' "$base/_sandbox/accounts" | json_field uid)
  auth=(-H "Authorization: Bearer $token" -H "X-Payment-Account-Uid: $account" -H 'Content-Type: application/json')
  customer=$(curl -s "${auth[@]}" -d '{"reference_id":"bench-owner"}' "$base/api/customers" | json_field uid)
  for number in 4111111111111111 5555555555554444 6011111111111117; do
    minted=$(curl -s -H "X-Payment-Account-Uid: $account" -H 'Content-Type: application/json' \
      -d "{\"card\":{\"number\":\"$number\",\"exp_month\":12,\"exp_year\":2030}}" "$base/_sandbox/tokens")
    fp=$(echo "$minted" | json_field fingerprint)
    last4=${number: -4}
    curl -s -o /dev/null "${auth[@]}" -d "{\"payment_method\":{\"payment_method_type\":\"credit\",\"credit\":{\"fingerprint\":\"$fp\",\"last4\":\"$last4\",\"exp_month\":12,\"exp_year\":2030}}}" \
      "$base/api/customers/$customer/payment-methods"
  done
  wrk -t2 -c32 -d"${duration}s" --latency "${auth[@]}" "$base/api/customers/$customer/payment-methods" >"$workdir/get.txt"
  report "[$mode] GET saved methods" "$workdir/get.txt"
  wrk -t2 -c32 -d"${duration}s" --latency "${auth[@]}" -s "$root/bench/create_customer.lua" "$base" >"$workdir/post.txt"
  report "[$mode] POST create customer" "$workdir/post.txt"
  # A validate + capture pair on a saved card (issue 3).
  minted=$(curl -s -H "X-Payment-Account-Uid: $account" -H 'Content-Type: application/json' \
    -d '{"card":{"number":"4111111111111111","exp_month":12,"exp_year":2030}}' "$base/_sandbox/tokens")
  spm=$(curl -s "${auth[@]}" -d "{\"payment_method\":{\"payment_method_type\":\"credit\",\"credit\":{\"fingerprint\":\"$(echo "$minted" | json_field fingerprint)\",\"last4\":\"1111\",\"exp_month\":12,\"exp_year\":2030}}}" \
    "$base/api/customers/$customer/payment-methods" | json_field saved_payment_method_uid)
  wrk -t2 -c32 -d"${duration}s" --latency "${auth[@]}" -s "$root/bench/validate_capture.lua" "$base" -- "$spm" >"$workdir/pay.txt"
  printf '%-44s %s\n' "[$mode] validate+capture (saved card)" "$(sed -n 's/^PAIRS //p' "$workdir/pay.txt")"
  if [ -n "${BENCH_EXTRA:-}" ]; then
    # Later benchmarks (payments, webhooks) hook in here.
    source "$BENCH_EXTRA"
  fi
  stop_server
}

echo "payment-sandbox benchmark: wrk -t2 -c32, ${duration}s per run, $(nproc) cores shared with wrk"
run_mode memory
run_mode "--db" --db "$workdir/bench.db"
if [ -x "$build/bench_startup" ]; then
  "$build/bench_startup" "$bin" 20
fi
if [ -x "$build/bench_webhooks" ]; then
  "$root/bench/webhooks.sh" "$build" "$duration"
fi
