// docs/control-api.md: health, accounts, resets and the clocks.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

namespace {

json clock_of(TestSandbox& sandbox, const std::string& account = {}) {
  httplib::Headers headers;
  if (!account.empty()) headers.emplace("X-Payment-Account-Uid", account);
  auto reply = sandbox.client().get("/_sandbox/clock", headers);
  REQUIRE(reply.status == 200);
  return reply.json_body();
}

std::int64_t offset_of(TestSandbox& sandbox, const std::string& account = {}) {
  return clock_of(sandbox, account).at("offset_seconds").get<std::int64_t>();
}

}  // namespace

TEST_CASE("health answers ok with the version", "[http][control]") {
  TestSandbox sandbox;
  auto reply = sandbox.client().get("/_sandbox/health");
  REQUIRE(reply.status == 200);
  CHECK(reply.json_body().at("status") == "ok");
  CHECK(reply.json_body().at("version").is_string());
}

TEST_CASE("a control account carries its webhook secret and belongs to sandbox-client",
          "[http][control][accounts]") {
  TestSandbox sandbox;
  json account = sandbox.create_account({{"name", "Tests"},
                                         {"callback_url", "http://127.0.0.1:9/hook"},
                                         {"fee_rules", {{"credit", {{"percent_bps", 100}}}}}});
  CHECK(account.at("uid").get<std::string>().rfind("pa_", 0) == 0);
  CHECK(account.at("webhook_secret").get<std::string>().rfind("whsec_", 0) == 0);
  CHECK(account.at("name") == "Tests");
  CHECK(account.at("webhook_enabled") == true);
  CHECK(account.at("fee_rules").at("credit") == json{{"percent_bps", 100}, {"fixed", 3}});
  CHECK(account.at("fee_rules").at("ach") == json{{"percent_bps", 0}, {"fixed", 150}});

  Merchant merchant(sandbox, account.at("uid"));
  auto list = merchant.get("/api/paymentaccounts");
  bool listed = false;
  for (const auto& a : list.json_body()) listed = listed || a.at("uid") == account.at("uid");
  CHECK(listed);
  auto fetched = merchant.get("/api/paymentaccounts/" + account.at("uid").get<std::string>());
  REQUIRE(fetched.status == 200);
  CHECK_FALSE(fetched.json_body().contains("webhook_secret"));

  json other = sandbox.create_account({{"client_id", "second-client"}});
  Merchant second(sandbox, other.at("uid"), sandbox.token("second-client", "second-secret"));
  CHECK(second.get("/api/customers").status == 200);
  CHECK(merchant.get("/api/paymentaccounts/" + other.at("uid").get<std::string>()).status == 404);

  auto bad = sandbox.client().post("/_sandbox/accounts", {{"client_id", "nobody"}});
  CHECK(bad.status == 400);
  CHECK(bad.json_body().at("param") == "client_id");
  auto unknown = sandbox.client().post("/_sandbox/accounts", {{"colour", "red"}});
  CHECK(unknown.status == 400);
  CHECK(unknown.json_body().at("param") == "colour");
  auto bad_fee = sandbox.client().post("/_sandbox/accounts",
                                       {{"fee_rules", {{"credit", {{"percent_bps", -1}}}}}});
  CHECK(bad_fee.status == 400);
  CHECK(bad_fee.json_body().at("param") == "fee_rules.credit.percent_bps");
}

TEST_CASE("a control account can be made with no body at all", "[http][control][accounts]") {
  TestSandbox sandbox;
  auto reply = sandbox.client().request("POST", "/_sandbox/accounts", "", {});
  REQUIRE(reply.status == 201);
  CHECK(reply.json_body().at("uid").get<std::string>().rfind("pa_", 0) == 0);
}

TEST_CASE("the global reset goes back to the fixtures alone", "[http][control]") {
  TestSandbox sandbox;
  json account = sandbox.create_account();
  Merchant fresh(sandbox, account.at("uid"));
  fresh.create_customer("gone");
  Merchant builtin(sandbox, "pa_sandbox");
  builtin.create_customer("also-gone");
  sandbox.client().post("/_sandbox/clock/advance", {{"seconds", 100}});

  auto reply = sandbox.client().post("/_sandbox/reset", json::object());
  REQUIRE(reply.status == 200);
  CHECK(builtin.get("/api/customers").json_body().empty());
  CHECK(fresh.get("/api/customers").status == 404);
  CHECK(builtin.get("/api/paymentaccounts/" + account.at("uid").get<std::string>()).status == 404);
  CHECK(builtin.get("/api/paymentaccounts/pa_sandbox").status == 200);
  CHECK(offset_of(sandbox) == 0);
  CHECK(offset_of(sandbox, "pa_sandbox") == 0);
  // The reference_id is free again.
  CHECK(builtin.post("/api/customers", {{"reference_id", "also-gone"}}).status == 201);
}

