// Webhook chaos: scenario rules on deliveries (duplicate, reorder, delay,
// drop, bad_signature), driven by a real receiver and the sandbox clock.
#include <fstream>
#include <set>

#include "paysandbox/sandbox.h"
#include "support/catch.h"
#include "support/harness.h"
#include "support/receiver.h"

using namespace testing;

namespace {

struct Hooked {
  Hooked(TestSandbox& sandbox, const std::string& url)
      : account(sandbox.create_account({{"callback_url", url}})),
        merchant(sandbox, account.at("uid"), sandbox.token()) {}
  json account;
  Merchant merchant;
  std::string secret() const { return account.at("webhook_secret"); }
};

void load_rule(Merchant& merchant, const json& rule) {
  json scenario = {{"name", "chaos"}, {"rules", json::array({rule})}};
  REQUIRE(merchant.control_post("/_sandbox/scenarios", scenario).status == 201);
}

json trigger(Merchant& merchant, const std::string& type) {
  auto reply = merchant.control_post("/_sandbox/webhooks/trigger", {{"event_type", type}});
  REQUIRE(reply.status == 201);
  return reply.json_body();
}

json deliveries(Merchant& merchant) {
  merchant.advance(0);  // answers once every due attempt is recorded
  auto reply = merchant.control_get("/_sandbox/webhooks/deliveries");
  REQUIRE(reply.status == 200);
  return reply.json_body();
}

json delivery_rule(const std::string& event_type, const json& action) {
  return {{"on", "delivery"},
          {"match", {{"event_type", event_type}}},
          {"times", 1},
          {"action", action}};
}

}  // namespace

TEST_CASE("a duplicate rule delivers one envelope several times under one webhook_id",
          "[http][webhooks][chaos]") {
  Receiver receiver;
  TestSandbox sandbox;
  Hooked hooked(sandbox, receiver.url());
  load_rule(hooked.merchant,
            delivery_rule("payment.completed", {{"type", "duplicate"}, {"copies", 3}}));
  json first = trigger(hooked.merchant, "payment.completed");
  json log = deliveries(hooked.merchant);
  REQUIRE(receiver.wait_for(3));
  auto got = receiver.received();
  REQUIRE(got.size() == 3);
  for (const auto& r : got) {
    CHECK(r.body == got[0].body);
    CHECK(envelope(r).at("webhook_id") == first.at("webhook_id"));
    CHECK(signature_valid(hooked.secret(), r));
  }
  REQUIRE(log.size() == 3);
  for (std::size_t i = 0; i < log.size(); ++i) {
    CHECK(log[i].at("chaos") == "duplicate");
    CHECK(log[i].at("attempt") == static_cast<int>(i) + 1);
    CHECK(log[i].at("status_code") == 200);
  }
  // times: 1 - the next event is delivered once, as usual.
  trigger(hooked.merchant, "payment.completed");
  log = deliveries(hooked.merchant);
  REQUIRE(log.size() == 4);
  CHECK(log[3].at("chaos").is_null());
}

TEST_CASE("a reorder rule holds an event back until the account's next event is delivered",
          "[http][webhooks][chaos]") {
  Receiver receiver;
  TestSandbox sandbox;
  Hooked hooked(sandbox, receiver.url());
  load_rule(hooked.merchant, delivery_rule("payment.refunded", {{"type", "reorder"}}));
  json held = trigger(hooked.merchant, "payment.refunded");
  hooked.merchant.advance(3600);  // the clock alone does not release it
  CHECK(deliveries(hooked.merchant).empty());
  CHECK(receiver.received().empty());
  json next = trigger(hooked.merchant, "payment.completed");
  json log = deliveries(hooked.merchant);
  REQUIRE(receiver.wait_for(2));
  auto got = receiver.received();
  CHECK(envelope(got[0]).at("webhook_id") == next.at("webhook_id"));
  CHECK(envelope(got[1]).at("webhook_id") == held.at("webhook_id"));
  REQUIRE(log.size() == 2);
  CHECK(log[0].at("chaos").is_null());
  CHECK(log[1].at("webhook_id") == held.at("webhook_id"));
  CHECK(log[1].at("chaos") == "reorder");
}

TEST_CASE("a delay rule delivers after that many seconds of the account's clock",
          "[http][webhooks][chaos]") {
  Receiver receiver;
  TestSandbox sandbox;
  Hooked hooked(sandbox, receiver.url());
  load_rule(hooked.merchant, delivery_rule("provider.*", {{"type", "delay"}, {"seconds", 600}}));
  json late = trigger(hooked.merchant, "provider.nsf");
  hooked.merchant.advance(599);
  CHECK(deliveries(hooked.merchant).empty());
  hooked.merchant.advance(1);
  json log = deliveries(hooked.merchant);
  REQUIRE(log.size() == 1);
  CHECK(log[0].at("webhook_id") == late.at("webhook_id"));
  CHECK(log[0].at("chaos") == "delay");
  CHECK(log[0].at("status_code") == 200);
  REQUIRE(receiver.wait_for(1));
}

