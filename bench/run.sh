#!/usr/bin/env bash
# The project's benchmark (figures only; never assertions). In one run:
#   - starts nginx on a free port with `return 200`: the ceiling every
#     req/s figure is divided by;
#   - serves three stores one after the other: empty in memory, empty with
#     --db, and a --db file holding millions of objects (bench/seed-state);
#   - drives each with wrk at 32 and at 1,000 connections and prints, side by
#     side, req/s, p50, p99 and the share of nginx's req/s for
#       GET  /api/customers/{uid}/payment-methods      (a customer with 3 cards)
#       GET  /api/customers?$filter=reference_id eq '…'
#       POST /api/customers
#       POST /api/payments + /capture on a saved card  (pairs/s)
#       GET  /_sandbox/events?limit=100               (one account's events)
#   - start-up to the first answer (bench_startup), empty and seeded;
#   - RSS idle and after the load, and RSS per 100,000 saved methods (an
#     import of 100,000 into an empty store, in memory and with --db).
# The issue's targets are printed beside the figures.
#
# Usage: bench/run.sh [build-dir] [seconds-per-row]
# Environment:
#   SEED_DB     the seeded file (default BUILD/bench-seed.db; made by
#               bench/seed-state when missing, and kept for the next run)
#   SEED_ARGS   flags for bench/seed-state when it has to make one (default:
#               its defaults, 1,000 accounts x 100,000 customers x 1,000,000
#               saved methods x 1,000,000 payments x 2,000,000 events)
#   CONNECTIONS the connection counts (default "32 1000")
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
duration=${2:-3}
connections=${CONNECTIONS:-32 1000}
bin=$build/payment-sandbox
seed_db=${SEED_DB:-$build/bench-seed.db}
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps" >&2; exit 1; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] ||
  { echo "nginx is missing: scripts/install-deps nginx-light" >&2; exit 1; }
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$bin" ] || { echo "build first: $bin not found" >&2; exit 1; }
# 1,000 connections from wrk and as many accepted by the server.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

workdir=$(mktemp -d)
server_pid=""
nginx_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; fi
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null; fi
  rm -rf "$workdir"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ---------- measuring ----------

# "850.00us" / "1.23ms" / "1.02s" -> milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else printf "nan" }'
}

