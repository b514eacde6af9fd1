#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

// The event list is written by hand (the stored data spliced in as it is):
// it must be exactly what serializing the parsed list again gives, and carry
// every event's data whole.
TEST_CASE("the event list is canonical JSON with each event's data as emitted", "[http][events]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  for (const char* type : {"payment.completed", "payment.refunded", "payment.failed"})
    REQUIRE(merchant.control_post("/_sandbox/webhooks/trigger", {{"event_type", type}}).status ==
            201);
  json given = {{"note", "quote \" and \\u00e9 and \\n"}, {"n", 1.5}, {"list", {1, 2, 3}}};
  REQUIRE(merchant
              .control_post("/_sandbox/webhooks/trigger",
                            {{"event_type", "payment.completed"}, {"data", given}})
              .status == 201);

  auto reply = merchant.control_get("/_sandbox/events?limit=100");
  REQUIRE(reply.status == 200);
  const json listed = json::parse(reply.body);
  REQUIRE(listed.size() == 4);
  CHECK(listed.dump() == reply.body);
  CHECK(listed[0].at("event_type") == "payment.completed");
  CHECK(listed[0].at("data").is_object());
  CHECK(listed[0].at("attempts") == 0);
  CHECK(listed[3].at("data") == given);
  CHECK(listed[3].at("webhook_id").get<std::string>().rfind("evt_", 0) == 0);
  CHECK(listed[3].at("delivery_status") == "not_configured");
  CHECK(listed[3].at("timestamp").is_number_integer());
}
