#!/usr/bin/env python3
"""Sends every request body the real API's documentation shows to a sandbox, verbatim.

Each file under tests/contract/examples/ holds one request:

  {"source": "<documentation page>, POST /api/customers/{customerUid}/payment-methods",
   "composed": true, "composed_from": "...",      (only when the docs show no body)
   "method": "POST", "path": "/api/customers/{customerUid}/payment-methods",
   "credential": "platform" | "session" | "basic" | "none",
   "account_header": true,
   "body": <the documented body exactly, placeholders included>,
   "status": 201,
   "response_fields": ["saved_payment_method_uid", "payment_method.credit.fingerprint"],
   "response_values": {"status": "validated"}}

A body the documentation shows is copied exactly. Where the documentation
names a route's fields but shows no body, the file says "composed": true and,
in "composed_from", what the body was put together from.

Optional keys: "session" (extra fields for the hosted session the example
runs against, e.g. a fraud signal that makes it require a challenge;
"scope": "wallet" makes it the wallet component page's session),
"content_type" (a form-encoded body is given as a string), "payment"
("captured": the payment the path names is captured first), "validate" (the
body that validates the payment the path names, when it is not the default
card payment), "item_errors" (a bulk body: an unknown field inside
items[i] refuses that item in the 200 answer's results[i].error, its param
relative to the item, instead of the whole request).

Placeholders in the path and body ({customerUid}, "{proxynized_token}",
"spm_…", "{yourUserId}", "{processing_fee_amount}", ...) are filled from
objects the runner creates first, in a fresh payment account per example, so
examples never see each other. Everything else is sent exactly as documented.

  replay.py --binary PATH     starts `PATH serve --port 0`, stops it by PID
  replay.py --base-url URL    talks to a server that is already running
  --unknown-fields            also sends each accepted JSON body once per
                              object in it with one unknown field added there,
                              and expects a 400 whose param names that field
                              (not through a validating proxy: it refuses
                              such a request itself)

Prints one line per example; exits non-zero when any example fails.
Python standard library only.
"""

import argparse
import base64
import glob
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT_ID = "sandbox-client"
CLIENT_SECRET = "sandbox-secret"


class Failure(Exception):
    pass


def http(base, method, path, body=None, headers=None, raw=None):
    """One request; returns (status, parsed JSON or None, text)."""
    headers = dict(headers or {})
    data = None
    if raw is not None:
        data = raw.encode("utf-8")
    elif body is not None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers.setdefault("Content-Type", "application/json")
    url = base + urllib.parse.quote(path, safe="/?&=$'%:,")
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, text = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode("utf-8", "replace")
    try:
        parsed = json.loads(text) if text else None
    except ValueError:
        parsed = None
    return status, parsed, text


def expect(reply, status, what):
    if reply[0] != status:
        raise Failure("%s answered %d, expected %d: %s" % (what, reply[0], status, reply[2][:300]))
    return reply[1]


def luhn_ok(number):
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def card_number(bin_, last4):
    """A 16-digit Luhn-valid number starting with bin_ and ending with last4."""
    middle_len = 16 - len(bin_) - len(last4)
    for seed in range(10 ** min(middle_len, 4)):
        middle = str(seed).zfill(middle_len)
        number = bin_ + middle + last4
        if luhn_ok(number):
            return number
    raise Failure("no Luhn-valid card for bin %s last4 %s" % (bin_, last4))


def find_details(body, keys):
    """The documented card (or bank) details in a body, wherever the example
    puts them: under payment_method, or under an import's first item's."""
    if not isinstance(body, dict):
        return None
    if isinstance(body.get("items"), list) and body["items"]:
        return find_details(body["items"][0], keys)
    method = body.get("payment_method")
    if isinstance(method, dict):
        for key in keys:
            if isinstance(method.get(key), dict):
                return method[key]
    return None


def find_card(body):
    return find_details(body, ("credit", "card"))


def find_bank(body):
    return find_details(body, ("ach",))


