#!/usr/bin/env python3
"""The generated contract corpus: every route and every documented error status.

Sends its requests through a validating proxy (scripts/contract-run puts
`prism proxy --errors` in front of the sandbox) and fails when
  - the proxy reports a violation: an answer of type application/problem+json
    (prism refused the request, or the response broke the document), or an
    `sl-violations` header (for example a status the document does not list);
  - a request answers another status than the one it was written to provoke;
  - some (method, path, status) that openapi/payment-sandbox.json documents was
    never answered, unless UNREACHABLE below says why a validating proxy cannot
    let such a request through.

Most errors are provoked the way a merchant's code would meet them (a wrong
token, an unknown id, a duplicate, an expired session). 429, 502 and 503 only
ever come from the sandbox's fault injection, so for those (and for a few
statuses that no schema-valid request can reach) the corpus loads a one-shot
scenario rule into its account first, as a merchant's test would.

python3 standard library only.
    tests/contract/corpus.py --base-url URL [--guarded-base-url URL --control-token T]
                             [--openapi openapi/payment-sandbox.json]
"""

import argparse
import base64
import http.client
import json
import os
import re
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DOC = os.path.join(HERE, "..", "..", "openapi", "payment-sandbox.json")

# Documented answers that a request valid against the document can never get,
# because the validating proxy refuses the request before the sandbox sees it
# (and the control API has no fault injection to stand in).
UNREACHABLE = {
    ("GET", "/_sandbox/clock", 400): "only a malformed account header; the header is a plain string",
    ("POST", "/_sandbox/clock/advance", 413): "the body has no string to grow past 1 MiB",
    ("PUT", "/_sandbox/accounts/{accountUid}/fee-rules", 413): "the body has no string to grow past 1 MiB",
    ("GET", "/_sandbox/webhooks/deliveries", 400): "only without the required account header",
    ("POST", "/_sandbox/events/{eventId}/redeliver", 400): "only without the required account header",
    ("GET", "/_sandbox/scenarios", 400): "only without the required account header",
    ("DELETE", "/_sandbox/scenarios", 400): "only without the required account header",
    ("GET", "/_sandbox/scenarios/{scenarioId}", 400): "only without the required account header",
    ("DELETE", "/_sandbox/scenarios/{scenarioId}", 400): "only without the required account header",
    ("GET", "/_sandbox/hosted-sessions/{sessionId}/challenge", 400): "only without the required account header",
    ("GET", "/_sandbox/sessions", 400): "only without the required account header",
    ("POST", "/_sandbox/accounts/{accountUid}/fork", 400): "only with a body field; the schema allows none",
    ("POST", "/_sandbox/accounts/{accountUid}/reset", 400): "only with a body field; the schema allows none",
    ("POST", "/_sandbox/reset", 400): "only with a body field; the schema allows none",
    ("POST", "/_sandbox/snapshots/{snapshotName}/restore", 400): "only with a body field; the schema allows none",
}
# Fault injection (scenarios) acts per account, and these platform routes take
# no account header; the sandbox has no rate limiter of its own.
for _method, _path in (("POST", "/api/clients"), ("GET", "/api/clients"), ("GET", "/api/clients/{clientUid}"),
                       ("POST", "/api/paymentaccounts"), ("GET", "/api/paymentaccounts"),
                       ("GET", "/api/paymentaccounts/{accountUid}"),
                       ("PUT", "/api/paymentaccounts/{accountUid}/checkout-config")):
    UNREACHABLE[(_method, _path, 429)] = "429 comes only from per-account fault injection; no account header here"
UNREACHABLE[("GET", "/api/paymentaccounts/{accountUid}/client-config", 429)] = \
    "429 comes only from per-account fault injection, which this anonymous route does not pass through"
UNREACHABLE[("GET", "/api/webhooks/types", 429)] = \
    "429 comes only from per-account fault injection, which this account-free route does not pass through"


ERROR_CODES = {400: "validation_error", 401: "unauthorized", 402: "card_declined", 403: "forbidden",
               404: "not_found", 409: "conflict", 410: "session_expired", 413: "payload_too_large",
               429: "rate_limited", 502: "processing_error", 503: "network_error"}

BIG = "x" * (1100 * 1024)  # past the 1 MiB body limit


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower(), "")

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError:
            return None


