#!/usr/bin/env python3
"""Random kill -9 soak (issue 16; not a CI test).

Each cycle: start payment-sandbox on one --db file, make a fresh account, run
16 writer threads (create customer, mint and save a card, validate, capture;
every POST with an Idempotency-Key), SIGKILL the server at a random moment
0.2-1.0 s in, restart it on the same file, and check:
  lost      acknowledged writes (a 2xx answer) that are gone or changed
  dup       duplicated effects (two customers, methods or payments for one key)
  no_event  completed payments without their payment.completed event
  bad_retry keyed requests in flight at the kill that, retried with the same
            key and body, neither replay nor succeed
  replay    acknowledged keyed requests whose replay is not byte-identical
  usage: bench/crash-soak.py [CYCLES] [BUILD_DIR]      (default 100, build)
"""
import base64, http.client, json, os, random, signal, subprocess, sys, tempfile, threading, time
import urllib.parse

cycles = int(sys.argv[1]) if len(sys.argv) > 1 else 100
build = sys.argv[2] if len(sys.argv) > 2 else "build"
binary = os.path.join(build, "payment-sandbox")
work = tempfile.mkdtemp(prefix="crash-soak-")
db = os.path.join(work, "soak.db")
AUTH = "Basic " + base64.b64encode(b"sandbox-client:sandbox-secret").decode()


