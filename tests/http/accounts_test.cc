// docs/api/payment-accounts.md and docs/api/README.md#conventions: /api/paymentaccounts,
// checkout-config, client-config and the built-in fixtures.
#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

namespace {

const std::vector<std::string> kAccountKeys = {"uid",
                                               "name",
                                               "processor",
                                               "external_account_id",
                                               "external_merchant_id",
                                               "active",
                                               "enable_ach",
                                               "enable_credit_card",
                                               "minimum_payment_amount",
                                               "maximum_payment_amount",
                                               "callback_url",
                                               "webhook_enabled",
                                               "fee_rules",
                                               "created_at"};

void check_account_shape(const json& account) {
  INFO(account.dump());
  for (const auto& key : kAccountKeys) CHECK(account.contains(key));
  CHECK(account.at("uid").get<std::string>().rfind("pa_", 0) == 0);
  CHECK(account.at("processor") == "zift");
  CHECK(account.at("minimum_payment_amount").is_number());
  CHECK(account.at("maximum_payment_amount").is_number());
  CHECK_FALSE(account.contains("webhook_secret"));
  CHECK_FALSE(account.contains("client_id"));
}

}  // namespace

TEST_CASE("POST /api/paymentaccounts creates an account from a name alone", "[http][accounts]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  auto reply = merchant.post("/api/paymentaccounts", {{"name", "Shop"}});
  REQUIRE(reply.status == 201);
  json account = reply.json_body();
  check_account_shape(account);
  CHECK(account.at("name") == "Shop");
  CHECK(account.at("active") == true);
  CHECK(account.at("enable_ach") == true);
  CHECK(account.at("enable_credit_card") == true);
  CHECK(account.at("webhook_enabled") == false);
  CHECK(account.at("fee_rules") == json{{"credit", {{"percent_bps", 295}, {"fixed", 3}}},
                                        {"ach", {{"percent_bps", 0}, {"fixed", 150}}}});

  auto fetched = merchant.get("/api/paymentaccounts/" + account.at("uid").get<std::string>());
  REQUIRE(fetched.status == 200);
  CHECK(fetched.json_body() == account);
}

TEST_CASE("account limits are decimal dollars in and out", "[http][accounts]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  auto reply =
      merchant.post("/api/paymentaccounts", {{"name", "Limits"},
                                             {"minimum_payment_amount", 1.5},
                                             {"maximum_payment_amount", 999999.99},
                                             {"external_account_id", "ext-42"},
                                             {"callback_url", "https://shop.example/hook"}});
  REQUIRE(reply.status == 201);
  json account = reply.json_body();
  CHECK(account.at("minimum_payment_amount").get<double>() == Catch::Approx(1.5));
  CHECK(account.at("maximum_payment_amount").get<double>() == Catch::Approx(999999.99));
  CHECK(account.at("external_account_id") == "ext-42");
  CHECK(account.at("callback_url") == "https://shop.example/hook");
  CHECK(account.at("webhook_enabled") == true);

  auto fractional =
      merchant.post("/api/paymentaccounts", {{"name", "Bad"}, {"minimum_payment_amount", 1.234}});
  CHECK(fractional.status == 400);
  CHECK(fractional.json_body().at("param") == "minimum_payment_amount");
  auto text =
      merchant.post("/api/paymentaccounts", {{"name", "Bad"}, {"maximum_payment_amount", "10.00"}});
  CHECK(text.status == 400);
  CHECK(text.json_body().at("param") == "maximum_payment_amount");
  auto inverted = merchant.post(
      "/api/paymentaccounts",
      {{"name", "Bad"}, {"minimum_payment_amount", 10}, {"maximum_payment_amount", 5}});
  CHECK(inverted.status == 400);
  auto nameless = merchant.post("/api/paymentaccounts", json::object());
  CHECK(nameless.status == 400);
  CHECK(nameless.json_body().at("param") == "name");
  auto unknown = merchant.post("/api/paymentaccounts", {{"name", "X"}, {"colour", "red"}});
  CHECK(unknown.status == 400);
  CHECK(unknown.json_body().at("param") == "colour");
}

