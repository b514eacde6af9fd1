#include <fstream>
#include <sstream>

#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

namespace {

json payment_body(const json& method, std::int64_t base = 10000, std::int64_t tax = 0,
                  const std::string& reference = "order-1") {
  return {{"base_amount", base},
          {"tax_amount", tax},
          {"currency", "USD"},
          {"reference_id", reference},
          {"payment_method", method}};
}

json wallet_method(const std::string& type, const json& saved) {
  return {{"payment_method_type", type},
          {"wallet", {{"saved_payment_method_uid", saved.at("saved_payment_method_uid")}}}};
}

// The capture body that repeats a validation exactly.
json capture_body(const json& validate_body, const json& validated) {
  json body = validate_body;
  body["processing_fee_amount"] = validated.at("processing_fee_amount");
  return body;
}

json validate_ok(Merchant& merchant, const json& body) {
  auto reply = merchant.post("/api/payments", body);
  INFO(reply.body);
  REQUIRE(reply.status == 201);
  return reply.json_body();
}

std::string path_of(const json& payment, const std::string& action = "") {
  return "/api/payments/" + payment.at("uid").get<std::string>() +
         (action.empty() ? "" : "/" + action);
}

json events_of(Merchant& merchant, const std::string& type) {
  auto reply = merchant.control_get("/_sandbox/events?type=" + type);
  REQUIRE(reply.status == 200);
  return reply.json_body();
}

}  // namespace

TEST_CASE("a card payment is validated with the account's fee and captured", "[http][payments]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json body = payment_body(credit_method(merchant.mint_card()), 10000, 825);
  json validated = validate_ok(merchant, body);
  CHECK(validated.at("uid").get<std::string>().rfind("pay_", 0) == 0);
  CHECK(validated.at("status") == "validated");
  // 2.95 % of 108.25 = 319.3375 -> 319, plus 3.
  CHECK(validated.at("processing_fee_amount") == 322);
  CHECK(validated.at("total_amount") == 10000 + 825 + 322);
  CHECK(validated.at("transaction_id").is_null());
  const json& echo = validated.at("payment_method");
  CHECK(echo.at("payment_method_type") == "credit");
  CHECK(echo.at("credit").at("last4") == "1111");
  CHECK(echo.at("credit").at("card_brand") == "VISA");
  CHECK(echo.at("credit").at("holder_name") == "Alex Morales");
  CHECK_FALSE(echo.at("credit").contains("fingerprint"));
  CHECK_FALSE(echo.at("credit").contains("bin"));

  auto captured = merchant.post(path_of(validated, "capture"), capture_body(body, validated));
  INFO(captured.body);
  REQUIRE(captured.status == 200);
  json payment = captured.json_body();
  CHECK(payment.at("status") == "completed");
  CHECK(payment.at("transaction_id").get<std::string>().rfind("txn_", 0) == 0);
  CHECK(payment.at("captured_at").is_string());

  auto read = merchant.get(path_of(validated));
  REQUIRE(read.status == 200);
  CHECK(read.json_body().at("status") == "completed");
  CHECK(read.json_body().at("transaction_id") == payment.at("transaction_id"));

  SECTION("a second capture is a 409 conflict") {
    auto again = merchant.post(path_of(validated, "capture"), capture_body(body, validated));
    CHECK(again.status == 409);
    CHECK(again.json_body().at("code") == "conflict");
  }
}

