#include <thread>

#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

namespace {

json payment_session(Merchant& merchant, std::int64_t amount = 2500, json extra = json::object()) {
  json body = {{"amount", amount},
               {"currency", "USD"},
               {"success_url", "https://shop.example/ok"},
               {"cancel_url", "https://shop.example/cancel"}};
  body.update(extra);
  auto reply = merchant.post("/v1/hosted-sessions", body);
  REQUIRE(reply.status == 201);
  return reply.json_body();
}

Reply browser(TestSandbox& sandbox, const std::string& method, const std::string& path,
              const std::string& secret, const json& body = nullptr,
              const std::string& origin = "") {
  httplib::Headers headers = {{"Authorization", "Bearer " + secret}};
  if (!origin.empty()) headers.emplace("Origin", origin);
  return sandbox.client().request(method, path, body.is_null() ? "" : body.dump(), headers);
}

}  // namespace

TEST_CASE("a payment session is created, read, changed and expired by the merchant's server",
          "[http][sessions]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  json session = payment_session(merchant, 2500,
                                 {{"line_items", {{{"description", "Permit"}, {"amount", 2500}}}}});
  const std::string id = session.at("session_id");
  CHECK(id.rfind("cs_", 0) == 0);
  CHECK(session.at("client_secret").get<std::string>().rfind(id + "_secret_", 0) == 0);
  CHECK(session.at("status") == "active");
  CHECK(session.at("hosted_url").get<std::string>().find("/hosted/" + id) != std::string::npos);
  // Default lifetime: 1800 s after creation.
  CHECK(session.at("expires_at") != session.at("created_at"));

  auto read = merchant.get("/v1/hosted-sessions/" + id);
  REQUIRE(read.status == 200);
  CHECK(read.json_body().at("amount") == 2500);

  auto patched =
      sandbox.client().request("PATCH", "/v1/hosted-sessions/" + id, json{{"amount", 3100}}.dump(),
                               {{"Authorization", "Bearer " + merchant.token()},
                                {"X-Payment-Account-Uid", merchant.account()}});
  REQUIRE(patched.status == 200);
  CHECK(patched.json_body().at("amount") == 3100);

  auto expired = merchant.post("/v1/hosted-sessions/" + id + "/expire", json::object());
  REQUIRE(expired.status == 200);
  CHECK(expired.json_body().at("status") == "expired");
  // Expiring again changes nothing and emits nothing more.
  CHECK(merchant.post("/v1/hosted-sessions/" + id + "/expire", json::object()).status == 200);
  json events = merchant.control_get("/_sandbox/events?type=checkout_session.expired").json_body();
  REQUIRE(events.size() == 1);
  CHECK(events[0].at("data").at("session_id") == id);
  CHECK_FALSE(events[0].at("data").contains("client_secret"));

  // The server may still read it; every other call is 410.
  CHECK(merchant.get("/v1/hosted-sessions/" + id).json_body().at("status") == "expired");
  auto quote = merchant.post("/v1/hosted-sessions/" + id + "/quote-fee", {{"method", "apple_pay"}});
  CHECK(quote.status == 410);
  CHECK(quote.json_body().at("code") == "session_expired");
}

TEST_CASE("a session expires once its time passes on the account's clock", "[http][sessions]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  json session = payment_session(merchant, 1000, {{"expires_in_seconds", 600}});
  const std::string id = session.at("session_id");
  merchant.advance(599);
  CHECK(merchant.get("/v1/hosted-sessions/" + id).json_body().at("status") == "active");
  CHECK(merchant.control_get("/_sandbox/events?type=checkout_session.expired").json_body().empty());
  merchant.advance(1);
  // The advance itself expired it: the event exists before anyone reads the session.
  json events = merchant.control_get("/_sandbox/events?type=checkout_session.expired").json_body();
  REQUIRE(events.size() == 1);
  auto from_browser =
      browser(sandbox, "GET", "/v1/hosted-sessions/" + id, session.at("client_secret"));
  CHECK(from_browser.status == 410);
  merchant.advance(3600);
  CHECK(merchant.control_get("/_sandbox/events?type=checkout_session.expired").json_body().size() ==
        1);
}

