// The scenario reader (wire/scenario_json.cc): typed results, and errors that
// name the JSON path at fault and what was expected there.
#include "support/catch.h"
#include "wire/scenario_json.h"

using namespace paysandbox;

namespace {

Error error_of(const std::string& text) {
  auto scenario = parse_scenario(text);
  REQUIRE_FALSE(scenario.ok());
  return scenario.error();
}

}  // namespace

TEST_CASE("a scenario document reads into types, JSON kept only as canonical text",
          "[unit][scenario]") {
  auto scenario = parse_scenario(R"({
    "name": "all of it",
    "rules": [
      {"match": {"method": "POST", "path": "/api/payments",
                 "body": {"payment_method.payment_method_type": "wallet_ach", "base_amount": 100}},
       "action": {"type": "error", "status": 402, "code": "card_declined"}, "times": 2},
      {"on": "delivery", "match": {"event_type": "payment.*"},
       "action": {"type": "delay", "seconds": 30}}
    ],
    "timeline": [
      {"at_seconds": 5, "step": "trigger_webhook", "event_type": "provider.chargeback",
       "data": {"z": 1, "a": {"y": true}}},
      {"at_seconds": 10, "step": "noc", "methods": "all_ach",
       "set": {"account_number_suffix": "9999", "routing_number": "021000021"}}
    ]
  })");
  REQUIRE(scenario.ok());
  REQUIRE(scenario->rules.size() == 2);
  const Rule& request_rule = scenario->rules[0];
  CHECK(request_rule.action.status == 402);
  CHECK(request_rule.times == 2);
  REQUIRE(request_rule.match.body.size() == 2);
  CHECK(request_rule.match.body[0] == std::pair<std::string, std::string>{"base_amount", "100"});
  CHECK(request_rule.match.body[1] == std::pair<std::string, std::string>{
                                          "payment_method.payment_method_type", "\"wallet_ach\""});
  const Rule& delivery_rule = scenario->rules[1];
  CHECK(delivery_rule.on == RuleOn::kDelivery);
  CHECK(delivery_rule.chaos.type == ChaosType::kDelay);
  CHECK(delivery_rule.chaos.delay == 30 * kSecond);

  REQUIRE(scenario->timeline.size() == 2);
  const Step& trigger = scenario->timeline[0];
  CHECK(trigger.event_type == EventType::kProviderChargeback);
  CHECK(trigger.data == R"({"a":{"y":true},"z":1})");
  const Step& noc = scenario->timeline[1];
  CHECK(noc.type == StepType::kNoc);
  CHECK(noc.methods == "all_ach");
  CHECK(noc.set.account_number_suffix == "9999");
  CHECK(noc.set.routing_number == "021000021");
  CHECK_FALSE(noc.set.exp_month.has_value());

  REQUIRE(scenario->rule_sources.size() == 2);
  CHECK(scenario->step_sources[1] ==
        R"({"at_seconds":10,"methods":"all_ach","set":{"account_number_suffix":"9999",)"
        R"("routing_number":"021000021"},"step":"noc"})");
}

TEST_CASE("a trigger step without data sends an empty object", "[unit][scenario]") {
  auto scenario = parse_scenario(
      R"({"name":"n","timeline":[{"at_seconds":0,"step":"trigger_webhook","event_type":"ivr.completed"}]})");
  REQUIRE(scenario.ok());
  CHECK(scenario->timeline[0].event_type == EventType::kIvrCompleted);
  CHECK(scenario->timeline[0].data == "{}");
}

TEST_CASE("scenario errors name the JSON path and what was expected", "[unit][scenario]") {
  SECTION("text that is not JSON") {
    Error e = error_of("{nope");
    CHECK(e.param == "$");
    CHECK_THAT(e.message, Catch::Matchers::ContainsSubstring("expected a JSON document"));
  }
  SECTION("a status out of range") {
    Error e = error_of(R"({"name":"n","rules":[{"action":{"type":"error","status":200}}]})");
    CHECK(e.param == "rules[0].action.status");
    CHECK_THAT(e.message,
               Catch::Matchers::ContainsSubstring("expected an integer from 400 to 599"));
  }
  SECTION("an event type outside the catalogue") {
    Error e = error_of(
        R"({"name":"n","timeline":[{"at_seconds":1,"step":"trigger_webhook","event_type":"payment.lost"}]})");
    CHECK(e.param == "timeline[0].event_type");
    CHECK_THAT(e.message, Catch::Matchers::ContainsSubstring("payment.completed"));
    CHECK_THAT(e.message, Catch::Matchers::ContainsSubstring("got 'payment.lost'"));
  }
  SECTION("a noc value of the wrong shape") {
    Error e = error_of(
        R"({"name":"n","timeline":[{"at_seconds":1,"step":"noc","set":{"last4":"12a4"}}]})");
    CHECK(e.param == "timeline[0].set.last4");
    CHECK_THAT(e.message, Catch::Matchers::ContainsSubstring("expected 4 digits"));
  }
  SECTION("a noc step that changes nothing") {
    Error e = error_of(R"({"name":"n","timeline":[{"at_seconds":1,"step":"noc","set":{}}]})");
    CHECK(e.param == "timeline[0].set");
  }
  SECTION("a delivery action outside the chaos table") {
    Error e = error_of(R"({"name":"n","rules":[{"on":"delivery","action":{"type":"explode"}}]})");
    CHECK(e.param == "rules[0].action.type");
    CHECK_THAT(e.message, Catch::Matchers::ContainsSubstring(
                              "expected one of duplicate, reorder, delay, drop, bad_signature"));
  }
  SECTION("an unknown field") {
    Error e = error_of(R"({"name":"n","rules":[{"action":{"type":"drop_connection"},"when":1}]})");
    CHECK(e.param == "rules[0].when");
    CHECK_THAT(e.message, Catch::Matchers::ContainsSubstring("unknown field"));
  }
}
