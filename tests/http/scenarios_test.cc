#include <fstream>

#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

namespace {

json load(Merchant& merchant, const json& scenario) {
  auto reply = merchant.control_post("/_sandbox/scenarios", scenario);
  REQUIRE(reply.status == 201);
  return reply.json_body();
}

}  // namespace

TEST_CASE("an error rule answers for as many requests as it is told, then the API is back",
          "[http][scenarios]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  json loaded = load(merchant, {{"name", "outage"},
                                {"rules",
                                 {{{"match", {{"method", "POST"}, {"path", "/api/cust*"}}},
                                   {"times", 2},
                                   {"action",
                                    {{"type", "error"},
                                     {"status", 503},
                                     {"code", "network_error"},
                                     {"message", "down for a test"}}}}}}});
  CHECK(loaded.at("id").get<std::string>().rfind("scn_", 0) == 0);
  for (int i = 0; i < 2; ++i) {
    auto reply = merchant.post("/api/customers", {{"reference_id", "during-outage"}});
    REQUIRE(reply.status == 503);
    CHECK(reply.json_body().at("code") == "network_error");
    CHECK(reply.json_body().at("message") == "down for a test");
    CHECK(reply.json_body().at("recoverable") == true);
    CHECK(reply.json_body().at("request_id") == reply.header("X-Request-Id"));
  }
  // Nothing was created while it was down, and the next create goes through.
  CHECK(merchant.get("/api/customers").json_body().empty());
  CHECK(merchant.post("/api/customers", {{"reference_id", "during-outage"}}).status == 201);
  // GETs never matched the rule.
  CHECK(merchant.get("/api/customers").status == 200);

  json listed = merchant.control_get("/_sandbox/scenarios").json_body();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].at("rules")[0].at("fired") == 2);
  CHECK(listed[0].at("rules")[0].at("remaining") == 0);
}

TEST_CASE("rules match on headers and body fields, and only in the account they were loaded into",
          "[http][scenarios]") {
  TestSandbox sandbox;
  std::string token = sandbox.token();
  Merchant a(sandbox, sandbox.create_account().at("uid"), token);
  Merchant b(sandbox, sandbox.create_account().at("uid"), token);
  load(a, {{"name", "picky"},
           {"rules",
            {{{"match",
               {{"path", "/api/customers"},
                {"headers", {{"x-test-case", "flaky"}}},
                {"body", {{"reference_id", "victim"}}}}},
              {"action", {{"type", "error"}, {"status", 429}}}}}}});
  CHECK(a.post("/api/customers", {{"reference_id", "bystander"}}, {{"X-Test-Case", "flaky"}})
            .status == 201);
  CHECK(a.post("/api/customers", {{"reference_id", "victim"}}).status == 201);
  auto hit = a.post("/api/customers", {{"reference_id", "victim"}}, {{"X-Test-Case", "flaky"}});
  CHECK(hit.status == 429);
  CHECK(hit.json_body().at("code") == "rate_limited");
  CHECK(hit.header("Retry-After") == "1");
  CHECK(b.post("/api/customers", {{"reference_id", "victim"}}, {{"X-Test-Case", "flaky"}}).status ==
        201);
}

TEST_CASE("a concurrent_create rule makes the create lose a race the merchant can recover from",
          "[http][scenarios]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  std::ifstream file(std::string(PAYSANDBOX_SOURCE_DIR) +
                     "/scenarios/customer-create-conflict.json");
  REQUIRE(file);
  load(merchant, json::parse(file));
  auto lost = merchant.post("/api/customers", {{"reference_id", "raced"}});
  REQUIRE(lost.status == 409);
  CHECK(lost.json_body().at("param") == "reference_id");
  json found = merchant.get("/api/customers?$filter=reference_id eq 'raced'").json_body();
  REQUIRE(found.size() == 1);
  // It fired once: the next create of another reference works.
  CHECK(merchant.post("/api/customers", {{"reference_id", "calm"}}).status == 201);
}

