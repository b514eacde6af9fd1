#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

namespace {

std::int64_t objects_in(const json& stats, const std::string& table) {
  return stats.at("store").at("objects").at(table).get<std::int64_t>();
}

const json* route_in(const json& stats, const std::string& route) {
  for (const auto& r : stats.at("routes"))
    if (r.at("route") == route) return &r;
  return nullptr;
}

}  // namespace

TEST_CASE("/_sandbox/stats counts objects, requests and per-route latency as they move",
          "[http][stats]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  Client client = sandbox.client();

  auto first = client.get("/_sandbox/stats");
  REQUIRE(first.status == 200);
  const json before = first.json_body();
  CHECK(before.at("store").at("kind") == (store_kind() == "file" ? "file" : "memory"));
  CHECK(before.at("store").at("database_bytes").get<std::int64_t>() > 0);
  CHECK(before.at("process").at("rss_bytes").get<std::int64_t>() > 1 << 20);
  CHECK(before.at("connections").at("open").get<std::int64_t>() >= 1);
  CHECK(before.at("journal").at("capacity").get<std::int64_t>() > 0);
  REQUIRE(before.at("event_log").contains("events"));

  const std::string customer = merchant.create_customer("stats-1").at("uid");
  merchant.create_customer("stats-2");
  merchant.create_customer("stats-3");
  merchant.save_card(customer);
  REQUIRE(merchant.get("/api/customers/" + customer).status == 200);

  const json after = client.get("/_sandbox/stats").json_body();
  CHECK(objects_in(after, "customers") == objects_in(before, "customers") + 3);
  CHECK(objects_in(after, "saved_methods") == objects_in(before, "saved_methods") + 1);
  CHECK(after.at("requests_served").get<std::int64_t>() >=
        before.at("requests_served").get<std::int64_t>() + 5);
  CHECK(after.at("journal").at("entries").get<std::int64_t>() >
        before.at("journal").at("entries").get<std::int64_t>());
  CHECK(after.at("event_log").at("events").get<std::int64_t>() >=
        before.at("event_log").at("events").get<std::int64_t>());

  const json* created = route_in(after, "POST /api/customers");
  REQUIRE(created != nullptr);
  CHECK(created->at("count").get<int>() == 3);
  CHECK(created->at("p50_ms").get<double>() > 0);
  CHECK(created->at("p99_ms").get<double>() >= created->at("p50_ms").get<double>());
  const json* read = route_in(after, "GET /api/customers/{}");
  REQUIRE(read != nullptr);
  CHECK(read->at("count").get<int>() == 1);
  CHECK(route_in(before, "POST /api/customers") == nullptr);

  SECTION("requests no route takes are counted apart") {
    REQUIRE(client.get("/no/such/route").status == 404);
    const json later = client.get("/_sandbox/stats").json_body();
    const json* unmatched = route_in(later, "unmatched");
    REQUIRE(unmatched != nullptr);
    CHECK(unmatched->at("count").get<int>() == 1);
  }
}

TEST_CASE("/_sandbox/stats asks for the control token like every control route", "[http][stats]") {
  paysandbox::Options options;
  options.control_token = "stats-secret";
  TestSandbox sandbox(options);
  Client client = sandbox.client();
  CHECK(client.get("/_sandbox/stats").status == 401);
  auto allowed = client.get("/_sandbox/stats", {{"X-Sandbox-Token", "stats-secret"}});
  CHECK(allowed.status == 200);
}