class Corpus:
    def __init__(self, base_url, doc):
        self.base = urllib.parse.urlsplit(base_url)
        self.doc = doc
        self.covered = {}  # (method, template, status) -> "natural" | "injected"
        self.failures = []
        self.sent = 0
        self.token = None
        self.account = None
        self.client_uid = None

    # -- transport -----------------------------------------------------------
    def send(self, base, method, target, body=None, headers=None):
        # A connection the proxy closes before answering is tried once more
        # (seen rarely under load); an answer of any kind is never retried.
        for attempt in (1, 2):
            conn = http.client.HTTPConnection(base.hostname, base.port, timeout=60)
            try:
                conn.request(method, target, body=body, headers=headers or {})
                resp = conn.getresponse()
                data = resp.read()
                return Answer(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
            except (http.client.RemoteDisconnected, ConnectionResetError):
                if attempt == 2:
                    raise
            finally:
                conn.close()

    def call(self, method, template, params=None, body=None, expect=200, auth="platform",
             account=True, headers=None, query=None, form=None, base=None, via="natural",
             label=""):
        """Sends one request and checks it; returns the parsed JSON body (or None)."""
        path = template
        for name, value in (params or {}).items():
            path = path.replace("{" + name + "}", urllib.parse.quote(str(value), safe=""))
        target = path + ("?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote)
                         if query else "")
        sent = {}
        if auth == "platform":
            sent["Authorization"] = "Bearer " + self.token
        elif auth == "bad":
            sent["Authorization"] = "Bearer at_not_a_real_token"
        elif auth:
            sent["Authorization"] = auth
        if account is True:
            sent["X-Payment-Account-Uid"] = self.account
        elif account:
            sent["X-Payment-Account-Uid"] = account
        payload = None
        if form is not None:
            payload = form.encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            payload = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        answer = self.send(base or self.base, method, target, payload, sent)
        self.sent += 1
        self.check(method, template, target, expect, answer, via, label)
        return answer.json()

    def check(self, method, template, target, expect, answer, via, label):
        what = "%s %s%s" % (method, target[:120], (" (" + label + ")") if label else "")
        problems = []
        if answer.header("content-type").startswith("application/problem+json"):
            problem = answer.json() or {}
            problems.append("the proxy answered %s %s: %s" % (
                answer.status, problem.get("title", ""),
                json.dumps(problem.get("validation", problem.get("detail", "")))[:2000]))
        if answer.header("sl-violations"):
            problems.append("violations: " + answer.header("sl-violations")[:2000])
        if answer.status != expect:
            problems.append("expected %d, got %d: %s" % (expect, answer.status,
                                                        answer.body[:400].decode("utf-8", "replace")))
        if problems:
            self.failures.append(what + "\n    " + "\n    ".join(problems))
            print("FAIL " + what)
            for p in problems:
                print("     " + p)
        else:
            key = (method, template, expect)
            if self.covered.get(key) != "natural":
                self.covered[key] = via

    # -- helpers ---------------------------------------------------------------
    def section(self, name, run):
        """Runs one group of requests; a broken answer stops the group, not the corpus."""
        try:
            return run()
        except Exception as e:
            self.failures.append("section %s stopped: %r" % (name, e))
            print("FAIL section %s stopped: %r" % (name, e))
            return None

    def control(self, method, path, body=None, account=True, expect=200, **kw):
        return self.call(method, path, body=body, auth=None, account=account, expect=expect, **kw)

    def inject(self, method, template, status, params=None, body=None, auth="platform",
               account=True, headers=None, query=None):
        """One request answered by a one-shot scenario rule with `status`."""
        glob = re.sub(r"\{[^}]+\}", "*", template)
        rule_account = self.account if account in (True, False) else account
        # Browser calls carry the account header too (an extra header is allowed):
        # fault injection acts on the account a request names.
        if account is False:
            account = True
        self.control("POST", "/_sandbox/scenarios", account=rule_account, expect=201, body={
            "name": "corpus-%d-%s" % (status, re.sub(r"[^a-z0-9]+", "-", template.lower())),
            "rules": [{"match": {"method": method, "path": glob}, "times": 1,
                       "action": {"type": "error", "status": status, "code": ERROR_CODES[status],
                                  "message": "Injected by the contract corpus."}}]})
        self.call(method, template, params=params, body=body, auth=auth, account=account,
                  headers=headers, query=query, expect=status, via="injected")
        self.control("DELETE", "/_sandbox/scenarios", account=rule_account, expect=204)

    def mint_card(self, number="4111111111111111", exp_year=2031):
        return self.control("POST", "/_sandbox/tokens", expect=201,
                            body={"card": {"number": number, "exp_month": 12, "exp_year": exp_year}})

    def credit_of(self, minted):
        card = minted["card"]
        return {"fingerprint": minted["fingerprint"], "last4": card["last4"],
                "exp_month": card["exp_month"], "exp_year": card["exp_year"], "bin": card["bin"],
                "card_brand": card["card_brand"], "holder_name": "Alex Morales"}

    # -- coverage ----------------------------------------------------------------
    def documented(self):
        out = set()
        for path, item in self.doc["paths"].items():
            for method, operation in item.items():
                if method not in ("get", "post", "put", "patch", "delete"):
                    continue
                for status in operation["responses"]:
                    if status.isdigit():
                        out.add((method.upper(), path, int(status)))
        return out


def basic(client_id, secret):
    return "Basic " + base64.b64encode(("%s:%s" % (client_id, secret)).encode()).decode()


def run_platform(c):
    """The mocked API, /oauth2/token, /api/... and /v1/..., against one fresh account."""
    # OAuth.
    token = c.call("POST", "/oauth2/token", form="grant_type=client_credentials&scope=com.govineer.payments/admin",
                   auth=basic("sandbox-client", "sandbox-secret"), account=False)
    c.token = token["access_token"]
    c.call("POST", "/oauth2/token", form="grant_type=password", auth=basic("sandbox-client", "sandbox-secret"),
           account=False, expect=400, label="unsupported grant")
    c.call("POST", "/oauth2/token", form="grant_type=client_credentials", auth=basic("sandbox-client", "wrong"),
           account=False, expect=401, label="wrong secret")

    # A fresh account for everything below (the control API makes it).
    created = c.control("POST", "/_sandbox/accounts", account=False, expect=201,
                        body={"name": "Contract corpus"})
    c.account = created["uid"]

    c.section("clients", lambda: run_clients(c))
    c.section("payment accounts", lambda: run_accounts(c))
    wallet = c.section("customers and wallet", lambda: run_wallet(c))
    if wallet:
        c.section("payments", lambda: run_payments(c, *wallet))
        c.section("hosted sessions", lambda: run_sessions(c, *wallet))
    c.section("webhooks", lambda: run_webhooks(c))


def run_clients(c):
    client = c.call("POST", "/api/clients", account=False, expect=201,
                    body={"customer_id": "city-of-corpus", "name": "City of Corpus",
                          "timezone": "Mountain Standard Time", "subdomain": "city-of-corpus"})
    c.call("POST", "/api/clients", account=False, expect=400, label="blank name", body={"name": " "})
    c.call("POST", "/api/clients", account=False, expect=401, auth="bad", body={"name": "x"})
    c.call("POST", "/api/clients", account=False, expect=413, body={"name": BIG})
    c.call("GET", "/api/clients", account=False, query={"$filter": "name eq 'City of Corpus'", "$top": "1"})
    c.call("GET", "/api/clients", account=False, query={"$filter": "colour eq 'red'"}, expect=400)
    c.call("GET", "/api/clients", account=False, auth="bad", expect=401)
    if client:
        c.call("GET", "/api/clients/{clientUid}", {"clientUid": client["uid"]}, account=False)
    c.call("GET", "/api/clients/{clientUid}", {"clientUid": "cli_nothing"}, account=False, expect=404)
    c.call("GET", "/api/clients/{clientUid}", {"clientUid": "cli_nothing"}, account=False, auth="bad", expect=401)

    c.client_uid = client["uid"] if client else None


def run_accounts(c):
    # The body the vendor's docs show, verbatim (client_id: the caller's client).
    documented_account = {
        "client_id": "sandbox-client", "name": "Parks and Recreation",
        "processor": "zift", "external_account_id": "corpus-ext-1", "external_merchant_id": "corpus-mer-1",
        "active": True, "enable_ach": True, "enable_credit_card": True, "minimum_payment_amount": 0.0,
        "maximum_payment_amount": 999999.99, "callback_url": "https://corpus.example/webhooks",
        "webhook_enabled": False}
    if c.client_uid:
        documented_account["client_id"] = c.client_uid
    c.call("POST", "/api/paymentaccounts", account=False, expect=201, body=documented_account)
    c.call("POST", "/api/paymentaccounts", account=False, expect=400, label="callback_url not http(s)",
           body={"name": "Bad", "callback_url": "ftp://corpus.example/hooks"})
    c.call("POST", "/api/paymentaccounts", account=False, auth="bad", expect=401, body={"name": "x"})
    c.call("POST", "/api/paymentaccounts", account=False, expect=413, body={"name": BIG})
    c.call("GET", "/api/paymentaccounts", account=False, query={"$filter": "external_account_id eq 'corpus-ext-1'"})
    c.call("GET", "/api/paymentaccounts", account=False, query={"$orderby": "colour"}, expect=400)
    c.call("GET", "/api/paymentaccounts", account=False, auth="bad", expect=401)
    A = "/api/paymentaccounts/{accountUid}"
    c.call("GET", A, {"accountUid": c.account}, account=False)
    c.call("GET", A, {"accountUid": "pa_nothing"}, account=False, expect=404)
    c.call("GET", A, {"accountUid": c.account}, account=False, auth="bad", expect=401)
    cc = A + "/checkout-config"
    config = {"allowed_origins": ["https://shop.corpus.example"], "merchant_display_name": "City of Corpus",
              "accent_color": "#1A7F5A", "logo_url": "https://shop.corpus.example/logo.png",
              "page_message": "<b>Thank you</b>"}
    c.call("PUT", cc, {"accountUid": c.account}, account=False, body=config)
    c.call("PUT", cc, {"accountUid": c.account}, account=False, expect=400, label="not an origin",
           body={"allowed_origins": ["shop.corpus.example/path"]})
    c.call("PUT", cc, {"accountUid": "pa_nothing"}, account=False, expect=404, body=config)
    c.call("PUT", cc, {"accountUid": c.account}, account=False, auth="bad", expect=401, body=config)
    c.call("PUT", cc, {"accountUid": c.account}, account=False, expect=413, body={"allowed_origins": [BIG]})
    ccfg = A + "/client-config"
    c.call("GET", ccfg, {"accountUid": c.account}, auth=None)
    c.call("GET", ccfg, {"accountUid": "pa_nothing"}, auth=None, account="pa_nothing", expect=404)


def run_wallet(c):
    customer = c.call("POST", "/api/customers", expect=201,
                      body={"reference_id": "user-corpus", "name": "Alex Morales", "email": "alex@example.com"})
    cus = customer["uid"]
    c.call("POST", "/api/customers", expect=409, body={"reference_id": "user-corpus"}, label="duplicate")
    c.inject("POST", "/api/customers", 400, body={"reference_id": "user-400"})
    c.call("POST", "/api/customers", auth="bad", expect=401, body={"reference_id": "user-401"})
    c.call("POST", "/api/customers", account="pa_nothing", expect=404, body={"reference_id": "user-404"})
    c.call("POST", "/api/customers", expect=413, body={"reference_id": "user-413", "name": BIG})
    c.inject("POST", "/api/customers", 429, body={"reference_id": "user-429"})
    c.call("GET", "/api/customers", query={"$filter": "reference_id eq 'user-corpus'"})
    c.call("GET", "/api/customers", query={"$filter": "colour eq 'red'"}, expect=400)
    c.call("GET", "/api/customers", auth="bad", expect=401)
    c.call("GET", "/api/customers", account="pa_nothing", expect=404)
    c.inject("GET", "/api/customers", 429)
    CU = "/api/customers/{customerUid}"
    c.call("GET", CU, {"customerUid": cus})
    c.inject("GET", CU, 400, {"customerUid": cus})
    c.call("GET", CU, {"customerUid": cus}, auth="bad", expect=401)
    c.call("GET", CU, {"customerUid": "cus_nothing"}, expect=404)
    c.inject("GET", CU, 429, {"customerUid": cus})

    PM = CU + "/payment-methods"
    first = c.call("POST", PM, {"customerUid": cus}, expect=201,
                   body={"payment_method": {"payment_method_type": "credit", "credit": c.credit_of(c.mint_card())}})
    spm1 = first["saved_payment_method_uid"]
    minted2 = c.mint_card("5555555555554444")
    second = c.call("POST", PM, {"customerUid": cus}, expect=201,
                    body={"payment_method": {"payment_method_type": "credit", "credit": c.credit_of(minted2)}})
    spm2 = second["saved_payment_method_uid"]
    ach_token = c.control("POST", "/_sandbox/tokens", expect=201, body={
        "ach": {"routing_number": "011000015", "account_number": "000123456789", "account_type": "checking",
                "bank_name": "First Corpus Bank", "holder_name": "Alex Morales"}})
    ach = ach_token["ach"]
    c.call("POST", PM, {"customerUid": cus}, expect=201, label="ach", body={"payment_method": {
        "payment_method_type": "ach", "ach": {
            "fingerprint": ach_token["fingerprint"], "account_number_suffix": ach["account_number_suffix"],
            "routing_number": ach["routing_number"], "account_type": ach["account_type"],
            "bank_name": "First Corpus Bank", "holder_name": "Alex Morales"}}})
    unknown_card = {"payment_method": {"payment_method_type": "credit", "credit": {
        "fingerprint": "ptok_nothing", "last4": "1111", "exp_month": 12, "exp_year": 2031}}}
    c.call("POST", PM, {"customerUid": cus}, expect=400, body=unknown_card, label="unknown fingerprint")
    c.call("POST", PM, {"customerUid": cus}, auth="bad", expect=401, body=unknown_card)
    c.call("POST", PM, {"customerUid": "cus_nothing"}, expect=404, body=unknown_card)
    c.call("POST", PM, {"customerUid": cus}, expect=413, body={"payment_method": {
        "payment_method_type": "credit", "credit": dict(unknown_card["payment_method"]["credit"], holder_name=BIG)}})
    for status in (409, 429, 502, 503):
        c.inject("POST", PM, status, {"customerUid": cus}, body=unknown_card)
    c.call("GET", PM, {"customerUid": cus})
    c.inject("GET", PM, 400, {"customerUid": cus})
    c.call("GET", PM, {"customerUid": cus}, auth="bad", expect=401)
    c.call("GET", PM, {"customerUid": "cus_nothing"}, expect=404)
    c.inject("GET", PM, 429, {"customerUid": cus})
    ONE = PM + "/{savedPaymentMethodUid}"
    c.call("GET", ONE, {"customerUid": cus, "savedPaymentMethodUid": spm1})
    c.call("GET", ONE, {"customerUid": cus, "savedPaymentMethodUid": spm1.replace("spm_", "SPM_", 1)},
           label="SPM_ prefix")
    c.inject("GET", ONE, 400, {"customerUid": cus, "savedPaymentMethodUid": spm1})
    c.call("GET", ONE, {"customerUid": cus, "savedPaymentMethodUid": spm1}, auth="bad", expect=401)
    c.call("GET", ONE, {"customerUid": cus, "savedPaymentMethodUid": "spm_nothing"}, expect=404)
    c.inject("GET", ONE, 429, {"customerUid": cus, "savedPaymentMethodUid": spm1})
    DEF = CU + "/default-payment-method"
    c.call("PUT", DEF, {"customerUid": cus}, body={"saved_payment_method_uid": spm2})
    c.inject("PUT", DEF, 400, {"customerUid": cus}, body={"saved_payment_method_uid": spm2})
    c.call("PUT", DEF, {"customerUid": cus}, auth="bad", expect=401, body={"saved_payment_method_uid": spm2})
    c.call("PUT", DEF, {"customerUid": cus}, expect=404, body={"saved_payment_method_uid": "spm_nothing"})
    c.inject("PUT", DEF, 413, {"customerUid": cus}, body={"saved_payment_method_uid": spm2})
    c.inject("PUT", DEF, 429, {"customerUid": cus}, body={"saved_payment_method_uid": spm2})

    third = c.call("POST", PM, {"customerUid": cus}, expect=201, label="one to delete",
                   body={"payment_method": {"payment_method_type": "credit",
                                            "credit": c.credit_of(c.mint_card("6011111111111117"))}})
    gone = {"customerUid": cus, "savedPaymentMethodUid": third["saved_payment_method_uid"]}
    c.inject("DELETE", ONE, 400, gone)
    c.call("DELETE", ONE, gone, auth="bad", expect=401)
    c.inject("DELETE", ONE, 429, gone)
    c.call("DELETE", ONE, gone, expect=204)
    c.call("DELETE", ONE, gone, expect=404, label="already deleted")

    IMP = "/api/saved-payment-methods/import"
    item = {"customer_reference_id": "user-imported", "customer_name": "Sam Imported",
            "payment_method": {"payment_method_type": "credit", "credit": {
                "fingerprint": "zift_perm_0001", "last4": "1111", "exp_month": 12, "exp_year": 2031,
                "bin": "411111", "card_brand": "VISA"}}}
    expired = dict(item, payment_method={"payment_method_type": "credit", "credit": dict(
        item["payment_method"]["credit"], exp_year=2020)})
    c.call("POST", IMP, body={"items": [item, expired]}, label="one good, one expired")
    c.inject("POST", IMP, 400, body={"items": [item]})
    c.call("POST", IMP, auth="bad", expect=401, body={"items": [item]})
    c.call("POST", IMP, account="pa_nothing", expect=404, body={"items": [item]})
    c.inject("POST", IMP, 413, body={"items": [item]})
    c.inject("POST", IMP, 429, body={"items": [item]})
    return cus, spm1, spm2


def run_payments(c, cus, spm1, spm2):
    wallet_pm = {"payment_method_type": "wallet_credit", "wallet": {"saved_payment_method_uid": spm2}}
    pay_body = {"base_amount": 10000, "tax_amount": 825, "currency": "USD", "reference_id": "order-corpus",
                "payment_method": wallet_pm}
    pay = c.call("POST", "/api/payments", expect=201, body=pay_body)
    c.call("POST", "/api/payments", expect=400, label="over the account maximum",
           body=dict(pay_body, base_amount=100000000))
    c.call("POST", "/api/payments", auth="bad", expect=401, body=pay_body)
    c.call("POST", "/api/payments", expect=404, label="unknown saved method", body=dict(
        pay_body, payment_method={"payment_method_type": "wallet_credit",
                                  "wallet": {"saved_payment_method_uid": "spm_nothing"}}))
    c.call("POST", "/api/payments", expect=413, body=dict(pay_body, reference_id=BIG))
    key_body = dict(pay_body, reference_id="order-keyed")
    c.call("POST", "/api/payments", expect=201, body=key_body, headers={"Idempotency-Key": "corpus-key-1"})
    c.call("POST", "/api/payments", expect=409, label="key reused with another body",
           body=dict(key_body, tax_amount=1), headers={"Idempotency-Key": "corpus-key-1"})
    for status in (429, 502, 503):
        c.inject("POST", "/api/payments", status, body=pay_body)
    c.call("GET", "/api/payments", query={"$filter": "reference_id eq 'order-corpus'", "$top": "10"})
    c.call("GET", "/api/payments", query={"$filter": "colour eq 'red'"}, expect=400)
    c.call("GET", "/api/payments", auth="bad", expect=401)
    c.call("GET", "/api/payments", account="pa_nothing", expect=404)
    c.inject("GET", "/api/payments", 429)
    PAY = "/api/payments/{paymentUid}"
    c.call("GET", PAY, {"paymentUid": pay["uid"]})
    c.inject("GET", PAY, 400, {"paymentUid": pay["uid"]})
    c.call("GET", PAY, {"paymentUid": pay["uid"]}, auth="bad", expect=401)
    c.call("GET", PAY, {"paymentUid": "pay_nothing"}, expect=404)
    c.inject("GET", PAY, 429, {"paymentUid": pay["uid"]})

    CAP = PAY + "/capture"
    capture = dict(pay_body, processing_fee_amount=pay["processing_fee_amount"])
    c.call("POST", CAP, {"paymentUid": pay["uid"]}, expect=409, label="fee differs",
           body=dict(capture, processing_fee_amount=capture["processing_fee_amount"] + 1))
    for status in (502, 503, 429):
        c.inject("POST", CAP, status, {"paymentUid": pay["uid"]}, body=capture)
    c.call("POST", CAP, {"paymentUid": pay["uid"]}, body=capture)
    c.call("POST", CAP, {"paymentUid": pay["uid"]}, expect=409, body=capture, label="second capture")
    c.call("POST", CAP, {"paymentUid": pay["uid"]}, auth="bad", expect=401, body=capture)
    c.call("POST", CAP, {"paymentUid": "pay_nothing"}, expect=404, body=capture)
    c.call("POST", CAP, {"paymentUid": pay["uid"]}, expect=413, body=dict(capture, reference_id=BIG))
    declining = c.mint_card("4000000000000002")
    decl_body = {"base_amount": 5000, "tax_amount": 0, "currency": "USD", "reference_id": "order-declined",
                 "payment_method": {"payment_method_type": "credit", "credit": c.credit_of(declining)}}
    declined = c.call("POST", "/api/payments", expect=201, body=decl_body, label="declining card")
    decl_capture = dict(decl_body, processing_fee_amount=declined["processing_fee_amount"])
    c.call("POST", CAP, {"paymentUid": declined["uid"]}, expect=402, body=decl_capture)
    expired_body = dict(decl_body, reference_id="order-expired-token",
                        payment_method={"payment_method_type": "credit", "credit": c.credit_of(c.mint_card())})
    stale = c.call("POST", "/api/payments", expect=201, body=expired_body, label="token about to expire")
    c.control("POST", "/_sandbox/clock/advance", body={"seconds": 901})
    c.call("POST", CAP, {"paymentUid": stale["uid"]}, expect=400, label="proxynized token expired",
           body=dict(expired_body, processing_fee_amount=stale["processing_fee_amount"]))

    REF = PAY + "/refund"
    c.call("POST", REF, {"paymentUid": pay["uid"]}, body={"amount": 2500})
    c.call("POST", REF, {"paymentUid": pay["uid"]}, expect=400, body={"amount": 10 ** 9}, label="more than left")
    c.call("POST", REF, {"paymentUid": declined["uid"]}, expect=409, body={}, label="failed payment")
    c.call("POST", REF, {"paymentUid": pay["uid"]}, auth="bad", expect=401, body={})
    c.call("POST", REF, {"paymentUid": "pay_nothing"}, expect=404, body={})
    for status in (413, 429, 502, 503):
        c.inject("POST", REF, status, {"paymentUid": pay["uid"]}, body={})
    c.call("POST", REF, {"paymentUid": pay["uid"]}, body={})

    VOID = PAY + "/void"
    to_void = c.call("POST", "/api/payments", expect=201, body=dict(pay_body, reference_id="order-void"))
    c.call("POST", VOID, {"paymentUid": to_void["uid"]}, body={})
    c.call("POST", VOID, {"paymentUid": pay["uid"]}, expect=409, body={}, label="already refunded")
    c.inject("POST", VOID, 400, {"paymentUid": to_void["uid"]}, body={})
    c.call("POST", VOID, {"paymentUid": to_void["uid"]}, auth="bad", expect=401, body={})
    c.call("POST", VOID, {"paymentUid": "pay_nothing"}, expect=404, body={})
    for status in (413, 429, 502, 503):
        c.inject("POST", VOID, status, {"paymentUid": to_void["uid"]}, body={})


def run_webhooks(c):
    c.call("GET", "/api/webhooks/types")
    c.call("GET", "/api/webhooks/types", auth="bad", expect=401)
    for path in ("/api/webhooks/secret", "/api/webhooks/subscriptions"):
        c.call("GET", path)
        c.inject("GET", path, 400)
        c.call("GET", path, auth="bad", expect=401)
        c.call("GET", path, account="pa_nothing", expect=404)
        c.inject("GET", path, 429)
    subs = {"subscriptions": [{"event_type": "payment.completed", "enabled": False}]}
    c.call("PUT", "/api/webhooks/subscriptions", body=subs)
    c.call("PUT", "/api/webhooks/subscriptions", expect=400, label="unknown event type",
           body={"subscriptions": [{"event_type": "no.such_event", "enabled": True}]})
    c.call("PUT", "/api/webhooks/subscriptions", auth="bad", expect=401, body=subs)
    c.call("PUT", "/api/webhooks/subscriptions", account="pa_nothing", expect=404, body=subs)
    c.call("PUT", "/api/webhooks/subscriptions", expect=413,
           body={"subscriptions": [{"event_type": BIG, "enabled": True}]})
    c.inject("PUT", "/api/webhooks/subscriptions", 429, body=subs)


def run_sessions(c, cus, spm1, spm2):
    S = "/v1/hosted-sessions"
    ONE = S + "/{sessionId}"
    documented = {
        "amount": 14227, "currency": "USD", "description": "Utility bill, June",
        "line_items": [{"description": "Water", "amount": 9227, "quantity": 1, "metadata": {"meter": "W-1"}},
                       {"description": "Sewer", "amount": 5000}],
        "customer_id": "user-corpus", "customer_email": "alex@example.com",
        "success_url": "https://shop.corpus.example/ok?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://shop.corpus.example/cancel", "layout": "embedded",
        "allowed_methods": ["card", "ach", "apple_pay"], "setup_future_usage": "on_session",
        "scope": "payment", "expires_in_seconds": 1800,
        "branding": {"logo_url": "https://shop.corpus.example/logo.png", "accent_color": "#1A7F5A",
                     "merchant_display_name": "City of Corpus"},
        "required_avs_fields": ["cardholder", "zip"], "metadata": {"invoice": "INV-2026-0611"},
        "fraud_signals": {"ip_address": "203.0.113.7", "user_agent": "corpus", "email": "alex@example.com",
                          "phone": "+15555550100", "account_type": "resident", "request_timestamp": 1781200800,
                          "is_authorized": True, "is_admin": False}}
    made = c.call("POST", S, expect=201, body=documented)
    c.call("POST", S, expect=400, label="payment scope without success_url",
           body={"amount": 100, "currency": "USD", "cancel_url": "https://shop.corpus.example/cancel"})
    c.call("POST", S, auth="bad", expect=401, body=documented)
    c.call("POST", S, account="pa_nothing", expect=404, body=documented)
    c.call("POST", S, expect=413, body=dict(documented, description=BIG))
    c.call("POST", S, expect=201, body=documented, headers={"Idempotency-Key": "corpus-session-1"})
    c.call("POST", S, expect=409, label="key reused with another body",
           body=dict(documented, amount=1), headers={"Idempotency-Key": "corpus-session-1"})
    c.inject("POST", S, 429, body=documented)
    sid, secret = made["session_id"], made["client_secret"]
    browser = "Bearer " + secret
    p = {"sessionId": sid}

    c.call("GET", ONE, p)  # server side
    c.call("GET", ONE, p, auth=browser, account=False, label="browser")
    c.inject("GET", ONE, 400, p)
    c.call("GET", ONE, p, auth="bad", expect=401)
    c.call("GET", ONE, p, auth=browser, account=False, expect=403, label="origin not allowed",
           headers={"Origin": "https://evil.example"})
    c.call("GET", ONE, {"sessionId": "cs_nothing"}, expect=404)
    c.inject("GET", ONE, 429, p)
    patch = {"amount": 15000, "line_items": [{"description": "Water", "amount": 15000}]}
    c.call("PATCH", ONE, p, body=patch)
    c.inject("PATCH", ONE, 400, p, body=patch)
    c.call("PATCH", ONE, p, auth="bad", expect=401, body=patch)
    c.call("PATCH", ONE, {"sessionId": "cs_nothing"}, expect=404, body=patch)
    c.call("PATCH", ONE, p, expect=413, body={"line_items": [{"description": BIG, "amount": 1}]})
    c.inject("PATCH", ONE, 429, p, body=patch)

    QF = ONE + "/quote-fee"
    minted = c.mint_card()
    card = minted["card"]
    browser_card = {"last4": card["last4"], "exp_month": card["exp_month"], "exp_year": card["exp_year"],
                    "bin": card["bin"], "card_brand": card["card_brand"]}
    quote = {"method": "card", "card_type": "visa", "processor_token": minted["fingerprint"],
             "payment_method": {"card": browser_card}}
    c.call("POST", QF, p, auth=browser, account=False, body=quote)
    c.call("POST", QF, p, auth=browser, account=False, expect=400, label="card without card_type",
           body={"method": "card", "processor_token": minted["fingerprint"], "payment_method": {"card": browser_card}})
    c.call("POST", QF, p, auth="bad", account=False, expect=401, body=quote)
    c.call("POST", QF, p, auth=browser, account=False, expect=403, headers={"Origin": "https://evil.example"},
           body=quote)
    c.inject("POST", QF, 404, p, auth=browser, account=False, body=quote)
    c.call("POST", QF, p, auth=browser, account=False, expect=413,
           body=dict(quote, processor_token=BIG))
    c.inject("POST", QF, 429, p, auth=browser, account=False, body=quote)

    CH = ONE + "/challenge/send"
    c.call("POST", CH, p, auth=browser, account=False, expect=400, label="no challenge on this session")
    challenged = c.call("POST", S, expect=201, body=dict(documented, amount=4321, fraud_signals=dict(
        documented["fraud_signals"], is_authorized=False)))
    cp = {"sessionId": challenged["session_id"]}
    cauth = "Bearer " + challenged["client_secret"]
    c.call("POST", CH, cp, auth=cauth, account=False, label="sms challenge")
    code = c.control("GET", "/_sandbox/hosted-sessions/{sessionId}/challenge", params=cp)["code"]
    c.control("GET", "/_sandbox/hosted-sessions/{sessionId}/challenge", params={"sessionId": "cs_nothing"},
              expect=404)
    c.call("POST", CH, p, auth="bad", account=False, expect=401)
    c.call("POST", CH, p, auth=browser, account=False, expect=403, headers={"Origin": "https://evil.example"})
    c.inject("POST", CH, 404, p, auth=browser, account=False)
    c.inject("POST", CH, 429, p, auth=browser, account=False)

    CF = ONE + "/confirm"
    confirm = {"processor_token": minted["fingerprint"], "method": "card", "save_method": True,
               "billing_details": {"cardholder": "Alex Morales", "zip": "84101", "street": "1 Main St",
                                   "city": "Salt Lake City", "state": "UT", "country": "US",
                                   "phone": "+15555550100", "email": "alex@example.com"},
               "payment_method": {"card": browser_card}}
    c.call("POST", CF, p, auth=browser, account=False, expect=400, label="unknown token",
           body=dict(confirm, processor_token="ptok_nothing"))
    c.call("POST", CF, p, auth="bad", account=False, expect=401, body=confirm)
    c.call("POST", CF, p, auth=browser, account=False, expect=403, headers={"Origin": "https://evil.example"},
           body=confirm)
    c.inject("POST", CF, 404, p, auth=browser, account=False, body=confirm)
    c.call("POST", CF, p, auth=browser, account=False, expect=413, body=dict(confirm, processor_token=BIG))
    for status in (429, 502, 503):
        c.inject("POST", CF, status, p, auth=browser, account=False, body=confirm)
    c.call("POST", CF, p, auth=browser, account=False, body=confirm, headers={"Idempotency-Key": "corpus-confirm"})
    cminted = c.mint_card("5555555555554444")
    ccard = cminted["card"]
    cconfirm = {"processor_token": cminted["fingerprint"], "method": "card",
                "billing_details": {"cardholder": "Alex Morales", "zip": "84101"},
                "payment_method": {"card": {"last4": ccard["last4"], "exp_month": ccard["exp_month"],
                                            "exp_year": ccard["exp_year"], "bin": ccard["bin"],
                                            "card_brand": ccard["card_brand"]}}}
    c.call("POST", CF, cp, auth=cauth, account=False, expect=403, body=cconfirm, label="challenge required")
    c.call("POST", CF, cp, auth=cauth, account=False, label="with the sms code",
           body=dict(cconfirm, challenge_response={"type": "sms", "code": code}))
    c.call("POST", CF, p, auth=browser, account=False, expect=409, body=confirm, label="second confirm")
    # Completed: PATCH and expire are 409 already_confirmed.
    c.call("PATCH", ONE, p, expect=409, body=patch, label="completed")
    EXP = ONE + "/expire"
    c.call("POST", EXP, p, expect=409, label="completed")

    # A saved method of the session's customer: its uid as the processor_token.
    saved_session = c.call("POST", S, expect=201, body=dict(documented, amount=5555))
    sp = {"sessionId": saved_session["session_id"]}
    sauth = "Bearer " + saved_session["client_secret"]
    c.call("POST", QF, sp, auth=sauth, account=False, label="saved method",
           body={"method": "card", "card_type": "visa", "processor_token": spm1})
    c.call("POST", CF, sp, auth=sauth, account=False, label="saved method",
           body={"method": "card", "processor_token": spm1,
                 "billing_details": {"cardholder": "Alex Morales", "zip": "84101"}})

    # A declining card: 402.
    other = c.call("POST", S, expect=201, body=dict(documented, amount=777))
    op = {"sessionId": other["session_id"]}
    declining = c.mint_card("4000000000000002")
    dcard = declining["card"]
    c.call("POST", CF, op, auth="Bearer " + other["client_secret"], account=False, expect=402, body={
        "processor_token": declining["fingerprint"], "method": "card",
        "billing_details": {"cardholder": "Alex Morales", "zip": "84101"},
        "payment_method": {"card": {"last4": dcard["last4"], "exp_month": dcard["exp_month"],
                                    "exp_year": dcard["exp_year"], "bin": dcard["bin"],
                                    "card_brand": dcard["card_brand"]}}})
    # Expire it by the API, then everything on it is 410.
    c.call("POST", EXP, op)
    c.call("POST", EXP, op, label="again: idempotent")
    c.inject("POST", EXP, 400, op)
    c.call("POST", EXP, op, auth="bad", expect=401)
    c.call("POST", EXP, {"sessionId": "cs_nothing"}, expect=404)
    c.inject("POST", EXP, 429, op)
    osecret = "Bearer " + other["client_secret"]
    c.call("GET", ONE, op, auth=osecret, account=False, expect=410)
    c.call("PATCH", ONE, op, expect=410, body=patch)
    c.call("POST", QF, op, auth=osecret, account=False, expect=410, body=quote)
    c.call("POST", CH, op, auth=osecret, account=False, expect=410)
    c.call("POST", CF, op, auth=osecret, account=False, expect=410, body=confirm)
    c.call("POST", QF, p, auth=browser, account=False, expect=409, body=quote, label="completed")
    c.call("POST", CH, cp, auth=cauth, account=False, expect=409, label="completed")

    # Wallet scope.
    wallet = c.call("POST", S, expect=201, body={"scope": "wallet", "customer_id": "user-corpus", "amount": 0,
                                                 "currency": "USD"})
    wp = {"sessionId": wallet["session_id"]}
    wauth = "Bearer " + wallet["client_secret"]
    WM = ONE + "/payment-methods"
    c.call("GET", WM, wp, auth=wauth, account=False)
    c.call("GET", WM, wp, auth="bad", account=False, expect=401)
    c.call("GET", WM, p, auth=browser, account=False, expect=403, label="payment credential")
    c.inject("GET", WM, 404, wp, auth=wauth, account=False)
    c.inject("GET", WM, 429, wp, auth=wauth, account=False)
    c.call("POST", QF, wp, auth=wauth, account=False, expect=403, body=quote, label="wallet credential")
    fresh = c.mint_card("378282246310005")
    add = {"payment_method": {"payment_method_type": "credit", "credit": c.credit_of(fresh)}}
    added = c.call("POST", WM, wp, auth=wauth, account=False, expect=201, body=add)
    c.call("POST", WM, wp, auth=wauth, account=False, expect=400, body=dict(add, payment_method=dict(
        add["payment_method"], credit=dict(add["payment_method"]["credit"], fingerprint="ptok_nothing"))),
        label="unknown fingerprint")
    c.call("POST", WM, wp, auth="bad", account=False, expect=401, body=add)
    c.call("POST", WM, p, auth=browser, account=False, expect=403, body=add, label="payment credential")
    c.inject("POST", WM, 404, wp, auth=wauth, account=False, body=add)
    c.call("POST", WM, wp, auth=wauth, account=False, expect=413, body={"payment_method": dict(
        add["payment_method"], credit=dict(add["payment_method"]["credit"], holder_name=BIG))})
    for status in (409, 429, 502, 503):
        c.inject("POST", WM, status, wp, auth=wauth, account=False, body=add)
    WD = ONE + "/default-payment-method"
    c.call("PUT", WD, wp, auth=wauth, account=False, body={"saved_payment_method_uid": spm1})
    c.inject("PUT", WD, 400, wp, auth=wauth, account=False, body={"saved_payment_method_uid": spm1})
    c.call("PUT", WD, wp, auth="bad", account=False, expect=401, body={"saved_payment_method_uid": spm1})
    c.call("PUT", WD, p, auth=browser, account=False, expect=403, body={"saved_payment_method_uid": spm1})
    c.call("PUT", WD, wp, auth=wauth, account=False, expect=404, body={"saved_payment_method_uid": "spm_nothing"})
    c.inject("PUT", WD, 413, wp, auth=wauth, account=False, body={"saved_payment_method_uid": spm1})
    c.inject("PUT", WD, 429, wp, auth=wauth, account=False, body={"saved_payment_method_uid": spm1})
    WDEL = WM + "/{savedPaymentMethodUid}"
    added_id = added.get("id") or added.get("saved_payment_method_uid") if added else "spm_nothing"
    c.call("DELETE", WDEL, dict(wp, savedPaymentMethodUid=added_id), auth=wauth, account=False, expect=204)
    c.call("DELETE", WDEL, dict(wp, savedPaymentMethodUid=spm2), auth="bad", account=False, expect=401)
    c.call("DELETE", WDEL, dict(p, savedPaymentMethodUid=spm2), auth=browser, account=False, expect=403)
    c.call("DELETE", WDEL, dict(wp, savedPaymentMethodUid="spm_nothing"), auth=wauth, account=False,
           expect=404)
    c.inject("DELETE", WDEL, 409, dict(wp, savedPaymentMethodUid=spm2), auth=wauth, account=False)
    c.inject("DELETE", WDEL, 429, dict(wp, savedPaymentMethodUid=spm2), auth=wauth, account=False)
    c.control("POST", "/_sandbox/clock/advance", body={"seconds": 3600})
    c.call("GET", WM, wp, auth=wauth, account=False, expect=410)
    c.call("POST", WM, wp, auth=wauth, account=False, expect=410, body=add)
    c.call("PUT", WD, wp, auth=wauth, account=False, expect=410, body={"saved_payment_method_uid": spm1})
    c.call("DELETE", WDEL, dict(wp, savedPaymentMethodUid=spm2), auth=wauth, account=False, expect=410)

    # The hosted page.
    page = c.call("POST", S, expect=201, body=documented)
    c.call("GET", "/hosted/{sessionId}", {"sessionId": page["session_id"]}, auth=None, account=False)
    c.call("GET", "/hosted/{sessionId}", {"sessionId": "cs_nothing"}, auth=None, account=False, expect=404)
    c.call("GET", "/hosted/{sessionId}", op, auth=None, account=False, expect=410)


def run_control(c):
    """The control API, /_sandbox/..., on the unguarded sandbox."""
    c.control("GET", "/_sandbox/health", account=False)
    c.control("GET", "/_sandbox/openapi.json", account=False)
    acc = c.control("POST", "/_sandbox/accounts", account=False, expect=201, body={
        "name": "Control corpus", "callback_url": "http://127.0.0.1:9/hooks", "webhook_enabled": False,
        "fee_rules": {"credit": {"percent_bps": 300, "fixed": 0}, "ach": {"percent_bps": 0, "fixed": 150}},
        "enable_ach": True, "enable_credit_card": True, "minimum_payment_amount": 1.0,
        "maximum_payment_amount": 5000.0})
    c.control("POST", "/_sandbox/accounts", account=False, expect=400, body={"client_id": "nobody"})
    c.control("POST", "/_sandbox/accounts", account=False, expect=413, body={"name": BIG})
    uid = acc["uid"]
    c.account = uid
    A = "/_sandbox/accounts/{accountUid}"
    c.control("PUT", A + "/fee-rules", params={"accountUid": uid}, account=False,
              body={"credit": {"percent_bps": 250, "fixed": 5}})
    c.control("PUT", A + "/fee-rules", params={"accountUid": uid}, account=False, expect=400,
              body={"credit": {"percent_bps": 100001, "fixed": 5}})
    c.control("PUT", A + "/fee-rules", params={"accountUid": "pa_nothing"}, account=False, expect=404,
              body={"credit": {"percent_bps": 250, "fixed": 5}})
    c.control("PUT", A + "/webhooks", params={"accountUid": uid}, account=False,
              body={"callback_url": None, "webhook_enabled": False})
    c.control("PUT", A + "/webhooks", params={"accountUid": uid}, account=False, expect=400,
              body={"callback_url": "ftp://corpus.example/hooks"})
    c.control("PUT", A + "/webhooks", params={"accountUid": "pa_nothing"}, account=False, expect=404,
              body={"webhook_enabled": False})
    c.control("PUT", A + "/webhooks", params={"accountUid": uid}, account=False, expect=413,
              body={"callback_url": "http://corpus.example/" + BIG})
    c.control("GET", "/_sandbox/clock", account=False)
    c.control("GET", "/_sandbox/clock")
    c.control("GET", "/_sandbox/clock", account="pa_nothing", expect=404)
    c.control("POST", "/_sandbox/clock/advance", body={"seconds": 0})
    c.control("POST", "/_sandbox/clock/advance", body={"seconds": 10 ** 12}, expect=400)
    c.control("POST", "/_sandbox/clock/advance", account="pa_nothing", expect=404, body={"seconds": 1})
    minted = c.control("POST", "/_sandbox/tokens", expect=201,
                       body={"card": {"number": "4111111111111111", "exp_month": 12, "exp_year": 2031,
                                      "cvv": "123", "holder_name": "Alex Morales"}})
    c.control("POST", "/_sandbox/tokens", expect=400, label="fails Luhn",
              body={"card": {"number": "4111111111111112", "exp_month": 12, "exp_year": 2031}})
    c.control("POST", "/_sandbox/tokens", account="pa_nothing", expect=404,
              body={"card": {"number": "4111111111111111", "exp_month": 12, "exp_year": 2031}})
    c.control("POST", "/_sandbox/tokens", expect=413,
              body={"card": {"number": "4111111111111111", "exp_month": 12, "exp_year": 2031, "holder_name": BIG}})

    # A saved card for the NOC (through the platform API, already covered).
    customer = c.call("POST", "/api/customers", expect=201, body={"reference_id": "user-noc"})
    saved = c.call("POST", "/api/customers/{customerUid}/payment-methods", {"customerUid": customer["uid"]},
                   expect=201, body={"payment_method": {"payment_method_type": "credit",
                                                        "credit": c.credit_of(minted)}})
    spm = saved["saved_payment_method_uid"]
    c.control("POST", "/_sandbox/noc", expect=201,
              body={"updates": [{"saved_payment_method_uid": spm, "exp_year": 2033}]})
    c.control("POST", "/_sandbox/noc", expect=400, label="last4 not 4 digits",
              body={"updates": [{"saved_payment_method_uid": spm, "last4": "12"}]})
    c.control("POST", "/_sandbox/noc", expect=404,
              body={"updates": [{"saved_payment_method_uid": "spm_nothing", "exp_year": 2033}]})
    c.control("POST", "/_sandbox/noc", account="pa_nothing", expect=404,
              body={"updates": [{"saved_payment_method_uid": spm, "exp_year": 2033}]})
    c.control("POST", "/_sandbox/noc", expect=413,
              body={"updates": [{"saved_payment_method_uid": spm, "card_brand": BIG}]})
    event = c.control("POST", "/_sandbox/webhooks/trigger", expect=201,
                      body={"event_type": "payment.completed", "data": {"payment_uid": "pay_corpus"}})
    c.control("POST", "/_sandbox/webhooks/trigger", expect=400, body={"event_type": "no.such_event"})
    c.control("POST", "/_sandbox/webhooks/trigger", account="pa_nothing", expect=404,
              body={"event_type": "payment.completed"})
    c.control("POST", "/_sandbox/webhooks/trigger", expect=413,
              body={"event_type": "payment.completed", "data": {"blob": BIG}})
    c.control("GET", "/_sandbox/events")
    c.control("GET", "/_sandbox/events", query={"after": event["webhook_id"], "wait_ms": "0"})
    c.control("GET", "/_sandbox/events", query={"after": "evt_nothing"}, expect=400)
    c.control("GET", "/_sandbox/events", account="pa_nothing", expect=404)
    R = "/_sandbox/events/{eventId}/redeliver"
    c.control("PUT", A + "/webhooks", params={"accountUid": uid}, account=False,
              body={"callback_url": "http://127.0.0.1:9/hooks", "webhook_enabled": True})
    c.control("POST", R, params={"eventId": event["webhook_id"]})
    c.control("POST", R, params={"eventId": "evt_nothing"}, expect=404)
    c.control("GET", "/_sandbox/webhooks/deliveries")
    c.control("GET", "/_sandbox/webhooks/deliveries", query={"webhook_id": event["webhook_id"]})
    c.control("GET", "/_sandbox/webhooks/deliveries", account="pa_nothing", expect=404)
    scenario = {"name": "corpus-delay", "description": "A short delay on customer lists.",
                "rules": [{"match": {"method": "GET", "path": "/api/customers"}, "times": 1,
                           "action": {"type": "delay", "ms": 1}}]}
    loaded = c.control("POST", "/_sandbox/scenarios", expect=201, body=scenario)
    c.control("POST", "/_sandbox/scenarios", expect=400, label="unknown action",
              body={"name": "bad", "rules": [{"match": {"method": "GET"}, "action": {"type": "explode"}}]})
    c.control("POST", "/_sandbox/scenarios", account="pa_nothing", expect=404, body=scenario)
    c.control("POST", "/_sandbox/scenarios", expect=413, body=dict(scenario, description=BIG))
    c.control("GET", "/_sandbox/scenarios")
    c.control("GET", "/_sandbox/scenarios", account="pa_nothing", expect=404)
    SC = "/_sandbox/scenarios/{scenarioId}"
    c.control("GET", SC, params={"scenarioId": loaded["id"]})
    c.control("GET", SC, params={"scenarioId": "scn_nothing"}, expect=404)
    c.control("DELETE", SC, params={"scenarioId": loaded["id"]}, expect=204)
    c.control("DELETE", SC, params={"scenarioId": loaded["id"]}, expect=404)
    c.control("DELETE", "/_sandbox/scenarios", expect=204)
    c.control("DELETE", "/_sandbox/scenarios", account="pa_nothing", expect=404)
    # What the control side reads: accounts, customers, payments, sessions,
    # the catalogue, the route table.
    c.control("GET", "/_sandbox/accounts", account=False)
    c.control("GET", A, params={"accountUid": uid}, account=False)
    c.control("GET", A, params={"accountUid": "pa_nothing"}, account=False, expect=404)
    for listing in ("/_sandbox/customers", "/_sandbox/payments"):
        c.control("GET", listing, query={"$top": "5"})
        c.control("GET", listing, query={"$filter": "colour eq 'red'"}, expect=400)
        c.control("GET", listing, account="pa_nothing", expect=404)
    c.control("GET", "/_sandbox/sessions")
    c.control("GET", "/_sandbox/sessions", account="pa_nothing", expect=404)
    c.control("GET", "/_sandbox/webhooks/types", account=False)
    c.control("GET", "/_sandbox/routes", account=False)
    # Snapshots and forks.
    SNAP = "/_sandbox/snapshots"
    c.control("POST", SNAP, account=False, expect=201, body={"name": "corpus-snap", "account": uid})
    c.control("POST", SNAP, account=False, expect=409, body={"name": "corpus-snap", "account": uid},
              label="name taken")
    c.control("POST", SNAP, account=False, expect=400, body={"name": "corpus-x", "account": "pa_nothing"})
    c.control("POST", SNAP, account=False, expect=413, body={"name": "corpus-big", "account": BIG})
    c.control("GET", SNAP, account=False)
    ONE = SNAP + "/{snapshotName}"
    c.control("GET", ONE + "/file", params={"snapshotName": "corpus-snap"}, account=False)
    c.control("GET", ONE + "/file", params={"snapshotName": "nothing"}, account=False, expect=404)
    c.control("POST", ONE + "/restore", params={"snapshotName": "corpus-snap"}, account=False)
    c.control("POST", ONE + "/restore", params={"snapshotName": "nothing"}, account=False, expect=404)
    c.control("DELETE", ONE, params={"snapshotName": "corpus-snap"}, account=False, expect=204)
    c.control("DELETE", ONE, params={"snapshotName": "corpus-snap"}, account=False, expect=404)
    c.control("POST", A + "/fork", params={"accountUid": uid}, account=False, expect=201)
    c.control("POST", A + "/fork", params={"accountUid": "pa_nothing"}, account=False, expect=404)
    # The static files of the dashboard and of the hosted page.
    c.call("GET", "/_sandbox/ui", auth=None, account=False)
    c.call("GET", "/_sandbox/ui/{file}", {"file": "dashboard.js"}, auth=None, account=False)
    c.call("GET", "/_sandbox/ui/{file}", {"file": "dashboard-nothing.js"}, auth=None, account=False,
           expect=404)
    c.call("GET", "/hosted/assets/{file}", {"file": "hosted.js"}, auth=None, account=False)
    c.call("GET", "/hosted/assets/{file}", {"file": "hosted-nothing.js"}, auth=None, account=False,
           expect=404)
    c.control("GET", "/_sandbox/requests", account=False, query={"account": uid, "limit": "5"})
    c.control("GET", "/_sandbox/requests", account=False, query={"limit": str(10 ** 9)}, expect=400)
    c.control("GET", "/_sandbox/stats", account=False)
    c.control("POST", A + "/reset", params={"accountUid": uid}, account=False)
    c.control("POST", A + "/reset", params={"accountUid": "pa_nothing"}, account=False, expect=404)
    # Last: everything back to the fixtures.
    c.control("POST", "/_sandbox/reset", account=False)


def run_guarded(c, base, control_token):
    """401 on every control route, against a sandbox started with --control-token."""
    for path, item in c.doc["paths"].items():
        if not path.startswith("/_sandbox/") or path == "/_sandbox/health":
            continue
        for method, operation in item.items():
            if "401" not in operation["responses"]:
                continue
            body = None
            rb = operation.get("requestBody")
            if rb and rb.get("required"):
                body = GUARDED_BODIES[(method.upper(), path)]
            params = {name[1:-1]: "cs_nothing" if name == "{sessionId}" else "zz_nothing"
                      for name in re.findall(r"\{[^}]+\}", path)}
            account = "pa_sandbox" if any(
                p.get("$ref", "").endswith("/ControlAccountHeader") for p in operation.get("parameters", [])) \
                else False
            c.call(method.upper(), path, params, body=body, auth=None, account=account, base=base, expect=401,
                   label="no control token")
    c.call("GET", "/_sandbox/openapi.json", auth=None, account=False, base=base,
           headers={"X-Sandbox-Token": control_token}, label="with the control token")


GUARDED_BODIES = {
    ("PUT", "/_sandbox/accounts/{accountUid}/fee-rules"): {"credit": {"percent_bps": 1, "fixed": 1}},
    ("PUT", "/_sandbox/accounts/{accountUid}/webhooks"): {"webhook_enabled": False},
    ("POST", "/_sandbox/clock/advance"): {"seconds": 1},
    ("POST", "/_sandbox/tokens"): {"card": {"number": "4111111111111111", "exp_month": 12, "exp_year": 2031}},
    ("POST", "/_sandbox/noc"): {"updates": [{"saved_payment_method_uid": "spm_nothing", "exp_year": 2033}]},
    ("POST", "/_sandbox/webhooks/trigger"): {"event_type": "payment.completed"},
    ("POST", "/_sandbox/scenarios"): {"name": "guarded", "rules": []},
    ("POST", "/_sandbox/snapshots"): {"name": "guarded"},
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True, help="the validating proxy in front of the sandbox")
    parser.add_argument("--guarded-base-url", help="a proxy in front of a sandbox with --control-token")
    parser.add_argument("--control-token", default="", help="that sandbox's control token")
    parser.add_argument("--openapi", default=DEFAULT_DOC, help="the document the proxy validates against")
    args = parser.parse_args()
    with open(args.openapi, encoding="utf-8") as f:
        doc = json.load(f)
    c = Corpus(args.base_url, doc)
    stages = [("platform", lambda: run_platform(c)), ("control", lambda: run_control(c))]
    if args.guarded_base_url:
        guarded = urllib.parse.urlsplit(args.guarded_base_url)
        stages.append(("guarded", lambda: run_guarded(c, guarded, args.control_token)))
    for name, stage in stages:
        try:
            stage()
        except Exception as e:  # a broken answer stops the stage, not the report
            c.failures.append("stage %s stopped: %r" % (name, e))
            print("FAIL stage %s stopped: %r" % (name, e))

    documented = c.documented()
    covered = set(c.covered)
    missing = sorted(k for k in documented - covered if k not in UNREACHABLE)
    injected = sorted(k for k, how in c.covered.items() if how == "injected")
    print("\ncorpus: %d requests; %d documented (method, path, status); %d answered as documented "
          "(%d of them by fault injection); %d listed as unreachable through a validating proxy"
          % (c.sent, len(documented), len(documented & covered), len(set(injected) & documented),
             len(UNREACHABLE)))
    for key in missing:
        print("NOT COVERED %s %s %d" % key)
    if c.failures or missing:
        print("corpus: FAILED (%d failures, %d documented statuses not covered)" % (len(c.failures), len(missing)))
        return 1
    print("corpus: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