class Context:
    """The objects one example's placeholders stand for, made on first use."""

    def __init__(self, base, example):
        self.base = base
        self.example = example
        self.cache = {}
        self.token = self.platform_token()
        account = expect(http(base, "POST", "/_sandbox/accounts", {"name": "contract"}), 201,
                         "POST /_sandbox/accounts")
        self.account = account["uid"]

    def platform_token(self):
        basic = base64.b64encode(("%s:%s" % (CLIENT_ID, CLIENT_SECRET)).encode()).decode()
        reply = http(self.base, "POST", "/oauth2/token",
                     headers={"Authorization": "Basic " + basic,
                              "Content-Type": "application/x-www-form-urlencoded"},
                     raw="grant_type=client_credentials")
        return expect(reply, 200, "POST /oauth2/token")["access_token"]

    def server(self, extra=None):
        headers = {"Authorization": "Bearer " + self.token, "X-Payment-Account-Uid": self.account}
        headers.update(extra or {})
        return headers

    def once(self, key, make):
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]

    # The objects.
    def reference_id(self):
        return self.once("reference_id", lambda: "contract-user-" + os.urandom(4).hex())

    def customer(self):
        def make():
            body = {"reference_id": self.reference_id(), "name": "Alex Morales"}
            return expect(http(self.base, "POST", "/api/customers", body, self.server()), 201,
                          "POST /api/customers")
        return self.once("customer", make)

    def minted(self):
        def make():
            bank = find_bank(self.example.get("body"))
            if bank is not None:
                # A bank token whose details are the example's own.
                body = {"ach": {"routing_number": bank["routing_number"],
                                "account_number": "00012345" + bank["account_number_suffix"],
                                "account_type": bank["account_type"]}}
                return expect(http(self.base, "POST", "/_sandbox/tokens", body, self.server()),
                              201, "POST /_sandbox/tokens (ach)")
            card = find_card(self.example.get("body")) or {}
            number = card_number(str(card.get("bin", "411111")), str(card.get("last4", "1111")))
            body = {"card": {"number": number, "exp_month": card.get("exp_month", 12),
                             "exp_year": card.get("exp_year", 2030)}}
            return expect(http(self.base, "POST", "/_sandbox/tokens", body, self.server()), 201,
                          "POST /_sandbox/tokens")
        return self.once("minted", make)

    def saved_method(self):
        def make():
            minted = self.minted()
            card = minted["card"]
            body = {"payment_method": {"payment_method_type": "credit", "credit": {
                "fingerprint": minted["fingerprint"], "last4": card["last4"],
                "exp_month": card["exp_month"], "exp_year": card["exp_year"],
                "bin": card["bin"], "card_brand": card["card_brand"]}}}
            path = "/api/customers/%s/payment-methods" % self.customer()["uid"]
            return expect(http(self.base, "POST", path, body, self.server()), 201,
                          "saving a card")["saved_payment_method_uid"]
        return self.once("saved_method", make)

    def client_uid(self):
        def make():
            body = {"customer_id": "contract-" + os.urandom(4).hex(), "name": "Contract Client"}
            return expect(http(self.base, "POST", "/api/clients", body, self.server()), 201,
                          "POST /api/clients")["uid"]
        return self.once("client", make)

    def session(self):
        def make():
            body = {"amount": 14227, "currency": "USD",
                    "success_url": "https://example.com/done",
                    "cancel_url": "https://example.com/cancel",
                    "customer_id": self.reference_id(), "setup_future_usage": "on_session"}
            if self.example.get("session", {}).get("scope") == "wallet":
                # The wallet component page's session: no amount, no redirects.
                body = {"scope": "wallet", "customer_id": self.reference_id(), "amount": 0,
                        "currency": "USD"}
            self.customer()
            body.update(self.example.get("session", {}))
            return expect(http(self.base, "POST", "/v1/hosted-sessions", body, self.server()),
                          201, "POST /v1/hosted-sessions")
        return self.once("session", make)

    def payment(self):
        def make():
            if "validate" in self.example:
                body = self.fill(self.example["validate"])
            else:
                minted = self.minted()
                card = minted["card"]
                body = {"base_amount": 12345, "tax_amount": 0, "currency": "USD",
                        "reference_id": "contract",
                        "payment_method": {"payment_method_type": "credit", "credit": {
                            "fingerprint": minted["fingerprint"], "last4": card["last4"],
                            "exp_month": card["exp_month"], "exp_year": card["exp_year"]}}}
            reply = expect(http(self.base, "POST", "/api/payments", body, self.server()), 201,
                           "POST /api/payments")
            capture = dict(body, processing_fee_amount=reply["processing_fee_amount"])
            if self.example.get("payment") == "captured":
                expect(http(self.base, "POST", "/api/payments/%s/capture" % reply["uid"],
                            capture, self.server()), 200, "capture")
            self.cache["fee"] = reply["processing_fee_amount"]
            return reply["uid"]
        return self.once("payment", make)

    # Placeholder text -> value.
    def fill_text(self, text):
        table = [
            ("{customerUid}", lambda: self.customer()["uid"]),
            ("{uid}", self.uid_for_path),
            ("{accountUid}", lambda: self.account),
            ("{paymentAccountUid}", lambda: self.account),
            ("{sessionId}", lambda: self.session()["session_id"]),
            ("{paymentUid}", self.payment),
            ("{savedPaymentMethodUid}", self.saved_method),
            ("{yourUserId}", self.reference_id),
            ("{proxynized_token}", lambda: self.minted()["fingerprint"]),
            ("{clientUid}", self.client_uid),
        ]
        # A whole value that stands for a number the runner learnt.
        if text == "{processing_fee_amount}":
            self.payment()
            return self.cache["fee"]
        for placeholder, value in table:
            if placeholder in text:
                text = text.replace(placeholder, str(value()))
        # Documented example ids: "spm_…", "SPM_…", "cus_…", "cus_88420".
        if re.fullmatch(r"(spm|SPM)_…", text):
            prefix = text[:4]
            return prefix + self.saved_method()[4:]
        if text in ("cus_…", "cus_88420"):
            return self.customer()["reference_id"]
        return text

    def uid_for_path(self):
        path = self.example["path"]
        if path.startswith("/api/customers"):
            return self.customer()["uid"]
        if path.startswith("/api/payments"):
            return self.payment()
        if path.startswith("/api/paymentaccounts"):
            return self.account
        if path.startswith("/api/clients"):
            return self.client_uid()
        raise Failure("no object for {uid} in " + path)

    def fill(self, value):
        if isinstance(value, str):
            return self.fill_text(value)
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        return value