TEST_CASE("a per-account reset clears its data and keeps the account and its settings",
          "[http][control]") {
  TestSandbox sandbox;
  json account = sandbox.create_account({{"fee_rules", {{"ach", {{"fixed", 99}}}}}});
  const std::string uid = account.at("uid");
  json neighbour = sandbox.create_account();
  Merchant merchant(sandbox, uid);
  Merchant other(sandbox, neighbour.at("uid"));
  json customer = merchant.create_customer("reset-me");
  json saved = merchant.save_card(customer.at("uid"));
  json minted = merchant.mint_card();
  other.create_customer("stays");
  merchant.advance(500);
  other.advance(20);

  auto reply = sandbox.client().post("/_sandbox/accounts/" + uid + "/reset", json::object());
  REQUIRE(reply.status == 200);
  CHECK(reply.json_body().at("webhook_secret") == account.at("webhook_secret"));

  CHECK(merchant.get("/api/customers").json_body().empty());
  CHECK(merchant.get("/api/customers/" + customer.at("uid").get<std::string>()).status == 404);
  json again = merchant.create_customer("reset-me");
  auto reuse =
      merchant.post("/api/customers/" + again.at("uid").get<std::string>() + "/payment-methods",
                    {{"payment_method", credit_method(minted)}});
  CHECK(reuse.status == 400);
  CHECK(reuse.json_body().at("param") == "payment_method.credit.fingerprint");
  CHECK(offset_of(sandbox, uid) == 0);

  auto kept = merchant.get("/api/paymentaccounts/" + uid);
  REQUIRE(kept.status == 200);
  CHECK(kept.json_body().at("fee_rules").at("ach").at("fixed") == 99);
  CHECK(kept.json_body().at("name") == account.at("name"));

  // The neighbour is untouched.
  CHECK(other.get("/api/customers").json_body().size() == 1);
  CHECK(offset_of(sandbox, neighbour.at("uid")) == 20);
  CHECK(sandbox.client().post("/_sandbox/accounts/pa_nope/reset", json::object()).status == 404);
}

TEST_CASE("each account's clock moves alone; without the header every clock moves",
          "[http][control][clock]") {
  TestSandbox sandbox;
  const std::string a = sandbox.create_account().at("uid");
  const std::string b = sandbox.create_account().at("uid");
  json start = clock_of(sandbox, a);
  CHECK(start.at("offset_seconds") == 0);
  CHECK(start.at("now").get<std::string>().back() == 'Z');

  auto moved = sandbox.client().post("/_sandbox/clock/advance", {{"seconds", 120}},
                                     {{"X-Payment-Account-Uid", a}});
  REQUIRE(moved.status == 200);
  CHECK(moved.json_body().at("offset_seconds") == 120);
  CHECK(moved.json_body().at("now").get<std::string>() > start.at("now").get<std::string>());
  CHECK(offset_of(sandbox, a) == 120);
  CHECK(offset_of(sandbox, b) == 0);
  CHECK(offset_of(sandbox) == 0);

  auto all = sandbox.client().post("/_sandbox/clock/advance", {{"seconds", 30}});
  REQUIRE(all.status == 200);
  CHECK(all.json_body().at("offset_seconds") == 30);
  CHECK(offset_of(sandbox) == 30);
  CHECK(offset_of(sandbox, a) == 150);
  CHECK(offset_of(sandbox, b) == 30);
  CHECK(offset_of(sandbox, "pa_sandbox") == 30);

  auto negative = sandbox.client().post("/_sandbox/clock/advance", {{"seconds", -5}});
  CHECK(negative.status == 400);
  CHECK(negative.json_body().at("param") == "seconds");
  auto missing = sandbox.client().post("/_sandbox/clock/advance", json::object());
  CHECK(missing.status == 400);
  CHECK(missing.json_body().at("param") == "seconds");
  auto text = sandbox.client().post("/_sandbox/clock/advance", {{"seconds", "60"}});
  CHECK(text.status == 400);
  auto unknown = sandbox.client().post("/_sandbox/clock/advance", {{"seconds", 1}},
                                       {{"X-Payment-Account-Uid", "pa_nope"}});
  CHECK(unknown.status == 404);
}

TEST_CASE("an account's clock advance never moves bearer tokens or other accounts' tokens",
          "[http][control][clock]") {
  TestSandbox sandbox;
  Merchant a(sandbox, sandbox.create_account().at("uid"));
  Merchant b(sandbox, sandbox.create_account().at("uid"));
  json customer = b.create_customer("b-customer");
  json minted = b.mint_card();
  a.advance(10000);
  auto saved =
      b.post("/api/customers/" + customer.at("uid").get<std::string>() + "/payment-methods",
             {{"payment_method", credit_method(minted)}});
  CHECK(saved.status == 201);
}