# Runs wrk and stores "req/s p50_ms p99_ms errors" in results[$key].
declare -A results
measure() {
  local key=$1 conns=$2; shift 2
  local out="$workdir/wrk.txt"
  wrk -t2 -c"$conns" -d"${duration}s" --timeout 10s --latency "$@" >"$out" 2>&1 || true
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$out")
  p50=$(to_ms "$(awk '$1=="50%" {print $2}' "$out")")
  p99=$(to_ms "$(awk '$1=="99%" {print $2}' "$out")")
  errors=$(awk '/Non-2xx/ {n += $NF}
    /Socket errors/ {for (i = 3; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i + 0}
    END {print n + 0}' "$out")
  # validate_capture.lua prints completed pairs per second.
  local pairs
  pairs=$(sed -n 's/^PAIRS \([0-9.]*\) pairs.*/\1/p' "$out")
  [ -n "$pairs" ] && rps=$pairs
  results[$key]="${rps:-0} ${p50:-nan} ${p99:-nan} ${errors:-0}"
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# ---------- nginx, the ceiling ----------

nginx_port=$(free_port)
mkdir -p "$workdir/nginx"
cat >"$workdir/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $workdir/nginx/nginx.pid;
error_log $workdir/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $workdir/nginx/body;
  proxy_temp_path $workdir/nginx/proxy;
  fastcgi_temp_path $workdir/nginx/fastcgi;
  uwsgi_temp_path $workdir/nginx/uwsgi;
  scgi_temp_path $workdir/nginx/scgi;
  keepalive_requests 100000000;
  server { listen 127.0.0.1:$nginx_port; location / { return 200; } }
}
EOF
"$nginx_bin" -c "$workdir/nginx/nginx.conf" -p "$workdir/nginx" 2>"$workdir/nginx/stderr" &
nginx_pid=$!
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$nginx_port/" && break
  sleep 0.05
done

# ---------- the sandbox ----------

start_server() {
  "$bin" serve --port 0 --log-format none "$@" >"$workdir/out" 2>"$workdir/err" &
  server_pid=$!
  for _ in $(seq 1 500); do
    grep -q "listening on" "$workdir/out" 2>/dev/null && break
    sleep 0.01
  done
  base=$(sed -n 's/^listening on //p' "$workdir/out")
  [ -n "$base" ] || { echo "the server did not start: $(cat "$workdir/err")" >&2; exit 1; }
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

# Makes a fresh account with a customer holding 3 saved cards (plus one for
# payments); sets token, account, customer, spm, auth.
prepare_account() {
  token=$(curl -s -u sandbox-client:sandbox-secret -d grant_type=client_credentials \
    "$base/oauth2/token" | json_field access_token)
  account=$(curl -s -X POST -H 'Content-Type: application/json' -d '{}' "$base/_sandbox/accounts" |
    json_field uid)
  auth=(-H "Authorization: Bearer $token" -H "X-Payment-Account-Uid: $account"
        -H 'Content-Type: application/json')
  customer=$(curl -s "${auth[@]}" -d '{"reference_id":"bench-owner"}' "$base/api/customers" |
    json_field uid)
  for number in 4111111111111111 5555555555554444 6011111111111117; do
    local minted fp
    minted=$(curl -s -H "X-Payment-Account-Uid: $account" -H 'Content-Type: application/json' \
      -d "{\"card\":{\"number\":\"$number\",\"exp_month\":12,\"exp_year\":2030}}" "$base/_sandbox/tokens")
    fp=$(echo "$minted" | json_field fingerprint)
    spm=$(curl -s "${auth[@]}" -d "{\"payment_method\":{\"payment_method_type\":\"credit\",\"credit\":{\"fingerprint\":\"$fp\",\"last4\":\"${number: -4}\",\"exp_month\":12,\"exp_year\":2030}}}" \
      "$base/api/customers/$customer/payment-methods" | json_field saved_payment_method_uid)
  done
}

workloads=(get_methods get_by_reference post_customer validate_capture list_events)
declare -A label=(
  [get_methods]="GET saved methods"
  [get_by_reference]="GET customer by reference_id"
  [post_customer]="POST create customer"
  [validate_capture]="validate+capture (pairs/s)"
  [list_events]="GET an account's events"
)

# One store: every workload at every connection count, RSS idle and after.
run_store() {
  local store=$1; shift
  start_server "$@"
  results[$store,rss_idle]=$(rss_kib "$server_pid")
  prepare_account
  local filter="%24filter=reference_id%20eq%20%27bench-owner%27"
  for c in $connections; do
    measure "$store,get_methods,$c" "$c" "${auth[@]}" "$base/api/customers/$customer/payment-methods"
    measure "$store,get_by_reference,$c" "$c" "${auth[@]}" "$base/api/customers?$filter"
    measure "$store,post_customer,$c" "$c" "${auth[@]}" -s "$root/bench/create_customer.lua" "$base"
    measure "$store,validate_capture,$c" "$c" "${auth[@]}" -s "$root/bench/validate_capture.lua" \
      "$base" -- "$spm"
    # After validate+capture: the account has thousands of events by now.
    measure "$store,list_events,$c" "$c" "${auth[@]}" "$base/_sandbox/events?limit=100"
  done
  results[$store,rss_load]=$(rss_kib "$server_pid")
  if [ -n "${BENCH_EXTRA:-}" ]; then
    # Later benchmarks hook in here, with base, auth, customer and spm set.
    # shellcheck disable=SC1090
    source "$BENCH_EXTRA"
  fi
  stop_server
}

# RSS added by 100,000 saved methods (and their 100,000 customers), imported
# into an empty store 1,000 at a time: small requests, so that what grows is
# what the store keeps, not the allocator's high-water mark from parsing one
# big body. Measured from after a first batch (the allocator warmed up).
rss_per_100k() {
  local store=$1; shift
  start_server "$@"
  prepare_account
  python3 - "$workdir/import" <<'EOF'
import json, os, sys
os.makedirs(sys.argv[1], exist_ok=True)
for b in range(101):
    items = [{"customer_reference_id": f"rss-{b}-{i}",
              "payment_method": {"payment_method_type": "credit",
                                 "credit": {"fingerprint": f"proc-{b}-{i}", "last4": "1111",
                                            "exp_month": 12, "exp_year": 2030, "bin": "411111",
                                            "card_brand": "VISA"}}}
             for i in range(1000)]
    with open(os.path.join(sys.argv[1], f"{b}.json"), "w") as f:
        json.dump({"items": items}, f)
EOF
  local before after batch
  curl -s -o /dev/null "${auth[@]}" --data-binary "@$workdir/import/0.json" \
    "$base/api/saved-payment-methods/import"
  before=$(rss_kib "$server_pid")
  for batch in $(seq 1 100); do
    curl -s -o /dev/null "${auth[@]}" --data-binary "@$workdir/import/$batch.json" \
      "$base/api/saved-payment-methods/import"
  done
  after=$(rss_kib "$server_pid")
  results[$store,rss_100k]=$(( (after - before) / 1024 ))
  stop_server
}

# ---------- the seeded file ----------

if [ ! -s "$seed_db" ]; then
  seeder="$build/bench_seed_state"
  [ -x "$seeder" ] || { echo "build bench_seed_state first (or set SEED_DB)" >&2; exit 1; }
  echo "seeding $seed_db (bench/seed-state ${SEED_ARGS:-with its defaults}; kept for later runs)"
  # shellcheck disable=SC2086
  "$seeder" --db "$seed_db" ${SEED_ARGS:-}
fi
seeded_objects=$(python3 - "$seed_db" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
def rows(t):
    # max(seq) reads one row: the generator never deletes.
    return db.execute(f"SELECT coalesce(max(seq), 0) FROM {t}").fetchone()[0]
print(f"{rows('accounts'):,} accounts, {rows('customers'):,} customers, "
      f"{rows('saved_methods'):,} saved methods, {rows('payments'):,} payments, "
      f"{rows('events'):,} events")
EOF
)
# The benchmark writes into the file; a copy keeps the seeded one as made.
cp "$seed_db" "$workdir/seeded.db"

# ---------- run ----------

echo "payment-sandbox benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), \
$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr); wrk -t2 shares the cores"
echo "build: $(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || echo '?'), \
${duration}s per row; seeded store: $seeded_objects"
echo

for c in $connections; do
  measure "nginx,$c" "$c" "http://127.0.0.1:$nginx_port/"
done
run_store memory
run_store db --db "$workdir/empty.db"
run_store seeded --db "$workdir/seeded.db"

stores=(memory db seeded)
declare -A store_name=([memory]="empty, in memory" [db]="empty, --db" [seeded]="seeded, --db")

# req/s as a share of nginx's at the same connection count (pairs count as
# two requests each).
share() {
  local workload=$1 c=$2 rps=$3
  local ceiling=${results[nginx,$c]%% *}
  awk -v r="$rps" -v n="$ceiling" -v w="$workload" 'BEGIN {
    if (n <= 0) { printf "?"; exit }
    if (w == "validate_capture") r *= 2
    printf "%.0f%%", 100 * r / n }'
}

target_of() {
  local workload=$1 c=$2 store=$3
  case "$workload,$c,$store" in
    get_methods,32,memory) echo ">=50% of nginx, p99<=1ms" ;;
    get_methods,1000,*) echo ">=40% of nginx, p99<=20ms" ;;
    post_customer,*,db) echo ">=20% of nginx (group commit)" ;;
    validate_capture,*,memory) echo ">=5,000 pairs/s" ;;
    *,seeded) echo "within 20% of empty --db" ;;
    *) echo "" ;;
  esac
}