def start():
    started = time.time()
    proc = subprocess.Popen([binary, "serve", "--port", "0", "--db", db, "--log-format", "none",
                             "--threads", "32"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = proc.stdout.readline().decode()
    if not line.startswith("listening on http://"):
        sys.exit(f"server did not start: {line!r}")
    port = int(line.split()[2].rsplit(":", 1)[1])
    return proc, port, time.time() - started


def call(port, method, path, body=None, headers=None, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    conn.request(method, path, body=None if body is None else body, headers=h)
    resp = conn.getresponse()
    raw = resp.read()
    conn.close()
    return resp.status, raw, resp.getheader("Idempotent-Replayed")


class Ledger:
    """What the writers were told (acknowledged) and what was in flight."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acknowledged = []  # (kind, key, path, body, status, raw)
        self.in_flight = []     # (kind, key, path, body)


def writer(n, cycle, port, headers, control, ledger, stop):
    i = 0
    while not stop.is_set():
        i += 1
        ref = f"c{cycle}-w{n}-{i}"

        def keyed(kind, path, body):
            key = f"{ref}-{kind}"
            text = json.dumps(body)
            try:
                status, raw, _ = call(port, "POST", path, text, dict(headers, **{"Idempotency-Key": key}))
            except Exception:
                with ledger.lock:
                    ledger.in_flight.append((kind, key, path, text))
                raise
            with ledger.lock:
                ledger.acknowledged.append((kind, key, path, text, status, raw))
            if status not in (200, 201):
                raise RuntimeError(f"{kind} {status} {raw[:200]!r}")
            return json.loads(raw)

        try:
            customer = keyed("create", "/api/customers", {"reference_id": ref})
            status, raw, _ = call(port, "POST", "/_sandbox/tokens", json.dumps(
                {"card": {"number": "4111111111111111", "exp_month": 12, "exp_year": 2030}}), control)
            minted = json.loads(raw)
            card = minted["card"]
            method = {"payment_method_type": "credit", "credit": {
                "fingerprint": minted["fingerprint"], "last4": card["last4"], "exp_month": card["exp_month"],
                "exp_year": card["exp_year"], "bin": card["bin"], "card_brand": card["card_brand"]}}
            saved = keyed("save", f"/api/customers/{customer['uid']}/payment-methods", {"payment_method": method})
            pay = {"base_amount": 1000 + i, "tax_amount": 80, "currency": "USD", "reference_id": "order-" + ref,
                   "payment_method": {"payment_method_type": "wallet_credit",
                                      "wallet": {"saved_payment_method_uid": saved["saved_payment_method_uid"]}}}
            validated = keyed("validate", "/api/payments", pay)
            keyed("capture", f"/api/payments/{validated['uid']}/capture",
                  dict(pay, processing_fee_amount=validated["processing_fee_amount"]))
        except Exception:
            return  # the server is gone (or answered wrong: counted by the checks)


def every(port, headers, path):
    """All items of a list endpoint, paging with $top/$skip."""
    items, skip = [], 0
    while True:
        sep = "&" if "?" in path else "?"
        status, raw, _ = call(port, "GET", f"{path}{sep}$top=1000&$skip={skip}", None, headers)
        page = json.loads(raw)
        items += page
        if len(page) < 1000:
            return items
        skip += 1000


def events_of(port, control, event_type):
    out, after = [], ""
    while True:
        q = f"/_sandbox/events?type={event_type}&limit=1000" + (f"&after={after}" if after else "")
        status, raw, _ = call(port, "GET", q, None, control)
        page = json.loads(raw)
        out += page
        if len(page) < 1000:
            return out
        after = page[-1]["webhook_id"]


totals = {"acknowledged": 0, "in_flight": 0, "lost": 0, "dup": 0, "no_event": 0, "bad_retry": 0,
          "replay": 0, "replayed_ok": 0, "retried_fresh": 0, "retried_replayed": 0}
restart_ms = []
problems = []
proc, port, _ = start()
status, raw, _ = call(port, "POST", "/oauth2/token", "grant_type=client_credentials",
                      {"Authorization": AUTH, "Content-Type": "application/x-www-form-urlencoded"})
token = json.loads(raw)["access_token"]
for cycle in range(1, cycles + 1):
    status, raw, _ = call(port, "POST", "/_sandbox/accounts", "{}")
    account = json.loads(raw)["uid"]
    headers = {"Authorization": "Bearer " + token, "X-Payment-Account-Uid": account}
    control = {"X-Payment-Account-Uid": account}
    ledger, stop = Ledger(), threading.Event()
    threads = [threading.Thread(target=writer, args=(n, cycle, port, headers, control, ledger, stop))
               for n in range(16)]
    for t in threads:
        t.start()
    time.sleep(random.uniform(0.2, 1.0))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stop.set()
    for t in threads:
        t.join()
    proc, port, took = start()
    restart_ms.append(took * 1000)

    c = {k: 0 for k in totals}
    c["acknowledged"], c["in_flight"] = len(ledger.acknowledged), len(ledger.in_flight)
    # Retry what was in flight, with its key and body.
    for kind, key, path, body in ledger.in_flight:
        status, raw, replayed = call(port, "POST", path, body, dict(headers, **{"Idempotency-Key": key}))
        if status in (200, 201):
            c["retried_replayed" if replayed == "true" else "retried_fresh"] += 1
            ledger.acknowledged.append((kind, key, path, body, status, raw))
        else:
            c["bad_retry"] += 1
            problems.append(f"cycle {cycle}: retry {kind} {key} -> {status} {raw[:160]!r}")
    # Every acknowledged keyed answer replays byte for byte.
    for kind, key, path, body, status, raw in ledger.acknowledged:
        s2, raw2, replayed = call(port, "POST", path, body, dict(headers, **{"Idempotency-Key": key}))
        if s2 == status and raw2 == raw and replayed == "true":
            c["replayed_ok"] += 1
        else:
            c["replay"] += 1
            problems.append(f"cycle {cycle}: replay {kind} {key}: {status}->{s2} replayed={replayed}")
    # Acknowledged objects are there, once each, as answered.
    customers = every(port, headers, "/api/customers")
    payments = every(port, headers, "/api/payments")
    by_ref = {}
    for p in payments:
        by_ref.setdefault(p["reference_id"], []).append(p)
    refs = {}
    for cu in customers:
        refs[cu["reference_id"]] = refs.get(cu["reference_id"], 0) + 1
    c["dup"] += sum(n - 1 for n in refs.values() if n > 1)
    c["dup"] += sum(len(v) - 1 for v in by_ref.values() if len(v) > 1)
    status_of = {p["uid"]: p["status"] for p in payments}
    for kind, key, path, body, status, raw in ledger.acknowledged:
        if status not in (200, 201):
            continue
        obj = json.loads(raw)
        if kind == "create":
            s, _, _ = call(port, "GET", f"/api/customers/{obj['uid']}", None, headers)
            c["lost"] += s != 200
        elif kind == "save":
            s, r, _ = call(port, "GET", f"/api/customers/{obj['customer_uid']}/payment-methods", None, headers)
            methods = json.loads(r) if s == 200 else []
            c["lost"] += not any(m["saved_payment_method_uid"] == obj["saved_payment_method_uid"] for m in methods)
            c["dup"] += max(0, len(methods) - 1)
        elif kind == "validate":
            c["lost"] += obj["uid"] not in status_of
        elif kind == "capture":
            c["lost"] += status_of.get(obj["uid"]) != "completed"
    completed = {uid for uid, st in status_of.items() if st == "completed"}
    evented = {}
    for e in events_of(port, control, "payment.completed"):
        uid = e["data"].get("uid")
        evented[uid] = evented.get(uid, 0) + 1
    c["no_event"] += len(completed - set(evented))
    c["dup"] += sum(n - 1 for n in evented.values() if n > 1)
    for k in totals:
        totals[k] += c[k]
    print(f"cycle {cycle:3d}: acked {c['acknowledged']:4d} in-flight {c['in_flight']} "
          f"(fresh {c['retried_fresh']}, replayed {c['retried_replayed']}) lost {c['lost']} dup {c['dup']} "
          f"no_event {c['no_event']} bad_retry {c['bad_retry']} bad_replay {c['replay']}", flush=True)
proc.send_signal(signal.SIGTERM)
proc.wait()
restart_ms.sort()
print(f"\n{cycles} cycles: {totals['acknowledged']} acknowledged keyed writes, {totals['in_flight']} in flight at "
      f"the kill ({totals['retried_fresh']} ran fresh on retry, {totals['retried_replayed']} replayed); "
      f"{totals['replayed_ok']} byte-identical replays")
print(f"lost {totals['lost']}, duplicated {totals['dup']}, completed without event {totals['no_event']}, "
      f"retries neither replay nor success {totals['bad_retry']}, bad replays {totals['replay']}; "
      f"restart to listening median {restart_ms[len(restart_ms) // 2]:.0f} ms")
for p in problems[:20]:
    print("  ", p)
bad = totals["lost"] + totals["dup"] + totals["no_event"] + totals["bad_retry"] + totals["replay"]
sys.exit(1 if bad else 0)