TEST_CASE("validate then capture works with each of the four method kinds", "[http][payments]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("user-1");
  const std::string customer_uid = customer.at("uid");
  json method;
  std::int64_t fee = 0;
  std::string echo_key;
  SECTION("credit") {
    method = credit_method(merchant.mint_card("5555555555554444"));
    fee = 298;
    echo_key = "credit";
  }
  SECTION("ach") {
    method = ach_method(merchant.mint_ach());
    fee = 150;
    echo_key = "ach";
  }
  SECTION("wallet_credit") {
    method = wallet_method("wallet_credit", merchant.save_card(customer_uid));
    fee = 298;
    echo_key = "credit";
  }
  SECTION("wallet_ach") {
    method = wallet_method("wallet_ach", merchant.save_ach(customer_uid));
    fee = 150;
    echo_key = "ach";
  }
  json body = payment_body(method);
  json validated = validate_ok(merchant, body);
  CHECK(validated.at("processing_fee_amount") == fee);
  CHECK(validated.at("total_amount") == 10000 + fee);
  const json& echo = validated.at("payment_method");
  CHECK(echo.at("payment_method_type") == method.at("payment_method_type"));
  REQUIRE(echo.contains(echo_key));
  CHECK_FALSE(echo.at(echo_key).contains("fingerprint"));
  CHECK_FALSE(echo.at(echo_key).contains("bin"));
  CHECK_FALSE(echo.at(echo_key).contains("routing_number"));
  if (method.contains("wallet"))
    CHECK(echo.at("wallet").at("saved_payment_method_uid") ==
          method.at("wallet").at("saved_payment_method_uid"));
  auto captured = merchant.post(path_of(validated, "capture"), capture_body(body, validated));
  INFO(captured.body);
  REQUIRE(captured.status == 200);
  CHECK(captured.json_body().at("status") == "completed");
}

TEST_CASE("every card in the sandbox table gets its outcome at capture", "[http][payments]") {
  struct Row {
    const char* number;
    int status;
    const char* code;  // empty = approved
  };
  const Row rows[] = {
      {"4111111111111111", 200, ""},
      {"5555555555554444", 200, ""},
      {"378282246310005", 200, ""},
      {"6011111111111117", 200, ""},
      {"4242424242424242", 200, ""},  // not in the table: approved
      {"4000000000000002", 402, "card_declined"},
      {"4000000000009995", 402, "insufficient_funds"},
      {"4000000000000069", 402, "expired_card"},
      {"4000000000000127", 402, "incorrect_cvc"},
      {"4000000000000119", 502, "processing_error"},
  };
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("user-1");
  for (const Row& row : rows) {
    for (bool saved : {false, true}) {
      INFO(row.number << (saved ? " saved" : " fresh"));
      json method =
          saved ? wallet_method("wallet_credit", merchant.save_card(customer.at("uid"), row.number))
                : credit_method(merchant.mint_card(row.number));
      json body = payment_body(method);
      json validated = validate_ok(merchant, body);
      auto captured = merchant.post(path_of(validated, "capture"), capture_body(body, validated));
      INFO(captured.body);
      REQUIRE(captured.status == row.status);
      std::string code = row.code;
      std::string status = merchant.get(path_of(validated)).json_body().at("status");
      if (code.empty()) {
        CHECK(status == "completed");
      } else {
        CHECK(captured.json_body().at("code") == code);
        CHECK(captured.json_body().at("recoverable") == true);
        // A decline fails the payment for good; a processing error leaves it
        // validated so the merchant may retry.
        CHECK(status == (row.status == 402 ? "failed" : "validated"));
      }
    }
  }
}

TEST_CASE("a declined payment stays failed and a processing error can be retried",
          "[http][payments]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  SECTION("decline") {
    json body = payment_body(credit_method(merchant.mint_card("4000000000000002")));
    json validated = validate_ok(merchant, body);
    CHECK(merchant.post(path_of(validated, "capture"), capture_body(body, validated)).status ==
          402);
    auto again = merchant.post(path_of(validated, "capture"), capture_body(body, validated));
    CHECK(again.status == 409);
    json payment = merchant.get(path_of(validated)).json_body();
    CHECK(payment.at("status") == "failed");
    CHECK(payment.at("failure_code") == "card_declined");
    json failed = events_of(merchant, "payment.failed");
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].at("data").at("uid") == validated.at("uid"));
    CHECK(failed[0].at("data").at("status") == "failed");
  }
  SECTION("processing error") {
    json body = payment_body(credit_method(merchant.mint_card("4000000000000119")));
    json validated = validate_ok(merchant, body);
    for (int attempt = 0; attempt < 2; ++attempt)
      CHECK(merchant.post(path_of(validated, "capture"), capture_body(body, validated)).status ==
            502);
    CHECK(merchant.get(path_of(validated)).json_body().at("status") == "validated");
    CHECK(events_of(merchant, "payment.failed").empty());
  }
}