TEST_CASE("drop_connection answers nothing and runs nothing; commit_then_drop keeps the write",
          "[http][scenarios]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  load(merchant, {{"name", "flaky network"},
                  {"rules",
                   {{{"match", {{"body", {{"reference_id", "dropped"}}}}},
                     {"times", 1},
                     {"action", {{"type", "drop_connection"}}}},
                    {{"match", {{"body", {{"reference_id", "committed"}}}}},
                     {"times", 1},
                     {"action", {{"type", "commit_then_drop"}}}}}}});
  auto dropped = merchant.post("/api/customers", {{"reference_id", "dropped"}});
  CHECK(dropped.status == 0);
  CHECK(merchant.get("/api/customers?$filter=reference_id eq 'dropped'").json_body().empty());

  auto committed = merchant.post("/api/customers", {{"reference_id", "committed"}});
  CHECK(committed.status == 0);
  CHECK(merchant.get("/api/customers?$filter=reference_id eq 'committed'").json_body().size() == 1);
  // The server is still up for everyone.
  CHECK(sandbox.client().get("/_sandbox/health").status == 200);
  json journal = sandbox.client()
                     .get("/_sandbox/requests?method=POST&path_prefix=/api/customers&account=" +
                          merchant.account())
                     .json_body();
  REQUIRE(journal.size() == 2);
  CHECK(journal[0].at("dropped") == true);
  CHECK(journal[0].at("status") == 0);
  CHECK(journal[1].at("dropped") == true);
  CHECK(journal[1].at("status") == 201);

  SECTION("in-process callers see status 0 too") {
    load(merchant,
         {{"name", "drop all"}, {"rules", {{{"action", {{"type", "drop_connection"}}}}}}});
    auto response = sandbox.sandbox().request("GET", "/api/customers", "",
                                              {{"Authorization", "Bearer " + merchant.token()},
                                               {"X-Payment-Account-Uid", merchant.account()}});
    CHECK(response.status == 0);
  }
}

TEST_CASE("timeline steps run when the account's clock is advanced past them",
          "[http][scenarios]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  json minted = merchant.mint_card();
  json customer = merchant.create_customer("timeline");
  load(merchant, {{"name", "timeline"},
                  {"timeline",
                   {{{"at_seconds", 120},
                     {"step", "trigger_webhook"},
                     {"event_type", "provider.chargeback"},
                     {"data", {{"amount", 1234}}}},
                    {{"at_seconds", 60}, {"step", "expire_tokens"}}}}});
  merchant.advance(59);
  json listed = merchant.control_get("/_sandbox/scenarios").json_body();
  CHECK(listed[0].at("timeline")[1].at("done") == false);
  // Before the step the tokens are live: one of them saves.
  std::string path = "/api/customers/" + customer.at("uid").get<std::string>() + "/payment-methods";
  json spare = merchant.mint_card();
  CHECK(merchant.post(path, {{"payment_method", credit_method(spare)}}).status == 201);

  merchant.advance(1);
  auto expired = merchant.post(path, {{"payment_method", credit_method(minted)}});
  CHECK(expired.status == 400);
  CHECK(expired.json_body().at("param") == "payment_method.credit.fingerprint");
  json events = merchant.control_get("/_sandbox/events?type=provider.chargeback").json_body();
  CHECK(events.empty());

  merchant.advance(60);
  events = merchant.control_get("/_sandbox/events?type=provider.chargeback").json_body();
  REQUIRE(events.size() == 1);
  CHECK(events[0].at("data") == json{{"amount", 1234}});
  listed = merchant.control_get("/_sandbox/scenarios").json_body();
  CHECK(listed[0].at("timeline")[0].at("done") == true);
  CHECK(listed[0].at("timeline")[1].at("done") == true);
  // Steps run once: more time changes nothing.
  merchant.advance(3600);
  CHECK(merchant.control_get("/_sandbox/events?type=provider.chargeback").json_body().size() == 1);
}

TEST_CASE("scenarios are listed, removed, cleared, and gone after a reset", "[http][scenarios]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  json rule = {{"name", "r"}, {"rules", {{{"action", {{"type", "error"}, {"status", 500}}}}}}};
  json first = load(merchant, rule);
  load(merchant, rule);
  Client client = sandbox.client();
  httplib::Headers account = {{"X-Payment-Account-Uid", merchant.account()}};
  std::string id = first.at("id");
  CHECK(client.get("/_sandbox/scenarios/" + id, account).json_body().at("name") == "r");
  CHECK(client.del("/_sandbox/scenarios/" + id, account).status == 204);
  CHECK(client.get("/_sandbox/scenarios/" + id, account).status == 404);
  CHECK(client.del("/_sandbox/scenarios/" + id, account).status == 404);
  CHECK(merchant.get("/api/customers").status == 500);
  CHECK(client.del("/_sandbox/scenarios", account).status == 204);
  CHECK(merchant.get("/api/customers").status == 200);

  load(merchant, rule);
  REQUIRE(
      client.post("/_sandbox/accounts/" + merchant.account() + "/reset", json::object()).status <
      300);
  CHECK(merchant.control_get("/_sandbox/scenarios").json_body().empty());
  CHECK(merchant.get("/api/customers").status == 200);
}

