#include <thread>

#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

namespace {

httplib::Headers keyed(const std::string& key) { return {{"Idempotency-Key", key}}; }

json card_payment(const json& method, const std::string& reference = "order-1") {
  return {{"base_amount", 5000},
          {"tax_amount", 0},
          {"currency", "USD"},
          {"reference_id", reference},
          {"payment_method", method}};
}

json wallet_card(const json& saved) {
  return {{"payment_method_type", "wallet_credit"},
          {"wallet", {{"saved_payment_method_uid", saved.at("saved_payment_method_uid")}}}};
}

// Sends the same request twice with one key; checks the second is a replay
// of the first, byte for byte, and returns the first.
Reply twice(Merchant& merchant, const std::string& path, const json& body, const std::string& key) {
  auto first = merchant.post(path, body, keyed(key));
  auto second = merchant.post(path, body, keyed(key));
  INFO(first.body);
  CHECK(first.header("Idempotent-Replayed").empty());
  CHECK(second.header("Idempotent-Replayed") == "true");
  CHECK(second.status == first.status);
  CHECK(second.body == first.body);
  CHECK(second.header("X-Request-Id") != first.header("X-Request-Id"));
  return first;
}

}  // namespace

TEST_CASE("a repeated POST with one Idempotency-Key replays the first answer and runs once",
          "[http][idempotency]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));

  SECTION("customer create") {
    auto first = twice(merchant, "/api/customers", {{"reference_id", "user-1"}}, "k-customer");
    CHECK(first.status == 201);
    CHECK(merchant.get("/api/customers").json_body().size() == 1);
  }
  SECTION("method save") {
    const std::string customer = merchant.create_customer("user-1").at("uid");
    json body = {{"payment_method", credit_method(merchant.mint_card())}};
    auto first = twice(merchant, "/api/customers/" + customer + "/payment-methods", body, "k-save");
    CHECK(first.status == 201);
    CHECK(merchant.get("/api/customers/" + customer + "/payment-methods").json_body().size() == 1);
  }
  SECTION("validate, capture and refund") {
    const std::string customer = merchant.create_customer("user-1").at("uid");
    json body = card_payment(wallet_card(merchant.save_card(customer)));
    auto validated = twice(merchant, "/api/payments", body, "k-validate");
    REQUIRE(validated.status == 201);
    CHECK(merchant.get("/api/payments").json_body().size() == 1);
    const std::string uid = validated.json_body().at("uid");
    body["processing_fee_amount"] = validated.json_body().at("processing_fee_amount");
    auto captured = twice(merchant, "/api/payments/" + uid + "/capture", body, "k-capture");
    CHECK(captured.status == 200);
    auto refunded =
        twice(merchant, "/api/payments/" + uid + "/refund", {{"amount", 100}}, "k-refund");
    CHECK(refunded.status == 200);
    json payment = merchant.get("/api/payments/" + uid).json_body();
    CHECK(payment.at("refunded_amount") == 100);
    CHECK(merchant.control_get("/_sandbox/events?type=payment.completed").json_body().size() == 1);
    CHECK(merchant.control_get("/_sandbox/events?type=payment.refunded").json_body().size() == 1);
  }
  SECTION("a 402 decline and a 404 are kept and replayed") {
    json body = card_payment(credit_method(merchant.mint_card("4000000000000002")));
    json validated = merchant.post("/api/payments", body).json_body();
    body["processing_fee_amount"] = validated.at("processing_fee_amount");
    auto declined =
        twice(merchant, "/api/payments/" + validated.at("uid").get<std::string>() + "/capture",
              body, "k-decline");
    CHECK(declined.status == 402);
    auto missing = twice(merchant, "/api/payments/pay_missing/refund", json::object(), "k-404");
    CHECK(missing.status == 404);
  }
  SECTION("a 409 conflict is kept and replayed") {
    merchant.create_customer("user-1");
    auto conflict = twice(merchant, "/api/customers", {{"reference_id", "user-1"}}, "k-409");
    CHECK(conflict.status == 409);
  }
}

TEST_CASE("a validation error is not kept, so a corrected retry with the same key goes through",
          "[http][idempotency]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  auto bad = merchant.post("/api/customers", {{"reference_id", ""}}, keyed("k-1"));
  CHECK(bad.status == 400);
  auto good = merchant.post("/api/customers", {{"reference_id", "user-1"}}, keyed("k-1"));
  CHECK(good.status == 201);
  CHECK(good.header("Idempotent-Replayed").empty());
}

TEST_CASE("the same key with another body or path is a 409 conflict", "[http][idempotency]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  REQUIRE(merchant.post("/api/customers", {{"reference_id", "user-1"}}, keyed("k-1")).status ==
          201);
  auto other_body = merchant.post("/api/customers", {{"reference_id", "user-2"}}, keyed("k-1"));
  CHECK(other_body.status == 409);
  CHECK(other_body.json_body().at("code") == "conflict");
  CHECK(other_body.json_body().at("param") == "Idempotency-Key");
  auto other_path = merchant.post("/api/payments",
                                  card_payment(credit_method(merchant.mint_card())), keyed("k-1"));
  CHECK(other_path.status == 409);
  CHECK(merchant.get("/api/customers").json_body().size() == 1);
  CHECK(merchant.get("/api/payments").json_body().empty());
}