TEST_CASE("a capture that differs from its validation names the first differing field",
          "[http][payments]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json body = payment_body(credit_method(merchant.mint_card()), 10000, 500);
  json validated = validate_ok(merchant, body);
  json capture = capture_body(body, validated);
  std::string field;
  SECTION("base_amount") {
    field = "base_amount";
    capture[field] = 10001;
  }
  SECTION("tax_amount") {
    field = "tax_amount";
    capture[field] = 0;
  }
  SECTION("currency") {
    field = "currency";
    capture[field] = "EUR";
  }
  SECTION("reference_id") {
    field = "reference_id";
    capture[field] = "order-2";
  }
  SECTION("payment_method") {
    field = "payment_method";
    capture[field]["credit"]["holder_name"] = "Someone Else";
  }
  SECTION("processing_fee_amount") {
    field = "processing_fee_amount";
    capture[field] = 0;
  }
  SECTION("total_amount") {
    field = "total_amount";
    capture[field] = 1;
  }
  SECTION("two fields: the first one in body order is named") {
    field = "tax_amount";
    capture["tax_amount"] = 1;
    capture["processing_fee_amount"] = 1;
  }
  auto reply = merchant.post(path_of(validated, "capture"), capture);
  INFO(reply.body);
  REQUIRE(reply.status == 409);
  CHECK(reply.json_body().at("code") == "conflict");
  CHECK(reply.json_body().at("param") == field);
  CHECK(merchant.get(path_of(validated)).json_body().at("status") == "validated");
  // The exact repeat still goes through afterwards.
  CHECK(merchant.post(path_of(validated, "capture"), capture_body(body, validated)).status == 200);
}

TEST_CASE("a capture must send processing_fee_amount and may repeat total_amount",
          "[http][payments]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json body = payment_body(credit_method(merchant.mint_card()));
  json validated = validate_ok(merchant, body);
  auto missing = merchant.post(path_of(validated, "capture"), body);
  CHECK(missing.status == 400);
  CHECK(missing.json_body().at("param") == "processing_fee_amount");
  json capture = capture_body(body, validated);
  capture["total_amount"] = validated.at("total_amount");
  CHECK(merchant.post(path_of(validated, "capture"), capture).status == 200);
}

TEST_CASE("refunds take partial amounts until the payment is fully refunded", "[http][payments]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json body = payment_body(credit_method(merchant.mint_card()), 10000);
  json validated = validate_ok(merchant, body);
  const std::int64_t total = validated.at("total_amount");  // 10298
  SECTION("a payment that is not completed cannot be refunded") {
    auto early = merchant.post(path_of(validated, "refund"), json::object());
    CHECK(early.status == 409);
    CHECK(early.json_body().at("code") == "conflict");
  }
  REQUIRE(merchant.post(path_of(validated, "capture"), capture_body(body, validated)).status ==
          200);
  SECTION("partial, then more than left, then the rest") {
    auto partial = merchant.post(path_of(validated, "refund"), {{"amount", 3000}});
    REQUIRE(partial.status == 200);
    CHECK(partial.json_body().at("status") == "partially_refunded");
    CHECK(partial.json_body().at("refunded_amount") == 3000);

    auto too_much = merchant.post(path_of(validated, "refund"), {{"amount", total - 3000 + 1}});
    CHECK(too_much.status == 400);
    CHECK(too_much.json_body().at("param") == "amount");

    auto rest = merchant.post(path_of(validated, "refund"), json::object());
    REQUIRE(rest.status == 200);
    CHECK(rest.json_body().at("status") == "refunded");
    CHECK(rest.json_body().at("refunded_amount") == total);

    auto after = merchant.post(path_of(validated, "refund"), {{"amount", 1}});
    CHECK(after.status == 409);
    json refunded = events_of(merchant, "payment.refunded");
    REQUIRE(refunded.size() == 2);
    CHECK(refunded[0].at("data").at("refunded_amount") == 3000);
    CHECK(refunded[1].at("data").at("status") == "refunded");
  }
  SECTION("an empty body refunds the whole total") {
    auto full = merchant.post(path_of(validated, "refund"), json::object());
    REQUIRE(full.status == 200);
    CHECK(full.json_body().at("status") == "refunded");
    CHECK(full.json_body().at("refunded_amount") == total);
  }
  SECTION("a zero amount is a 400 naming amount") {
    auto zero = merchant.post(path_of(validated, "refund"), {{"amount", 0}});
    CHECK(zero.status == 400);
    CHECK(zero.json_body().at("param") == "amount");
  }
}