TEST_CASE("browser calls use the client_secret, from an allowed origin, with the right scope",
          "[http][sessions]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  json customer = merchant.create_customer("wallet-owner");
  merchant.save_card(customer.at("uid"));
  json pay = payment_session(merchant, 10000);
  const std::string pay_id = pay.at("session_id");
  const std::string pay_secret = pay.at("client_secret");
  auto wallet_reply =
      merchant.post("/v1/hosted-sessions", {{"scope", "wallet"}, {"customer_id", "wallet-owner"}});
  REQUIRE(wallet_reply.status == 201);
  json wallet = wallet_reply.json_body();
  const std::string wallet_id = wallet.at("session_id");
  const std::string wallet_secret = wallet.at("client_secret");

  SECTION("the quote uses the account's fee rules") {
    // Apple Pay by amount alone: the card rule.
    auto quote = browser(sandbox, "POST", "/v1/hosted-sessions/" + pay_id + "/quote-fee",
                         pay_secret, {{"method", "apple_pay"}});
    REQUIRE(quote.status == 200);
    // 295 bps of $100.00 + 3 cents.
    CHECK(quote.json_body().at("convenience_fee") == 298);
    CHECK(quote.json_body().at("total_amount") == 10298);
    json minted = merchant.mint_ach();
    const json& bank = minted.at("ach");
    auto ach = browser(sandbox, "POST", "/v1/hosted-sessions/" + pay_id + "/quote-fee", pay_secret,
                       {{"method", "ach"},
                        {"processor_token", minted.at("fingerprint")},
                        {"payment_method",
                         {{"ach",
                           {{"routing_number", bank.at("routing_number")},
                            {"account_number_suffix", bank.at("account_number_suffix")},
                            {"account_type", bank.at("account_type")}}}}}});
    INFO(ach.body);
    CHECK(ach.json_body().at("convenience_fee") == 150);
  }
  SECTION("a secret only opens its own session") {
    auto other = browser(sandbox, "GET", "/v1/hosted-sessions/" + pay_id, wallet_secret);
    CHECK(other.status == 401);
    auto made_up =
        browser(sandbox, "GET", "/v1/hosted-sessions/" + pay_id, pay_id + "_secret_0000");
    CHECK(made_up.status == 401);
  }
  SECTION("a wallet secret on a payment route, and the reverse, is insufficient_scope") {
    auto quote = browser(sandbox, "POST", "/v1/hosted-sessions/" + wallet_id + "/quote-fee",
                         wallet_secret, {{"method", "apple_pay"}});
    CHECK(quote.status == 403);
    CHECK(quote.json_body().at("code") == "insufficient_scope");
    auto methods =
        browser(sandbox, "GET", "/v1/hosted-sessions/" + pay_id + "/payment-methods", pay_secret);
    CHECK(methods.status == 403);
    CHECK(methods.json_body().at("code") == "insufficient_scope");
  }
  SECTION("an Origin outside allowed_origins is refused, one inside is served") {
    auto refused = browser(sandbox, "GET", "/v1/hosted-sessions/" + pay_id, pay_secret, nullptr,
                           "https://evil.example");
    CHECK(refused.status == 403);
    CHECK(refused.json_body().at("code") == "origin_not_allowed");
    REQUIRE(merchant
                .put("/api/paymentaccounts/" + merchant.account() + "/checkout-config",
                     {{"allowed_origins", {"https://shop.example"}}})
                .status == 200);
    auto served = browser(sandbox, "GET", "/v1/hosted-sessions/" + pay_id, pay_secret, nullptr,
                          "https://shop.example");
    CHECK(served.status == 200);
    CHECK_FALSE(served.json_body().contains("client_secret"));
  }
  SECTION("a browser may not do what only the server may") {
    auto expire =
        browser(sandbox, "POST", "/v1/hosted-sessions/" + pay_id + "/expire", pay_secret, {});
    CHECK(expire.status == 401);  // server routes take only platform bearers
  }
  SECTION("a wallet session lists, saves, defaults and deletes the customer's methods") {
    const std::string base = "/v1/hosted-sessions/" + wallet_id + "/payment-methods";
    auto listed = browser(sandbox, "GET", base, wallet_secret);
    REQUIRE(listed.status == 200);
    // The documented shape: {methods: SavedMethodSummary[], allowed_methods}.
    const json methods = listed.json_body().at("methods");
    REQUIRE(methods.size() == 1);
    CHECK(methods[0].at("type") == "card");
    CHECK(methods[0].at("brand") == "visa");
    CHECK(methods[0].at("is_default") == true);
    CHECK(listed.json_body().at("allowed_methods") == json::array({"card", "ach"}));
    CHECK_FALSE(methods[0].at("payment_method").at("credit").contains("fingerprint"));

    json minted = merchant.mint_card("5555555555554444");
    auto saved =
        browser(sandbox, "POST", base, wallet_secret, {{"payment_method", credit_method(minted)}});
    REQUIRE(saved.status == 201);
    CHECK_FALSE(saved.json_body().at("payment_method").at("credit").contains("fingerprint"));
    const std::string spm = saved.json_body().at("saved_payment_method_uid");

    auto defaulted =
        browser(sandbox, "PUT", "/v1/hosted-sessions/" + wallet_id + "/default-payment-method",
                wallet_secret, {{"saved_payment_method_uid", spm}});
    REQUIRE(defaulted.status == 200);
    CHECK(defaulted.json_body().at("default_payment_method_uid") == spm);

    CHECK(browser(sandbox, "DELETE", base + "/" + spm, wallet_secret).status == 204);
    CHECK(browser(sandbox, "GET", base, wallet_secret).json_body().at("methods").size() == 1);
  }
}