def field(value, dotted):
    """Follows a dotted path with [n] indexes; raises KeyError when absent."""
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", dotted):
        if part.startswith("["):
            value = value[int(part[1:-1])]
        else:
            if not isinstance(value, dict) or part not in value:
                raise KeyError(dotted)
            value = value[part]
    return value


def request_for(base, example, body_override=None):
    """(context, method, path, body, headers, raw) for one example, its
    placeholders filled; `body_override(filled_body)` may change the body."""
    ctx = Context(base, example)
    path = ctx.fill_text(example["path"])
    headers = {}
    credential = example.get("credential", "platform")
    if credential == "platform":
        headers["Authorization"] = "Bearer " + ctx.token
    elif credential == "session":
        headers["Authorization"] = "Bearer " + ctx.session()["client_secret"]
    elif credential == "basic":
        basic = base64.b64encode(("%s:%s" % (CLIENT_ID, CLIENT_SECRET)).encode()).decode()
        headers["Authorization"] = "Basic " + basic
    if example.get("account_header"):
        headers["X-Payment-Account-Uid"] = ctx.account
    body = example.get("body")
    raw = None
    if isinstance(body, str):
        raw = body
        headers["Content-Type"] = example.get("content_type",
                                              "application/x-www-form-urlencoded")
        body = None
    elif body is not None:
        body = ctx.fill(body)
        if body_override is not None:
            body = body_override(body)
    return ctx, path, body, headers, raw


def run_example(base, name, example):
    if example.get("composed") and not example.get("composed_from"):
        raise Failure("a composed example must say what it was composed from (composed_from)")
    _, path, body, headers, raw = request_for(base, example)
    status, parsed, text = http(base, example["method"], path, body, headers, raw)
    if status != example["status"]:
        raise Failure("answered %d, expected %d: %s" % (status, example["status"], text[:400]))
    missing = []
    for dotted in example.get("response_fields", []):
        try:
            field(parsed, dotted)
        except (KeyError, IndexError, TypeError):
            missing.append(dotted)
    if missing:
        raise Failure("response lacks %s: %s" % (", ".join(missing), text[:400]))
    for dotted, expected in example.get("response_values", {}).items():
        try:
            got = field(parsed, dotted)
        except (KeyError, IndexError, TypeError):
            raise Failure("response lacks %s: %s" % (dotted, text[:400]))
        if got != expected:
            raise Failure("response has %s = %s, expected %s" % (
                dotted, json.dumps(got), json.dumps(expected)))