TEST_CASE("the fee follows the account's fee rules and rounds half up", "[http][payments]") {
  TestSandbox sandbox;
  json account = sandbox.create_account({{"fee_rules",
                                          {{"credit", {{"percent_bps", 250}, {"fixed", 0}}},
                                           {"ach", {{"percent_bps", 100}, {"fixed", 25}}}}}});
  Merchant merchant(sandbox, account.at("uid"));
  // 2.5 % of 30 = 0.75 -> 1; of 10 = 0.25 -> 0; of 20 = 0.5 -> 1 (half up).
  CHECK(validate_ok(merchant, payment_body(credit_method(merchant.mint_card()), 30))
            .at("processing_fee_amount") == 1);
  CHECK(validate_ok(merchant, payment_body(credit_method(merchant.mint_card()), 10))
            .at("processing_fee_amount") == 0);
  CHECK(validate_ok(merchant, payment_body(credit_method(merchant.mint_card()), 15, 5))
            .at("processing_fee_amount") == 1);
  // ACH: 1 % of 150 = 1.5 -> 2, plus 25.
  CHECK(validate_ok(merchant, payment_body(ach_method(merchant.mint_ach()), 150))
            .at("processing_fee_amount") == 27);

  SECTION("changed fee rules apply to the next validation") {
    auto put = sandbox.client().put("/_sandbox/accounts/" + merchant.account() + "/fee-rules",
                                    {{"credit", {{"percent_bps", 0}, {"fixed", 99}}}});
    REQUIRE(put.status == 200);
    CHECK(put.json_body().at("fee_rules").at("credit").at("fixed") == 99);
    CHECK(put.json_body().at("fee_rules").at("ach").at("fixed") == 25);
    CHECK(validate_ok(merchant, payment_body(credit_method(merchant.mint_card()), 10000))
              .at("processing_fee_amount") == 99);
  }
}

