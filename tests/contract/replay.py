#!/usr/bin/env python3
"""Sends every request body the vendor's documentation shows to a sandbox, verbatim.

Each file under tests/contract/examples/ holds one request the real API's
documentation shows:

  {"source": "docs/api/customers-and-wallet.md, POST /api/customers/{customerUid}/payment-methods",
   "method": "POST", "path": "/api/customers/{customerUid}/payment-methods",
   "credential": "platform" | "session" | "basic" | "none",
   "account_header": true,
   "body": <the documented body exactly, placeholders included>,
   "status": 201,
   "response_fields": ["saved_payment_method_uid", "payment_method.credit.fingerprint"]}

Optional keys: "session" (extra fields for the hosted session the example
runs against, e.g. a fraud signal that makes it require a challenge),
"content_type" (a form-encoded body is given as a string).

Placeholders in the path and body ({customerUid}, "{proxynized_token}",
"spm_…", "{yourUserId}", ...) are filled from objects the runner creates
first, in a fresh payment account per example, so examples never see each
other. Everything else is sent exactly as documented.

  replay.py --binary PATH     starts `PATH serve --port 0`, stops it by PID
  replay.py --base-url URL    talks to a server that is already running

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


def find_card(body):
    """The documented card details in a body, wherever the example puts them."""
    if not isinstance(body, dict):
        return None
    method = body.get("payment_method")
    if isinstance(method, dict):
        for key in ("credit", "card"):
            if isinstance(method.get(key), dict):
                return method[key]
    return None


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
            self.customer()
            body.update(self.example.get("session", {}))
            return expect(http(self.base, "POST", "/v1/hosted-sessions", body, self.server()),
                          201, "POST /v1/hosted-sessions")
        return self.once("session", make)

    def payment(self):
        def make():
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


def run_example(base, name, example):
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
                print("ok    %-45s %s %s" % (name, example["method"], example["path"]))
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