TEST_CASE("GET /api/paymentaccounts lists the caller's accounts and filters them",
          "[http][accounts]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  REQUIRE(
      merchant.post("/api/paymentaccounts", {{"name", "Alpha"}, {"external_account_id", "ext-a"}})
          .status == 201);
  REQUIRE(
      merchant.post("/api/paymentaccounts", {{"name", "Beta"}, {"external_account_id", "ext-b"}})
          .status == 201);
  auto all = merchant.get("/api/paymentaccounts");
  REQUIRE(all.status == 200);
  std::vector<std::string> uids;
  for (const auto& a : all.json_body()) {
    check_account_shape(a);
    uids.push_back(a.at("uid"));
  }
  CHECK(std::find(uids.begin(), uids.end(), "pa_sandbox") != uids.end());
  CHECK(std::find(uids.begin(), uids.end(), "pa_second") == uids.end());
  CHECK(uids.size() == 3);

  auto by_name = merchant.get("/api/paymentaccounts?$filter=name%20eq%20'Beta'");
  REQUIRE(by_name.status == 200);
  REQUIRE(by_name.json_body().size() == 1);
  CHECK(by_name.json_body()[0].at("external_account_id") == "ext-b");
  auto by_external =
      merchant.get("/api/paymentaccounts?$filter=external_account_id%20eq%20'ext-a'");
  REQUIRE(by_external.json_body().size() == 1);
  CHECK(by_external.json_body()[0].at("name") == "Alpha");
  auto top = merchant.get("/api/paymentaccounts?$top=1&$skip=1");
  REQUIRE(top.json_body().size() == 1);
  auto bad = merchant.get("/api/paymentaccounts?$filter=processor%20eq%20'zift'");
  CHECK(bad.status == 400);
  CHECK(bad.json_body().at("param") == "$filter");

  // Another client sees its own accounts only.
  Merchant second(sandbox, "pa_second", sandbox.token("second-client", "second-secret"));
  auto theirs = second.get("/api/paymentaccounts");
  REQUIRE(theirs.json_body().size() == 1);
  CHECK(theirs.json_body()[0].at("uid") == "pa_second");
  CHECK(second.get("/api/paymentaccounts/pa_sandbox").status == 404);
  CHECK(merchant.get("/api/paymentaccounts/pa_second").status == 404);
  CHECK(merchant.get("/api/paymentaccounts/pa_nope").status == 404);
}

TEST_CASE("the fixtures give sandbox-client the account pa_sandbox", "[http][accounts]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  auto reply = merchant.get("/api/paymentaccounts/pa_sandbox");
  REQUIRE(reply.status == 200);
  check_account_shape(reply.json_body());
  CHECK(reply.json_body().at("name") == "Sandbox Merchant");
}

TEST_CASE("checkout-config stores allowed origins and checks them", "[http][accounts]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  auto reply =
      merchant.put("/api/paymentaccounts/pa_sandbox/checkout-config",
                   {{"allowed_origins", {"https://shop.example", "http://localhost:3000"}}});
  REQUIRE(reply.status == 200);
  CHECK(reply.json_body().at("allowed_origins") ==
        json{"https://shop.example", "http://localhost:3000"});
  auto bad = merchant.put("/api/paymentaccounts/pa_sandbox/checkout-config",
                          {{"allowed_origins", {"https://ok.example", "ftp://x/y"}}});
  CHECK(bad.status == 400);
  CHECK(bad.json_body().at("param") == "allowed_origins[1]");
  auto missing = merchant.put("/api/paymentaccounts/pa_sandbox/checkout-config", json::object());
  CHECK(missing.status == 400);
  CHECK(missing.json_body().at("param") == "allowed_origins");
  CHECK(merchant
            .put("/api/paymentaccounts/pa_second/checkout-config",
                 {{"allowed_origins", json::array()}})
            .status == 404);
}

TEST_CASE("client-config needs no bearer and follows the enable flags",
          "[http][accounts][fidelity]") {
  TestSandbox sandbox;
  Client client = sandbox.client();
  auto reply = client.get("/api/paymentaccounts/pa_sandbox/client-config");
  REQUIRE(reply.status == 200);
  json body = reply.json_body();
  CHECK(body.at("processor") == "zift");
  // As the documented example: Apple Pay comes with cards.
  CHECK(body.at("supported_methods") == json{"credit", "ach", "apple_pay"});
  const json& config = body.at("config");
  CHECK(config.at("account_id") == "ext_sandbox");
  CHECK(config.at("api_key").is_string());
  CHECK(config.at("temporary_password").is_string());

  // expiration_date is 15 minutes past the account's clock.
  auto clock = client.get("/_sandbox/clock", {{"X-Payment-Account-Uid", "pa_sandbox"}}).json_body();
  CHECK(config.at("expiration_date").get<std::string>() > clock.at("now").get<std::string>());

  json ach_only = sandbox.create_account({{"enable_credit_card", false}});
  auto only = client.get("/api/paymentaccounts/" + ach_only.at("uid").get<std::string>() +
                         "/client-config");
  REQUIRE(only.status == 200);
  CHECK(only.json_body().at("supported_methods") == json{"ach"});
  json card_only = sandbox.create_account({{"enable_ach", false}});
  CHECK(
      client
          .get("/api/paymentaccounts/" + card_only.at("uid").get<std::string>() + "/client-config")
          .json_body()
          .at("supported_methods") == json{"credit", "apple_pay"});
  CHECK(client.get("/api/paymentaccounts/pa_nope/client-config").status == 404);
}