TEST_CASE("keys belong to one account, last 24 hours of its clock, and go with its reset",
          "[http][idempotency]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  Merchant other(sandbox, sandbox.create_account().at("uid"));
  const std::string customer = merchant.create_customer("user-1").at("uid");
  json body = card_payment(wallet_card(merchant.save_card(customer)));
  auto first = merchant.post("/api/payments", body, keyed("k-1"));
  REQUIRE(first.status == 201);

  SECTION("another account's same key is its own") {
    auto theirs = other.post("/api/customers", {{"reference_id", "user-1"}}, keyed("k-1"));
    CHECK(theirs.status == 201);
    CHECK(theirs.header("Idempotent-Replayed").empty());
  }
  SECTION("just under 24 hours it still replays; at 24 hours it runs again") {
    merchant.advance(24 * 3600 - 1);
    CHECK(merchant.post("/api/payments", body, keyed("k-1")).header("Idempotent-Replayed") ==
          "true");
    merchant.advance(1);
    auto again = merchant.post("/api/payments", body, keyed("k-1"));
    REQUIRE(again.status == 201);
    CHECK(again.header("Idempotent-Replayed").empty());
    CHECK(again.json_body().at("uid") != first.json_body().at("uid"));
  }
  SECTION("an account reset forgets the keys") {
    REQUIRE(sandbox.client()
                .post("/_sandbox/accounts/" + merchant.account() + "/reset", json::object())
                .status == 200);
    auto fresh = merchant.post("/api/customers", {{"reference_id", "user-1"}}, keyed("k-1"));
    CHECK(fresh.status == 201);
    CHECK(fresh.header("Idempotent-Replayed").empty());
  }
}

TEST_CASE("a stored answer survives a restart on the same --db file", "[http][idempotency][db]") {
  TempDb db;
  paysandbox::Options options;
  options.db_path = db.path();
  std::string account;
  Reply first;
  {
    TestSandbox sandbox(options);
    account = sandbox.create_account().at("uid");
    Merchant merchant(sandbox, account);
    first = merchant.post("/api/customers", {{"reference_id", "user-1"}}, keyed("k-1"));
    REQUIRE(first.status == 201);
  }
  TestSandbox sandbox(options);
  Merchant merchant(sandbox, account);
  auto replay = merchant.post("/api/customers", {{"reference_id", "user-1"}}, keyed("k-1"));
  CHECK(replay.status == 201);
  CHECK(replay.body == first.body);
  CHECK(replay.header("Idempotent-Replayed") == "true");
}

TEST_CASE("a retry after commit_then_drop replays the committed answer", "[http][idempotency]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  auto loaded = merchant.control_post(
      "/_sandbox/scenarios", {{"name", "lost answer"},
                              {"rules",
                               {{{"match", {{"method", "POST"}, {"path", "/api/payments"}}},
                                 {"times", 1},
                                 {"action", {{"type", "commit_then_drop"}}}}}}});
  REQUIRE(loaded.status == 201);
  json body = card_payment(credit_method(merchant.mint_card()));
  CHECK(merchant.post("/api/payments", body, keyed("k-1")).status == 0);
  auto retry = merchant.post("/api/payments", body, keyed("k-1"));
  REQUIRE(retry.status == 201);
  CHECK(retry.header("Idempotent-Replayed") == "true");
  json payments = merchant.get("/api/payments").json_body();
  REQUIRE(payments.size() == 1);
  CHECK(payments[0].at("uid") == retry.json_body().at("uid"));
}

TEST_CASE("two concurrent requests with one key never make two payments",
          "[http][idempotency][concurrency]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  const std::string customer = merchant.create_customer("user-1").at("uid");
  json body = card_payment(wallet_card(merchant.save_card(customer)));
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    const std::string key = "race-" + std::to_string(round);
    Reply replies[2];
    std::thread threads[2];
    for (int i = 0; i < 2; ++i)
      threads[i] = std::thread([&, i] {
        Merchant mine(sandbox, merchant.account(), merchant.token());
        replies[i] = mine.post("/api/payments", body, keyed(key));
      });
    for (auto& thread : threads) thread.join();
    INFO("round " << round << ": " << replies[0].body << " / " << replies[1].body);
    int created = 0;
    for (const auto& reply : replies) {
      REQUIRE((reply.status == 201 || reply.status == 409));
      if (reply.status == 201) ++created;
      if (reply.status == 409) CHECK(reply.json_body().at("param") == "Idempotency-Key");
    }
    REQUIRE(created >= 1);
    if (created == 2) CHECK(replies[0].body == replies[1].body);
  }
  CHECK(merchant.get("/api/payments").json_body().size() == kRounds);
}
