#!/usr/bin/env bash
# Webhook benchmark: events delivered per second to a receiver that answers
# at once (embedded sandbox), then the API's p99 at 32 connections (wrk,
# POST /_sandbox/webhooks/trigger) for an account without a receiver and for
# one whose receiver hangs on every delivery.
# Usage: bench/webhooks.sh [build-dir] [seconds-per-run]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
duration=${2:-10}
bin=$build/payment-sandbox
bench=$build/bench_webhooks
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$bin" ] && [ -x "$bench" ] || { echo "build first: $bin / $bench not found" >&2; exit 1; }

workdir=$(mktemp -d)
server_pid=""
receiver_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "$receiver_pid" ] && kill "$receiver_pid" 2>/dev/null && wait "$receiver_pid" 2>/dev/null
  rm -rf "$workdir"
}
trap cleanup EXIT

wait_listening() {  # file -> prints the address after "listening on "
  for _ in $(seq 1 300); do
    grep -q "listening on" "$1" 2>/dev/null && break
    sleep 0.01
  done
  sed -n 's/^listening on //p' "$1"
}

p99_of() {
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$2")
  p50=$(awk '$1=="50%" {print $2}' "$2")
  p99=$(awk '$1=="99%" {print $2}' "$2")
  printf '%-44s %10s req/s   p50 %-9s p99 %-9s\n' "$1" "$rps" "$p50" "$p99"
}

echo "webhook benchmark: $(nproc) cores"
"$bench" throughput 20000 1
"$bench" throughput 20000 8

"$bench" receiver hang >"$workdir/receiver.out" &
receiver_pid=$!
hook=$(wait_listening "$workdir/receiver.out")

"$bin" serve --port 0 --log-format none >"$workdir/server.out" 2>"$workdir/server.err" &
server_pid=$!
base=$(wait_listening "$workdir/server.out")
uid_of() { sed -n 's/.*"uid":"\([^"]*\)".*/\1/p'; }
plain=$(curl -s -X POST -H 'Content-Type: application/json' -d '{}' "$base/_sandbox/accounts" | uid_of)
hung=$(curl -s -X POST -H 'Content-Type: application/json' \
  -d "{\"callback_url\":\"$hook\"}" "$base/_sandbox/accounts" | uid_of)

wrk -t2 -c32 -d"${duration}s" --latency -H "X-Payment-Account-Uid: $plain" \
  -s "$root/bench/trigger.lua" "$base" >"$workdir/plain.txt"
p99_of "[api] trigger, no receiver" "$workdir/plain.txt"
wrk -t2 -c32 -d"${duration}s" --latency -H "X-Payment-Account-Uid: $hung" \
  -s "$root/bench/trigger.lua" "$base" >"$workdir/hung.txt"
p99_of "[api] trigger, receiver hangs on every call" "$workdir/hung.txt"