TEST_CASE("validation refuses what the account or the token does not allow", "[http][payments]") {
  TestSandbox sandbox;
  json account = sandbox.create_account(
      {{"enable_ach", false}, {"minimum_payment_amount", 1.0}, {"maximum_payment_amount", 500.0}});
  Merchant merchant(sandbox, account.at("uid"));
  json card = credit_method(merchant.mint_card());
  auto expect_400 = [&](const json& body, const std::string& param) {
    auto reply = merchant.post("/api/payments", body);
    INFO(reply.body);
    CHECK(reply.status == 400);
    CHECK(reply.json_body().at("code") == "validation_error");
    CHECK(reply.json_body().at("param") == param);
  };
  SECTION("a disabled method kind") {
    expect_400(payment_body(ach_method(merchant.mint_ach())), "payment_method.payment_method_type");
  }
  SECTION("an amount under the minimum or over the maximum") {
    expect_400(payment_body(card, 99), "base_amount");
    expect_400(payment_body(card, 40000, 10001), "base_amount");
    CHECK(merchant.post("/api/payments", payment_body(card, 40000, 10000)).status == 201);
  }
  SECTION("a currency other than USD") {
    json body = payment_body(card);
    body["currency"] = "EUR";
    expect_400(body, "currency");
  }
  SECTION("an unknown token") {
    json method = card;
    method["credit"]["fingerprint"] = "ptok_nothere";
    expect_400(payment_body(method), "payment_method.credit.fingerprint");
  }
  SECTION("an expired token, also at capture") {
    json body = payment_body(card);
    json validated = validate_ok(merchant, body);
    merchant.advance(900);
    expect_400(payment_body(card), "payment_method.credit.fingerprint");
    auto capture = merchant.post(path_of(validated, "capture"), capture_body(body, validated));
    CHECK(capture.status == 400);
    CHECK(capture.json_body().at("param") == "payment_method.credit.fingerprint");
  }
  SECTION("card details that disagree with the token") {
    json method = card;
    method["credit"]["last4"] = "4242";
    expect_400(payment_body(method), "payment_method.credit.last4");
  }
  SECTION("missing and unknown fields") {
    json body = payment_body(card);
    body.erase("currency");
    expect_400(body, "currency");
    body = payment_body(card);
    body["tax_amount"] = -1;
    expect_400(body, "tax_amount");
    body = payment_body(card);
    body["surprise"] = 1;
    expect_400(body, "surprise");
    body = payment_body(card, 0);
    expect_400(body, "base_amount");
    expect_400(payment_body({{"payment_method_type", "wallet_credit"}, {"wallet", json::object()}}),
               "payment_method.wallet.saved_payment_method_uid");
  }
}

TEST_CASE("a wallet payment needs a live saved method of the right kind in this account",
          "[http][payments]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  Merchant other(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("user-1");
  const std::string customer_uid = customer.at("uid");
  json card = merchant.save_card(customer_uid);
  const std::string spm = card.at("saved_payment_method_uid");

  SECTION("SPM_ names the same method as spm_") {
    json method = wallet_method("wallet_credit", card);
    method["wallet"]["saved_payment_method_uid"] = "SPM_" + spm.substr(4);
    json validated = validate_ok(merchant, payment_body(method));
    CHECK(validated.at("payment_method").at("wallet").at("saved_payment_method_uid") == spm);
  }
  SECTION("a kind that does not match the saved method is a 400") {
    auto reply = merchant.post("/api/payments", payment_body(wallet_method("wallet_ach", card)));
    CHECK(reply.status == 400);
    CHECK(reply.json_body().at("param") == "payment_method.payment_method_type");
  }
  SECTION("a deleted method is a 404") {
    REQUIRE(merchant.del("/api/customers/" + customer_uid + "/payment-methods/" + spm).status ==
            204);
    auto reply = merchant.post("/api/payments", payment_body(wallet_method("wallet_credit", card)));
    CHECK(reply.status == 404);
    CHECK(reply.json_body().at("code") == "not_found");
  }
  SECTION("another account's method is a 404") {
    auto reply = other.post("/api/payments", payment_body(wallet_method("wallet_credit", card)));
    CHECK(reply.status == 404);
  }
}