TEST_CASE("the embedding API's controls match the control routes", "[http][control]") {
  TestSandbox sandbox;
  auto& box = sandbox.sandbox();
  paysandbox::api::AccountSettings settings;
  settings.name = "Embedded";
  const paysandbox::api::Account account = box.create_account(settings);
  const std::string uid = account.uid;
  CHECK(account.name == "Embedded");
  CHECK(box.advance_clock(std::chrono::seconds(60), uid).offset_seconds == 60);
  CHECK(offset_of(sandbox, uid) == 60);
  CHECK(box.advance_clock(std::chrono::seconds(5)).offset_seconds == 5);
  CHECK(offset_of(sandbox, uid) == 65);
  CHECK(offset_of(sandbox) == 5);
  CHECK(box.clock(uid).offset_seconds == 65);
  CHECK(box.clock().offset_seconds == 5);
  const paysandbox::api::CardToken token = box.mint_card(uid, "4111111111111111", 12, 2030);
  CHECK(token.fingerprint.rfind("ptok_", 0) == 0);
  box.reset_account(uid);
  CHECK(offset_of(sandbox, uid) == 0);
  box.reset();
  CHECK(sandbox.client().get("/_sandbox/clock", {{"X-Payment-Account-Uid", uid}}).status == 404);
  CHECK_THROWS_AS(box.reset_account("pa_nope"), paysandbox::api::Error);
  auto health = box.request("GET", "/_sandbox/health");
  CHECK(health.status == 200);
  CHECK(health.header("x-request-id").rfind("req_", 0) == 0);
  CHECK(box.base_url() == "http://127.0.0.1:" + std::to_string(box.port()));
}

TEST_CASE("two sandboxes in one process keep separate state", "[http][control]") {
  TestSandbox one;
  TestSandbox two;
  CHECK(one.port() != two.port());
  Merchant a(one, "pa_sandbox");
  Merchant b(two, "pa_sandbox");
  a.create_customer("only-in-one");
  CHECK(b.get("/api/customers").json_body().empty());
  CHECK(b.post("/api/customers", {{"reference_id", "only-in-one"}}).status == 201);
}

TEST_CASE("a fixtures directory (--fixtures DIR) replaces the built-in clients, accounts and cards",
          "[http][control]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() /
                       ("paysandbox-fixtures-" + std::to_string(::getpid()) + "-" + store_kind());
  fs::create_directories(dir);
  const fs::path source = fs::path(PAYSANDBOX_SOURCE_DIR) / "fixtures";
  fs::copy_file(source / "cards.json", dir / "cards.json", fs::copy_options::overwrite_existing);
  std::ofstream(dir / "clients.json")
      << R"({"clients": [{"client_id": "my-client", "client_secret": "my-secret"}]})";
  std::ofstream(dir / "accounts.json")
      << R"({"accounts": [{"uid": "pa_mine", "client_id": "my-client", "name": "Mine",)"
         R"( "webhook_secret": "whsec_mine_0123456789"}]})";
  {
    paysandbox::Options options;
    options.fixtures_dir = dir.string();
    TestSandbox sandbox(options);
    Merchant merchant(sandbox, "pa_mine", sandbox.token("my-client", "my-secret"));
    CHECK(merchant.get("/api/customers").status == 200);
    CHECK(merchant.get("/api/paymentaccounts/pa_mine").json_body().at("name") == "Mine");
    auto builtin = sandbox.client().request(
        "POST", "/oauth2/token", "grant_type=client_credentials",
        {{"Authorization", "Basic c2FuZGJveC1jbGllbnQ6c2FuZGJveC1zZWNyZXQ="},
         {"Content-Type", "application/x-www-form-urlencoded"}});
    CHECK(builtin.status == 401);
    // The global reset goes back to these fixtures.
    REQUIRE(sandbox.client().post("/_sandbox/reset", json::object()).status == 200);
    CHECK(merchant.get("/api/paymentaccounts/pa_mine").status == 200);
  }
  fs::remove(dir / "cards.json");
  paysandbox::Options broken;
  broken.fixtures_dir = dir.string();
  try {
    TestSandbox sandbox(broken);
    FAIL("a fixtures directory without cards.json was accepted");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find("cards.json") != std::string::npos);
  }
  fs::remove_all(dir);
}

TEST_CASE("with a database file, state and clocks survive a restart", "[http][control]") {
  TempDb db;
  paysandbox::Options options;
  options.db_path = db.path();
  std::string account, customer, method;
  {
    TestSandbox sandbox(options);
    account = sandbox.create_account().at("uid");
    Merchant merchant(sandbox, account);
    customer = merchant.create_customer("persisted").at("uid");
    method = merchant.save_card(customer).at("saved_payment_method_uid");
    merchant.advance(1234);
  }
  TestSandbox sandbox(options);
  Merchant merchant(sandbox, account);
  CHECK(offset_of(sandbox, account) == 1234);
  auto got = merchant.get("/api/customers/" + customer + "/payment-methods/" + method);
  REQUIRE(got.status == 200);
  CHECK(got.json_body().at("is_default") == true);
  CHECK(merchant.post("/api/customers", {{"reference_id", "persisted"}}).status == 409);
}

TEST_CASE("a fractional clock advance is refused as a whole number of seconds",
          "[http][control][clock]") {
  TestSandbox sandbox;
  auto reply = sandbox.client().post("/_sandbox/clock/advance", {{"seconds", 1.5}});
  CHECK(reply.status == 400);
  CHECK(reply.json_body().at("param") == "seconds");
  const std::string message = reply.json_body().at("message");
  CHECK(message.find("whole number") != std::string::npos);
  CHECK(message.find("cents") == std::string::npos);
  CHECK(offset_of(sandbox) == 0);
}