TEST_CASE("session bodies are checked field by field", "[http][sessions]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  auto check = [&](const json& body, int status, const std::string& param) {
    auto reply = merchant.post("/v1/hosted-sessions", body);
    CHECK(reply.status == status);
    CHECK(reply.json_body().value("param", "") == param);
  };
  json ok = {{"amount", 100},
             {"currency", "USD"},
             {"success_url", "https://a/ok"},
             {"cancel_url", "https://a/no"}};
  json no_amount = ok;
  no_amount.erase("amount");
  check(no_amount, 400, "amount");
  json eur = ok;
  eur["currency"] = "EUR";
  check(eur, 400, "currency");
  json no_cancel = ok;
  no_cancel.erase("cancel_url");
  check(no_cancel, 400, "cancel_url");
  json extra = ok;
  extra["colour"] = "blue";
  check(extra, 400, "colour");
  json stranger = ok;
  stranger["customer_id"] = "nobody";
  check(stranger, 404, "customer_id");
  check({{"scope", "wallet"}}, 400, "customer_id");
  check({{"scope", "wallet"}, {"customer_id", "nobody"}}, 404, "customer_id");
  check({{"scope", "everything"}}, 400, "scope");
  json too_big = ok;
  too_big["amount"] = 100000000;
  check(too_big, 400, "amount");
}

TEST_CASE("sessions are isolated per account and removed by its reset", "[http][sessions]") {
  TestSandbox sandbox;
  std::string token = sandbox.token();
  Merchant a(sandbox, sandbox.create_account().at("uid"), token);
  Merchant b(sandbox, sandbox.create_account().at("uid"), token);
  json session = payment_session(a);
  const std::string id = session.at("session_id");
  CHECK(b.get("/v1/hosted-sessions/" + id).status == 404);
  REQUIRE(
      sandbox.client().post("/_sandbox/accounts/" + a.account() + "/reset", json::object()).status <
      300);
  CHECK(a.get("/v1/hosted-sessions/" + id).status == 404);
  CHECK(browser(sandbox, "GET", "/v1/hosted-sessions/" + id, session.at("client_secret")).status ==
        401);
}

TEST_CASE("hosted_url serves a page for the session, and says when it has expired",
          "[http][sessions]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  merchant.save_card(merchant.create_customer("page-owner").at("uid"));
  json session = payment_session(merchant, 1234, {{"customer_id", "page-owner"}});
  const std::string id = session.at("session_id");
  const std::string url = session.at("hosted_url");
  const std::string path = url.substr(url.find("/hosted/"));
  auto page = sandbox.client().get(path);
  REQUIRE(page.status == 200);
  CHECK(page.header("Content-Type").rfind("text/html", 0) == 0);
  CHECK(page.body.find("$12.34") != std::string::npos);
  CHECK(page.body.find("VISA ending 1111") != std::string::npos);
  // The permanent token never reaches the page.
  CHECK(page.body.find("tok_") == std::string::npos);

  CHECK(sandbox.client().get("/hosted/cs_nope").status == 404);
  merchant.post("/v1/hosted-sessions/" + id + "/expire", json::object());
  CHECK(sandbox.client().get(path).status == 410);
}