TEST_CASE("payments are listed with $filter on reference_id and status and stay in their account",
          "[http][payments]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  Merchant other(sandbox, sandbox.create_account().at("uid"));
  json first_body = payment_body(credit_method(merchant.mint_card()), 1000, 0, "order-a");
  json first = validate_ok(merchant, first_body);
  validate_ok(merchant, payment_body(credit_method(merchant.mint_card()), 2000, 0, "order-b"));
  REQUIRE(merchant.post(path_of(first, "capture"), capture_body(first_body, first)).status == 200);

  auto by_reference = merchant.get("/api/payments?$filter=reference_id%20eq%20'order-a'");
  REQUIRE(by_reference.status == 200);
  REQUIRE(by_reference.json_body().size() == 1);
  CHECK(by_reference.json_body()[0].at("uid") == first.at("uid"));

  auto validated = merchant.get("/api/payments?$filter=status%20eq%20'validated'");
  REQUIRE(validated.json_body().size() == 1);
  CHECK(validated.json_body()[0].at("reference_id") == "order-b");

  CHECK(merchant.get("/api/payments").json_body().size() == 2);
  CHECK(merchant.get("/api/payments?$filter=currency%20eq%20'USD'").status == 400);

  CHECK(other.get("/api/payments").json_body().empty());
  CHECK(other.get(path_of(first)).status == 404);
  CHECK(other.post(path_of(first, "refund"), json::object()).status == 404);

  SECTION("an account reset removes its payments") {
    REQUIRE(sandbox.client()
                .post("/_sandbox/accounts/" + merchant.account() + "/reset", json::object())
                .status == 200);
    CHECK(merchant.get("/api/payments").json_body().empty());
    CHECK(merchant.get(path_of(first)).status == 404);
  }
}

TEST_CASE("each payment transition writes its event with the payment as data",
          "[http][payments][events]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json body = payment_body(credit_method(merchant.mint_card()));
  json validated = validate_ok(merchant, body);
  CHECK(events_of(merchant, "payment.completed").empty());
  json captured =
      merchant.post(path_of(validated, "capture"), capture_body(body, validated)).json_body();
  json completed = events_of(merchant, "payment.completed");
  REQUIRE(completed.size() == 1);
  CHECK(completed[0].at("webhook_id").get<std::string>().rfind("evt_", 0) == 0);
  CHECK(completed[0].at("timestamp").is_number_integer());
  CHECK(completed[0].at("data") == captured);
  json refunded = merchant.post(path_of(validated, "refund"), {{"amount", 100}}).json_body();
  json events = events_of(merchant, "payment.refunded");
  REQUIRE(events.size() == 1);
  CHECK(events[0].at("data") == refunded);
}

TEST_CASE("payments survive a restart on the same --db file", "[http][payments][db]") {
  TempDb db;
  paysandbox::Options options;
  options.db_path = db.path();
  std::string account;
  json validated;
  json body;
  {
    TestSandbox sandbox(options);
    account = sandbox.create_account().at("uid");
    Merchant merchant(sandbox, account);
    body = payment_body(wallet_method("wallet_credit",
                                      merchant.save_card(merchant.create_customer("u").at("uid"))));
    validated = validate_ok(merchant, body);
  }
  TestSandbox sandbox(options);
  Merchant merchant(sandbox, account);
  auto read = merchant.get(path_of(validated));
  REQUIRE(read.status == 200);
  CHECK(read.json_body() == validated);
  CHECK(merchant.post(path_of(validated, "capture"), capture_body(body, validated)).status == 200);
}

TEST_CASE("the processor-outage scenario fails three captures, then the retry captures",
          "[http][payments][scenarios]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  std::ifstream file(std::string(PAYSANDBOX_SOURCE_DIR) + "/scenarios/processor-outage.json");
  std::stringstream text;
  text << file.rdbuf();
  REQUIRE(merchant.control_post("/_sandbox/scenarios", json::parse(text.str())).status == 201);
  json body = payment_body(credit_method(merchant.mint_card()));
  json validated = validate_ok(merchant, body);
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto down = merchant.post(path_of(validated, "capture"), capture_body(body, validated));
    CHECK(down.status == 502);
    CHECK(down.json_body().at("code") == "processing_error");
  }
  CHECK(merchant.get(path_of(validated)).json_body().at("status") == "validated");
  auto back = merchant.post(path_of(validated, "capture"), capture_body(body, validated));
  CHECK(back.status == 200);
  CHECK(back.json_body().at("status") == "completed");
}