TEST_CASE("an invalid scenario is a 400 naming the JSON path and what was expected",
          "[http][scenarios]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  auto check = [&](const json& scenario, const std::string& param) {
    auto reply = merchant.control_post("/_sandbox/scenarios", scenario);
    CHECK(reply.status == 400);
    CHECK(reply.json_body().value("param", "") == param);
  };
  check({{"rules", json::array()}}, "name");
  check({{"name", "x"}}, "rules");
  check({{"name", "x"}, {"rules", {{{"action", {{"type", "explode"}}}}}}}, "rules[0].action.type");
  check({{"name", "x"}, {"rules", {{{"action", {{"type", "error"}, {"status", 200}}}}}}},
        "rules[0].action.status");
  check({{"name", "x"}, {"rules", {{{"action", {{"type", "delay"}}}}}}}, "rules[0].action.ms");
  check({{"name", "x"}, {"rules", {{{"action", {{"type", "error"}}}, {"when", 1}}}}},
        "rules[0].when");
  check({{"name", "x"}, {"timeline", {{{"step", "expire_tokens"}}}}}, "timeline[0].at_seconds");
  check({{"name", "x"},
         {"timeline",
          {{{"at_seconds", 1}, {"step", "trigger_webhook"}, {"event_type", "payment.exploded"}}}}},
        "timeline[0].event_type");
  check({{"name", "x"}, {"account", "pa_other"}, {"rules", {{{"action", {{"type", "error"}}}}}}},
        "account");
  auto not_json = sandbox.client().request("POST", "/_sandbox/scenarios", "{nope",
                                           {{"X-Payment-Account-Uid", merchant.account()}});
  CHECK(not_json.status == 400);
}

TEST_CASE("scenario files load at start into the account they name", "[http][scenarios]") {
  paysandbox::Options options;
  options.scenario_files = {std::string(PAYSANDBOX_SOURCE_DIR) +
                            "/scenarios/customer-create-conflict.json"};
  TestSandbox sandbox(options);
  Merchant merchant(sandbox, "pa_sandbox", sandbox.token());
  CHECK(merchant.post("/api/customers", {{"reference_id", "at-start"}}).status == 409);
  CHECK(merchant.control_get("/_sandbox/scenarios").json_body().size() == 1);
}

TEST_CASE("every shipped scenario file passes the checker", "[scenarios]") {
  for (const char* name :
       {"customer-create-conflict", "token-expiry", "card-reissued-noc", "processor-outage"}) {
    std::string path = std::string(PAYSANDBOX_SOURCE_DIR) + "/scenarios/" + name + ".json";
    INFO(path);
    CHECK(paysandbox::check_scenario_file(path).empty());
  }
  CHECK(paysandbox::check_scenario_file("/nonexistent/x.json").find("cannot be read") !=
        std::string::npos);
}

TEST_CASE("an expire_session step expires the named session, or every active one, on the clock",
          "[http][scenarios]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  auto open_session = [&merchant] {
    auto reply = merchant.post("/v1/hosted-sessions", {{"amount", 2500},
                                                       {"currency", "USD"},
                                                       {"success_url", "https://shop.example/ok"},
                                                       {"cancel_url", "https://shop.example/no"}});
    REQUIRE(reply.status == 201);
    return reply.json_body().at("session_id").get<std::string>();
  };
  auto status_of = [&merchant](const std::string& id) {
    return merchant.get("/v1/hosted-sessions/" + id).json_body().at("status").get<std::string>();
  };
  std::string first = open_session();
  std::string second = open_session();
  std::string third = open_session();
  load(merchant, {{"name", "sessions run out"},
                  {"timeline",
                   {{{"at_seconds", 60}, {"step", "expire_session"}, {"session_id", first}},
                    {{"at_seconds", 120}, {"step", "expire_session"}}}}});

  merchant.advance(59);
  CHECK(status_of(first) == "active");
  merchant.advance(1);
  CHECK(status_of(first) == "expired");
  CHECK(status_of(second) == "active");
  // A browser or server action on the expired one is 410 from now on.
  CHECK(merchant.post("/v1/hosted-sessions/" + first + "/quote-fee", {{"method", "apple_pay"}})
            .status == 410);

  merchant.advance(60);
  CHECK(status_of(second) == "expired");
  CHECK(status_of(third) == "expired");
  json listed = merchant.control_get("/_sandbox/scenarios").json_body();
  CHECK(listed[0].at("timeline")[0].at("done") == true);
  CHECK(listed[0].at("timeline")[1].at("done") == true);
  // Each expiry is reported once.
  auto events = merchant.control_get("/_sandbox/events?type=checkout_session.expired");
  REQUIRE(events.status == 200);
  CHECK(events.json_body().size() == 3);
}

TEST_CASE("an expire_session step must name a hosted session id", "[http][scenarios]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  auto reply = merchant.control_post(
      "/_sandbox/scenarios",
      {{"name", "x"},
       {"timeline", {{{"at_seconds", 1}, {"step", "expire_session"}, {"session_id", "pay_1"}}}}});
  REQUIRE(reply.status == 400);
  CHECK(reply.json_body().at("param") == "timeline[0].session_id");
}