# Objects whose keys are the caller's own (free-form string maps), where any
# key is allowed.
FREE_FORM = ("metadata",)
UNKNOWN = "x_not_documented"


def object_paths(value, path=""):
    """The dotted path of every object in a body ("" for the body itself)."""
    if isinstance(value, dict):
        yield path
        for key, item in value.items():
            if key in FREE_FORM:
                continue
            yield from object_paths(item, path + "." + key if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from object_paths(item, "%s[%d]" % (path, i))


def with_unknown(body, path):
    """A copy of `body` with UNKNOWN added to the object at `path`."""
    body = json.loads(json.dumps(body))
    node = body
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        node = node[int(part[1:-1])] if part.startswith("[") else node[part]
    node[UNKNOWN] = "anything"
    return body


def run_unknown_fields(base, example):
    """One request per object in the body, each with one unknown field added
    there: every one must be a 400 whose param is that field's path. Returns
    how many were sent."""
    body = example.get("body")
    if not isinstance(body, dict) or not 200 <= example["status"] < 300:
        return 0
    sent = 0
    for where in list(object_paths(body)):
        expected = where + "." + UNKNOWN if where else UNKNOWN
        _, path, sent_body, headers, raw = request_for(
            base, example, lambda filled, where=where: with_unknown(filled, where))
        status, parsed, text = http(base, example["method"], path, sent_body, headers, raw)
        sent += 1
        item = re.match(r"items\[(\d+)\]\.", expected) if example.get("item_errors") else None
        if item:
            # A bulk route answers for each item: the item is refused with
            # the field named relative to it, and nothing of it is imported.
            relative = expected[item.end():]
            try:
                error = parsed["results"][int(item.group(1))]["error"]
                refused = (status == 200 and parsed["imported"] == 0
                           and error["code"] == "validation_error"
                           and error["param"] == relative and relative in error["message"])
            except (KeyError, IndexError, TypeError):
                refused = False
            if not refused:
                raise Failure("with an unknown field at %s: answered %d, expected the item "
                              "refused naming %s: %s" % (expected, status, relative, text[:300]))
            continue
        param = parsed.get("param") if isinstance(parsed, dict) else None
        message = parsed.get("message", "") if isinstance(parsed, dict) else ""
        if status != 400 or param != expected or expected not in message:
            raise Failure("with an unknown field at %s: answered %d, expected 400 naming %s: %s"
                          % (expected, status, expected, text[:300]))
    return sent


def start_binary(binary):
    process = subprocess.Popen([binary, "serve", "--port", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    for line in process.stdout:
        match = re.search(r"listening on (http://\S+)", line)
        if match:
            return process, match.group(1)
    process.kill()
    process.wait()
    raise SystemExit("the sandbox exited before it printed 'listening on'")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--binary", help="payment-sandbox binary to start on port 0")
    where.add_argument("--base-url", help="a running sandbox (or a proxy in front of one)")
    parser.add_argument("--examples", default=os.path.join(HERE, "examples"))
    parser.add_argument("--only", help="run only examples whose file name contains this")
    parser.add_argument("--unknown-fields", action="store_true",
                        help="also send each accepted body with one unknown field added, "
                             "once per object in it, and expect a 400 naming it")
    args = parser.parse_args()

    process = None
    base = args.base_url
    if args.binary:
        process, base = start_binary(args.binary)
    base = base.rstrip("/")
    failures = 0
    try:
        files = sorted(glob.glob(os.path.join(args.examples, "*.json")))
        if args.only:
            files = [f for f in files if args.only in os.path.basename(f)]
        if not files:
            print("no examples under " + args.examples)
            return 1
        for path in files:
            name = os.path.basename(path)
            try:
                with open(path, encoding="utf-8") as handle:
                    example = json.load(handle)
                run_example(base, name, example)
                extra = ""
                if args.unknown_fields:
                    probes = run_unknown_fields(base, example)
                    extra = "  (+%d unknown-field 400s)" % probes if probes else ""
                print("ok    %-45s %s %s%s" % (name, example["method"], example["path"], extra))
            except (Failure, KeyError, ValueError, OSError) as error:
                failures += 1
                print("FAIL  %-45s %s" % (name, error))
        print("%d examples, %d failed" % (len(files), failures))
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
