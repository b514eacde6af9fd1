#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

TEST_CASE("the request journal lists what a merchant sent, filtered, newest last",
          "[http][journal]") {
  TestSandbox sandbox;
  Merchant a(sandbox, sandbox.create_account().at("uid"));
  Merchant b(sandbox, sandbox.create_account().at("uid"));
  a.create_customer("journal-a");
  b.create_customer("journal-b");
  REQUIRE(a.post("/api/customers", {{"reference_id", "journal-a"}}).status == 409);
  Client client = sandbox.client();

  auto reply = client.get("/_sandbox/requests?account=" + a.account() + "&path_prefix=/api/");
  REQUIRE(reply.status == 200);
  json entries = reply.json_body();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].at("method") == "POST");
  CHECK(entries[0].at("path") == "/api/customers");
  CHECK(entries[0].at("status") == 201);
  CHECK(json::parse(entries[0].at("request_body").get<std::string>()).at("reference_id") ==
        "journal-a");
  CHECK(entries[1].at("status") == 409);
  CHECK(entries[1].at("error_code") == "conflict");
  CHECK(entries[0].at("sequence").get<int>() < entries[1].at("sequence").get<int>());

  json conflicts = client.get("/_sandbox/requests?status=409").json_body();
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0].at("account") == a.account());

  json last = client.get("/_sandbox/requests?method=POST&limit=1").json_body();
  REQUIRE(last.size() == 1);
  CHECK(last[0].at("status") == 409);

  SECTION("query strings are journaled as sent, and reading the journal is not journaled") {
    a.get("/api/customers?$filter=reference_id%20eq%20'journal-a'");
    json gets = client.get("/_sandbox/requests?method=GET").json_body();
    REQUIRE(gets.size() == 1);
    CHECK(gets[0].at("query") == "$filter=reference_id eq 'journal-a'");
  }
  SECTION("bad filters are 400 naming the parameter") {
    auto bad = client.get("/_sandbox/requests?status=teapot");
    CHECK(bad.status == 400);
    CHECK(bad.json_body().at("param") == "status");
    CHECK(client.get("/_sandbox/requests?limit=10001").json_body().at("param") == "limit");
  }
  SECTION("a global reset empties it") {
    client.post("/_sandbox/reset", json::object());
    json after = client.get("/_sandbox/requests?path_prefix=/api/").json_body();
    CHECK(after.empty());
  }
}

TEST_CASE("the journal is a ring that keeps only the newest requests", "[http][journal]") {
  paysandbox::Options options;
  options.journal_size = 3;
  TestSandbox sandbox(options);
  Client client = sandbox.client();
  for (int i = 0; i < 5; ++i) client.get("/_sandbox/health?n=" + std::to_string(i));
  json entries = client.get("/_sandbox/requests?limit=3").json_body();
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].at("query") == "n=2");
  CHECK(entries[2].at("query") == "n=4");
}

TEST_CASE("a form-encoded body is never read as query parameters", "[http][wire]") {
  TestSandbox sandbox;
  std::string token = sandbox.token();
  // httplib merges form bodies into its parameters; an OData option in a body
  // must not reach the list query (it would be a 400 for $top=abc).
  auto reply = sandbox.client().request("GET", "/api/customers", "$top=abc",
                                        {{"Authorization", "Bearer " + token},
                                         {"X-Payment-Account-Uid", "pa_sandbox"},
                                         {"Content-Type", "application/x-www-form-urlencoded"}});
  CHECK(reply.status == 200);
  CHECK(reply.json_body().is_array());
}