namespace {

Reply confirm(TestSandbox& sandbox, const json& session, const json& body,
              const std::string& idempotency_key = "") {
  httplib::Headers headers = {
      {"Authorization", "Bearer " + session.at("client_secret").get<std::string>()}};
  if (!idempotency_key.empty()) headers.emplace("Idempotency-Key", idempotency_key);
  return sandbox.client().request(
      "POST", "/v1/hosted-sessions/" + session.at("session_id").get<std::string>() + "/confirm",
      body.dump(), headers);
}

// A saved method, as confirm takes it: its uid as the processor_token.
json saved_choice(const json& saved) {
  return {{"method", "card"}, {"processor_token", saved.at("saved_payment_method_uid")}};
}

// The documented browser body for a fresh card or bank account from a
// /_sandbox/tokens answer.
json card_choice(const json& minted) {
  const json& card = minted.at("card");
  return {{"method", "card"},
          {"processor_token", minted.at("fingerprint")},
          {"payment_method",
           {{"card",
             {{"last4", card.at("last4")},
              {"exp_month", card.at("exp_month")},
              {"exp_year", card.at("exp_year")},
              {"bin", card.at("bin")},
              {"card_brand", card.at("card_brand")}}}}}};
}
json ach_choice(const json& minted) {
  const json& bank = minted.at("ach");
  return {{"method", "ach"},
          {"processor_token", minted.at("fingerprint")},
          {"payment_method",
           {{"ach",
             {{"routing_number", bank.at("routing_number")},
              {"account_number_suffix", bank.at("account_number_suffix")},
              {"account_type", bank.at("account_type")}}}}}};
}

}  // namespace

TEST_CASE("confirming a payment session pays it once and completes the session",
          "[http][sessions][payments]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  json customer = merchant.create_customer("payer");
  json saved = merchant.save_card(customer.at("uid"));
  json session = payment_session(merchant, 2500, {{"customer_id", "payer"}});
  const std::string id = session.at("session_id");

  SECTION("with a saved method of the session's customer") {
    auto paid = confirm(sandbox, session, saved_choice(saved));
    INFO(paid.body);
    REQUIRE(paid.status == 200);
    json payment = paid.json_body().at("payment");
    CHECK(payment.at("status") == "completed");
    CHECK(payment.at("base_amount") == 2500);
    CHECK(payment.at("total_amount") == 2500 + 77);  // 295 bps of 25.00 = 73.75 -> 74, + 3
    CHECK(payment.at("reference_id") == id);
    CHECK(paid.json_body().at("session").at("status") == "completed");
    CHECK(paid.json_body().at("session").at("payment_uid") == payment.at("uid"));
    CHECK(merchant.get("/v1/hosted-sessions/" + id).json_body().at("status") == "completed");
    CHECK(merchant.get("/api/payments/" + payment.at("uid").get<std::string>()).status == 200);
    json completed =
        merchant.control_get("/_sandbox/events?type=checkout_session.completed").json_body();
    REQUIRE(completed.size() == 1);
    CHECK(completed[0].at("data").at("payment").at("uid") == payment.at("uid"));
    CHECK(merchant.control_get("/_sandbox/events?type=payment.completed").json_body().size() == 1);

    auto again = confirm(sandbox, session, saved_choice(saved));
    CHECK(again.status == 409);
    CHECK(again.json_body().at("code") == "already_confirmed");
    CHECK(merchant.get("/api/payments").json_body().size() == 1);
  }
  SECTION("with a fresh card token, and a decline leaves the session open") {
    json declined = card_choice(merchant.mint_card("4000000000000002"));
    auto refused = confirm(sandbox, session, declined);
    CHECK(refused.status == 402);
    CHECK(refused.json_body().at("code") == "card_declined");
    CHECK(merchant.get("/v1/hosted-sessions/" + id).json_body().at("status") == "active");
    auto paid = confirm(sandbox, session, card_choice(merchant.mint_card()));
    REQUIRE(paid.status == 200);
    CHECK(paid.json_body().at("payment").at("payment_method").at("payment_method_type") ==
          "credit");
  }
  SECTION("with an ACH token") {
    auto paid = confirm(sandbox, session, ach_choice(merchant.mint_ach()));
    REQUIRE(paid.status == 200);
    CHECK(paid.json_body().at("payment").at("processing_fee_amount") == 150);
  }
  SECTION("another customer's saved method is a 404") {
    json stranger = merchant.create_customer("stranger");
    auto refused = confirm(sandbox, session, saved_choice(merchant.save_card(stranger.at("uid"))));
    CHECK(refused.status == 404);
    CHECK(merchant.get("/api/payments").json_body().empty());
  }
  SECTION("the same Idempotency-Key replays the confirm") {
    auto first = confirm(sandbox, session, saved_choice(saved), "confirm-1");
    auto second = confirm(sandbox, session, saved_choice(saved), "confirm-1");
    REQUIRE(first.status == 200);
    CHECK(second.status == 200);
    CHECK(second.body == first.body);
    CHECK(second.header("Idempotent-Replayed") == "true");
    CHECK(merchant.get("/api/payments").json_body().size() == 1);
  }
  SECTION("past its expiry the session cannot be confirmed") {
    merchant.advance(1800);
    auto late = confirm(sandbox, session, saved_choice(saved));
    CHECK(late.status == 410);
    CHECK(late.json_body().at("code") == "session_expired");
  }
  SECTION("a wallet session cannot confirm a payment") {
    auto wallet =
        merchant.post("/v1/hosted-sessions", {{"scope", "wallet"}, {"customer_id", "payer"}});
    REQUIRE(wallet.status == 201);
    auto refused = confirm(sandbox, wallet.json_body(), saved_choice(saved));
    CHECK(refused.status == 403);
    CHECK(refused.json_body().at("code") == "insufficient_scope");
  }
}

