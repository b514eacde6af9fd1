#!/usr/bin/env bash
# Makes unversioned.db: a --db file written by the release before schema
# versions (user_version 0), with one of each object in pa_sandbox. It was
# made once, with the binary built from that release, and is committed; the
# test in tests/http/durability_test.cc opens a copy and carries on with it.
#   usage: tests/data/make-unversioned-db.sh path/to/payment-sandbox
set -euo pipefail
BIN=${1:?the payment-sandbox binary of the old release}
OUT=$(cd "$(dirname "$0")" && pwd)/unversioned.db
rm -f "$OUT" "$OUT-wal" "$OUT-shm"
LOG=$(mktemp)
"$BIN" serve --port 0 --db "$OUT" --log-format none >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 100); do grep -q listening "$LOG" && break; sleep 0.05; done
B=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$LOG" | head -1)
field() { python3 -c "import sys, json; print(json.load(sys.stdin)$1)"; }
TOKEN=$(curl -sf -u sandbox-client:sandbox-secret -d grant_type=client_credentials "$B/oauth2/token" | field '["access_token"]')
H=(-H "Authorization: Bearer $TOKEN" -H "X-Payment-Account-Uid: pa_sandbox" -H "Content-Type: application/json")
CUS=$(curl -sf "${H[@]}" -H "Idempotency-Key: old-create" -d '{"reference_id":"old-customer","name":"Old Customer","email":"old@example.com"}' "$B/api/customers" | field '["uid"]')
FP=$(curl -sf -H "X-Payment-Account-Uid: pa_sandbox" -d '{"card":{"number":"4111111111111111","exp_month":12,"exp_year":2030,"cvv":"123"}}' "$B/_sandbox/tokens" | field '["fingerprint"]')
SPM=$(curl -sf "${H[@]}" -H "Idempotency-Key: old-save" -d '{"payment_method":{"payment_method_type":"credit","credit":{"fingerprint":"'$FP'","last4":"1111","exp_month":12,"exp_year":2030,"bin":"411111","card_brand":"VISA"}}}' "$B/api/customers/$CUS/payment-methods" | field '["saved_payment_method_uid"]')
PAY_BODY='{"base_amount":10000,"tax_amount":825,"currency":"USD","reference_id":"old-order","payment_method":{"payment_method_type":"wallet_credit","wallet":{"saved_payment_method_uid":"'$SPM'"}}}'
curl -sf "${H[@]}" -H "Idempotency-Key: old-validate" -d "$PAY_BODY" "$B/api/payments" >"$LOG.pay"
PAY=$(field '["uid"]' <"$LOG.pay")
FEE=$(field '["processing_fee_amount"]' <"$LOG.pay")
rm -f "$LOG.pay"
curl -sf "${H[@]}" -H "Idempotency-Key: old-capture" -d "${PAY_BODY%\}},\"processing_fee_amount\":$FEE}" "$B/api/payments/$PAY/capture" >/dev/null
kill -TERM $PID
wait $PID || true
trap - EXIT
rm -f "$LOG"
echo "customer $CUS, method $SPM, payment $PAY -> $OUT"