TEST_CASE("a drop rule records a failed attempt with error dropped, then retries on schedule",
          "[http][webhooks][chaos]") {
  Receiver receiver;
  TestSandbox sandbox;
  Hooked hooked(sandbox, receiver.url());
  load_rule(hooked.merchant, delivery_rule("provider.noc", {{"type", "drop"}}));
  json event = trigger(hooked.merchant, "provider.noc");
  json log = deliveries(hooked.merchant);
  REQUIRE(log.size() == 1);
  CHECK(log[0].at("error") == "dropped");
  CHECK(log[0].at("status_code").is_null());
  CHECK(log[0].at("chaos") == "drop");
  CHECK(receiver.received().empty());
  hooked.merchant.advance(59);
  CHECK(deliveries(hooked.merchant).size() == 1);
  hooked.merchant.advance(1);
  log = deliveries(hooked.merchant);
  REQUIRE(log.size() == 2);
  CHECK(log[1].at("status_code") == 200);
  CHECK(log[1].at("chaos").is_null());
  REQUIRE(receiver.wait_for(1));
  CHECK(envelope(receiver.received()[0]).at("webhook_id") == event.at("webhook_id"));
}

TEST_CASE("a bad_signature rule signs with a wrong secret; refused, it is retried correctly signed",
          "[http][webhooks][chaos]") {
  Receiver receiver(401);  // the merchant checks signatures and refuses
  TestSandbox sandbox;
  Hooked hooked(sandbox, receiver.url());
  load_rule(hooked.merchant, delivery_rule("*", {{"type", "bad_signature"}}));
  trigger(hooked.merchant, "provider.chargeback");
  json log = deliveries(hooked.merchant);
  REQUIRE(receiver.wait_for(1));
  CHECK_FALSE(signature_valid(hooked.secret(), receiver.received()[0]));
  REQUIRE(log.size() == 1);
  CHECK(log[0].at("chaos") == "bad_signature");
  CHECK(log[0].at("status_code") == 401);
  receiver.answer(200);
  hooked.merchant.advance(60);
  REQUIRE(receiver.wait_for(2));
  CHECK(signature_valid(hooked.secret(), receiver.received()[1]));
  log = deliveries(hooked.merchant);
  REQUIRE(log.size() == 2);
  CHECK(log[1].at("chaos").is_null());
}

TEST_CASE(
    "against webhook-chaos.json a handler that dedupes by webhook_id passes, one that does "
    "not fails",
    "[http][webhooks][chaos][scenarios]") {
  const std::string path = std::string(PAYSANDBOX_SOURCE_DIR) + "/scenarios/webhook-chaos.json";
  REQUIRE(paysandbox::check_scenario_file(path).empty());
  Receiver receiver;
  TestSandbox sandbox;
  Hooked hooked(sandbox, receiver.url());
  std::ifstream in(path);
  json scenario = json::parse(in);
  REQUIRE(hooked.merchant.control_post("/_sandbox/scenarios", scenario).status == 201);
  json paid = trigger(hooked.merchant, "payment.completed");
  deliveries(hooked.merchant);
  REQUIRE(receiver.wait_for(3));
  // Credits the merchant's ledger once per webhook it is handed.
  std::size_t naive_credits = 0;
  std::set<std::string> seen;
  for (const auto& r : receiver.received()) {
    ++naive_credits;
    seen.insert(envelope(r).at("webhook_id").get<std::string>());
  }
  CHECK(naive_credits == 3);  // the naive handler credited one payment three times
  CHECK(seen.size() == 1);    // the deduping one credited it once
  CHECK(*seen.begin() == paid.at("webhook_id"));
}

TEST_CASE("an invalid delivery rule is a 400 naming the JSON path and what was expected",
          "[http][scenarios][chaos]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  auto check = [&](const json& rule, const std::string& param) {
    json scenario = {{"name", "x"}, {"rules", json::array({rule})}};
    auto reply = merchant.control_post("/_sandbox/scenarios", scenario);
    CHECK(reply.status == 400);
    CHECK(reply.json_body().value("param", "") == param);
  };
  check({{"on", "response"}, {"action", {{"type", "drop"}}}}, "rules[0].on");
  check({{"on", "delivery"}, {"action", {{"type", "explode"}}}}, "rules[0].action.type");
  check({{"on", "delivery"}, {"action", {{"type", "delay"}}}}, "rules[0].action.seconds");
  check({{"on", "delivery"}, {"action", {{"type", "duplicate"}, {"copies", 1}}}},
        "rules[0].action.copies");
  check({{"on", "delivery"},
         {"match", {{"event_type", "payment.exploded"}}},
         {"action", {{"type", "drop"}}}},
        "rules[0].match.event_type");
  check({{"on", "delivery"}, {"match", {{"path", "/api/x"}}}, {"action", {{"type", "drop"}}}},
        "rules[0].match.path");
  auto reply = merchant.control_post(
      "/_sandbox/scenarios",
      {{"name", "x"}, {"rules", {{{"on", "delivery"}, {"action", {{"type", "delay"}}}}}}});
  CHECK(reply.json_body().at("message").get<std::string>().find("seconds") != std::string::npos);
}
