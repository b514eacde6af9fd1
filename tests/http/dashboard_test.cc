// The dashboard's files (GET /_sandbox/ui) and the read-only control routes
// it lists from: accounts, customers with wallets, payments with their
// status history, hosted sessions, the event catalogue; and the journal's
// answers.
#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

namespace {

httplib::Headers for_account(const std::string& account) {
  return {{"X-Payment-Account-Uid", account}};
}

}  // namespace

TEST_CASE("the dashboard's page, script and styles are served with their content types",
          "[http][dashboard]") {
  TestSandbox sandbox;
  auto client = sandbox.client();
  auto page = client.get("/_sandbox/ui");
  REQUIRE(page.status == 200);
  CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(page.body.find("/_sandbox/ui/dashboard.js") != std::string::npos);
  CHECK(page.body.find("http://") == std::string::npos);
  CHECK(page.body.find("https://") == std::string::npos);

  auto script = client.get("/_sandbox/ui/dashboard.js");
  REQUIRE(script.status == 200);
  CHECK(script.header("Content-Type") == "text/javascript; charset=utf-8");
  CHECK(script.body.find("/_sandbox/events") != std::string::npos);

  auto styles = client.get("/_sandbox/ui/dashboard.css");
  REQUIRE(styles.status == 200);
  CHECK(styles.header("Content-Type") == "text/css; charset=utf-8");

  auto missing = client.get("/_sandbox/ui/nothing.js");
  CHECK(missing.status == 404);
  CHECK(missing.json_body().at("code") == "not_found");
  // The hosted page's files are not reachable under the dashboard's path.
  CHECK(client.get("/_sandbox/ui/hosted.js").status == 404);
}

TEST_CASE("the control side lists every account with its clock", "[http][dashboard]") {
  TestSandbox sandbox;
  json account = sandbox.create_account({{"name", "Listed"}});
  const std::string uid = account.at("uid");
  auto client = sandbox.client();
  auto advanced = client.post("/_sandbox/clock/advance", json{{"seconds", 90}}, for_account(uid));
  REQUIRE(advanced.status == 200);

  auto listed = client.get("/_sandbox/accounts");
  REQUIRE(listed.status == 200);
  json found;
  for (const auto& item : listed.json_body())
    if (item.at("uid") == uid) found = item;
  REQUIRE(found.is_object());
  CHECK(found.at("name") == "Listed");
  CHECK(found.at("clock").at("offset_seconds") == 90);
  CHECK(found.at("clock").at("now").is_string());
  CHECK_FALSE(found.contains("webhook_secret"));
  bool has_builtin = false;
  for (const auto& item : listed.json_body())
    has_builtin = has_builtin || item.at("uid") == "pa_sandbox";
  CHECK(has_builtin);

  auto one = client.get("/_sandbox/accounts/" + uid);
  REQUIRE(one.status == 200);
  CHECK(one.json_body().at("clock").at("offset_seconds") == 90);
  CHECK(client.get("/_sandbox/accounts/pa_nope").status == 404);
}

TEST_CASE("the control side lists an account's customers with their sanitized wallets",
          "[http][dashboard]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("user-7");
  merchant.save_card(customer.at("uid"));
  json second = merchant.save_card(customer.at("uid"), "5555555555554444");
  merchant.create_customer("user-8");

  auto listed = merchant.control_get("/_sandbox/customers");
  REQUIRE(listed.status == 200);
  json body = listed.json_body();
  REQUIRE(body.size() == 2);
  CHECK(body[0].at("reference_id") == "user-7");
  json methods = body[0].at("payment_methods");
  REQUIRE(methods.size() == 2);
  CHECK(methods[0].at("is_default") == true);
  CHECK(methods[1].at("saved_payment_method_uid") == second.at("saved_payment_method_uid"));
  CHECK(methods[1].at("payment_method").at("credit").at("last4") == "4444");
  CHECK_FALSE(methods[1].at("payment_method").at("credit").contains("fingerprint"));
  CHECK_FALSE(methods[1].at("payment_method").at("credit").contains("bin"));
  CHECK(body[1].at("payment_methods").empty());

  auto filtered = merchant.control_get("/_sandbox/customers?$filter=reference_id%20eq%20'user-8'");
  REQUIRE(filtered.status == 200);
  REQUIRE(filtered.json_body().size() == 1);
  CHECK(filtered.json_body()[0].at("reference_id") == "user-8");
  CHECK(merchant.control_get("/_sandbox/customers?$filter=name%20eq%20'x'").status == 400);
  CHECK(sandbox.client().get("/_sandbox/customers").status == 400);
}