TEST_CASE("a look-alike payment within 10 minutes needs duplicate_acknowledged",
          "[http][sessions][payments]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  json customer = merchant.create_customer("payer");
  json saved = merchant.save_card(customer.at("uid"));
  REQUIRE(confirm(sandbox, payment_session(merchant, 2500, {{"customer_id", "payer"}}),
                  saved_choice(saved))
              .status == 200);
  json second = payment_session(merchant, 2500, {{"customer_id", "payer"}});

  SECTION("refused, then accepted when acknowledged") {
    merchant.advance(599);
    auto refused = confirm(sandbox, second, saved_choice(saved));
    CHECK(refused.status == 409);
    CHECK(refused.json_body().at("code") == "duplicate_payment");
    json acknowledged = saved_choice(saved);
    acknowledged["duplicate_acknowledged"] = true;
    CHECK(confirm(sandbox, second, acknowledged).status == 200);
  }
  SECTION("the same card entered fresh is a look-alike too") {
    auto refused = confirm(sandbox, second, card_choice(merchant.mint_card()));
    CHECK(refused.status == 409);
    CHECK(refused.json_body().at("code") == "duplicate_payment");
  }
  SECTION("another amount is not a look-alike") {
    json other = payment_session(merchant, 2600, {{"customer_id", "payer"}});
    CHECK(confirm(sandbox, other, saved_choice(saved)).status == 200);
  }
  SECTION("ten minutes later it is not a look-alike") {
    merchant.advance(600);
    CHECK(confirm(sandbox, second, saved_choice(saved)).status == 200);
  }
}

TEST_CASE("concurrent confirms of one session charge once", "[http][sessions][concurrency]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  json customer = merchant.create_customer("payer");
  json saved = merchant.save_card(customer.at("uid"));
  json choice = saved_choice(saved);
  choice["duplicate_acknowledged"] = true;
  for (int round = 0; round < 10; ++round) {
    json session = payment_session(merchant, 1000 + round, {{"customer_id", "payer"}});
    Reply replies[2];
    std::thread threads[2];
    for (int i = 0; i < 2; ++i)
      threads[i] = std::thread([&, i] { replies[i] = confirm(sandbox, session, choice); });
    for (auto& thread : threads) thread.join();
    INFO(replies[0].body << " / " << replies[1].body);
    CHECK(((replies[0].status == 200 && replies[1].status == 409) ||
           (replies[0].status == 409 && replies[1].status == 200)));
  }
  CHECK(merchant.get("/api/payments").json_body().size() == 10);
}