for c in $connections; do
  read -r nrps np50 np99 _ <<<"${results[nginx,$c]}"
  echo "== $c connections: nginx \`return 200\` $nrps req/s, p50 ${np50} ms, p99 ${np99} ms"
  printf '%-30s' ""
  for s in "${stores[@]}"; do printf ' | %-37s' "${store_name[$s]}"; done
  printf ' | seeded/empty\n'
  printf '%-30s' ""
  for _ in "${stores[@]}"; do printf ' | %9s %8s %8s %6s' "req/s" "p50 ms" "p99 ms" "nginx"; done
  printf ' |\n'
  for w in "${workloads[@]}"; do
    printf '%-30s' "${label[$w]}"
    for s in "${stores[@]}"; do
      read -r rps p50 p99 errors <<<"${results[$s,$w,$c]}"
      printf ' | %9s %8s %8s %6s' "$rps" "$p50" "$p99" "$(share "$w" "$c" "$rps")"
      [ "$errors" != "0" ] && printf '!'
    done
    ratio=$(awk -v a="${results[seeded,$w,$c]%% *}" -v b="${results[db,$w,$c]%% *}" \
      'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else printf "?" }')
    printf ' | %6s\n' "$ratio"
  done
  for s in "${stores[@]}"; do
    for w in "${workloads[@]}"; do
      t=$(target_of "$w" "$c" "$s")
      [ -n "$t" ] && [ "$s" != seeded ] && printf '  target: %-26s %-18s %s\n' "${label[$w]}" "(${store_name[$s]})" "$t"
    done
  done
  echo "  target: every seeded figure within 20% of the empty --db one (the last column)"
  echo
done
echo "('!' marks a row with errors or non-2xx answers)"
echo

echo "== start-up to the first answer (bench_startup; target <= 10 ms, seeded < 100 ms)"
if [ -x "$build/bench_startup" ]; then
  echo "empty, in memory:"
  "$build/bench_startup" "$bin" 20 | sed 's/^/  /'
  echo "seeded, --db:"
  "$build/bench_startup" "$bin" 10 --db "$workdir/seeded.db" | sed 's/^/  /' 
else
  echo "(bench_startup not built)"
fi
echo

rss_per_100k memory
rss_per_100k db --db "$workdir/rss.db"
echo "== memory (RSS)"
for s in "${stores[@]}"; do
  printf '%-20s idle %6s MiB   after the load %6s MiB\n' "${store_name[$s]}:" \
    "$(( ${results[$s,rss_idle]} / 1024 ))" "$(( ${results[$s,rss_load]} / 1024 ))"
done
echo "per 100,000 saved methods (and their customers): in memory ${results[memory,rss_100k]} MiB, \
with --db ${results[db,rss_100k]} MiB"

if [ -x "$build/bench_webhooks" ] && [ -n "${BENCH_WEBHOOKS:-}" ]; then
  echo
  "$root/bench/webhooks.sh" "$build" "$duration"
fi