TEST_CASE("the control side lists payments with their status history", "[http][dashboard]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("payer");
  json saved = merchant.save_card(customer.at("uid"));
  json body = {
      {"base_amount", 1000},
      {"tax_amount", 0},
      {"currency", "USD"},
      {"reference_id", "order-1"},
      {"payment_method",
       {{"payment_method_type", "wallet_credit"},
        {"wallet", {{"saved_payment_method_uid", saved.at("saved_payment_method_uid")}}}}}};
  auto validated = merchant.post("/api/payments", body);
  REQUIRE(validated.status == 201);
  const std::string uid = validated.json_body().at("uid");
  body["processing_fee_amount"] = validated.json_body().at("processing_fee_amount");
  REQUIRE(merchant.post("/api/payments/" + uid + "/capture", body).status == 200);
  REQUIRE(merchant.post("/api/payments/" + uid + "/refund", json{{"amount", 100}}).status == 200);

  auto listed = merchant.control_get("/_sandbox/payments");
  REQUIRE(listed.status == 200);
  REQUIRE(listed.json_body().size() == 1);
  json payment = listed.json_body()[0];
  CHECK(payment.at("uid") == uid);
  CHECK(payment.at("status") == "partially_refunded");
  json history = payment.at("status_history");
  REQUIRE(history.size() == 3);
  CHECK(history[0].at("status") == "validated");
  CHECK(history[1].at("status") == "completed");
  CHECK(history[1].at("event_type") == "payment.completed");
  CHECK(history[2].at("status") == "partially_refunded");
  CHECK(history[2].at("refunded_amount") == 100);
  CHECK(merchant.control_get("/_sandbox/payments?$filter=status%20eq%20'failed'")
            .json_body()
            .empty());
}

TEST_CASE("the control side lists an account's hosted sessions as they stand",
          "[http][dashboard]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  auto created =
      merchant.post("/v1/hosted-sessions", json{{"amount", 1650},
                                                {"currency", "USD"},
                                                {"success_url", "http://127.0.0.1:9/ok"},
                                                {"cancel_url", "http://127.0.0.1:9/cancel"}});
  REQUIRE(created.status == 201);
  merchant.advance(1800);
  auto listed = merchant.control_get("/_sandbox/sessions");
  REQUIRE(listed.status == 200);
  REQUIRE(listed.json_body().size() == 1);
  json session = listed.json_body()[0];
  CHECK(session.at("session_id") == created.json_body().at("session_id"));
  CHECK(session.at("status") == "expired");
  CHECK(session.at("amount") == 1650);
  CHECK_FALSE(session.contains("client_secret"));
  CHECK(session.at("hosted_url").get<std::string>().find("/hosted/") != std::string::npos);
}

TEST_CASE("the control side lists the event catalogue", "[http][dashboard]") {
  TestSandbox sandbox;
  auto types = sandbox.client().get("/_sandbox/webhooks/types");
  REQUIRE(types.status == 200);
  bool has_noc = false;
  for (const auto& type : types.json_body())
    has_noc = has_noc || type.at("event_type") == "provider.noc";
  CHECK(has_noc);
  CHECK(types.json_body().size() == 11);
}

TEST_CASE("the journal keeps each JSON answer, and leaves out the dashboard's own reads",
          "[http][dashboard][journal]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  merchant.create_customer("journaled");
  auto client = sandbox.client();
  REQUIRE(client.get("/_sandbox/ui").status == 200);
  REQUIRE(client.get("/_sandbox/accounts", {{"X-Sandbox-Dashboard", "1"}}).status == 200);

  auto entries = client.get("/_sandbox/requests?path_prefix=/api/customers");
  REQUIRE(entries.status == 200);
  REQUIRE(entries.json_body().size() == 1);
  json answer = json::parse(entries.json_body()[0].at("response_body").get<std::string>());
  CHECK(answer.at("reference_id") == "journaled");
  CHECK(entries.json_body()[0].at("response_body_truncated") == false);
  CHECK(client.get("/_sandbox/requests?path_prefix=/_sandbox/ui").json_body().empty());
  CHECK(client.get("/_sandbox/requests?path_prefix=/_sandbox/accounts&method=GET")
            .json_body()
            .empty());
}
