// docs/api/customers-and-wallet.md: POST /api/saved-payment-methods/import.
#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

namespace {

json card_item(const std::string& reference, const std::string& token, int year = 2030) {
  return {{"customer_reference_id", reference},
          {"payment_method",
           {{"payment_method_type", "credit"},
            {"credit",
             {{"fingerprint", token},
              {"last4", "1111"},
              {"exp_month", 12},
              {"exp_year", year},
              {"bin", "411111"},
              {"card_brand", "VISA"},
              {"holder_name", "Alex Morales"}}}}}};
}

json ach_item(const std::string& reference, const std::string& token) {
  return {{"customer_reference_id", reference},
          {"customer_name", "Bank Holder"},
          {"customer_email", "bank@example.com"},
          {"payment_method",
           {{"payment_method_type", "ach"},
            {"ach",
             {{"fingerprint", token},
              {"account_number_suffix", "6789"},
              {"routing_number", "011000015"},
              {"account_type", "checking"}}}}}};
}

const std::string kImport = "/api/saved-payment-methods/import";

}  // namespace

TEST_CASE("an import reports each item and creates missing customers", "[http][wallet][import]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json existing = merchant.create_customer("known");
  json bad = card_item("bad", "proc_bad");
  bad["payment_method"]["credit"]["exp_month"] = 13;
  auto reply = merchant.post(
      kImport, {{"items", json::array({card_item("known", "proc_1"), bad,
                                       ach_item("new-1", "proc_2"), card_item("new-1", "proc_3"),
                                       card_item("expired", "proc_4", 2020)})}});
  REQUIRE(reply.status == 200);
  json body = reply.json_body();
  CHECK(body.at("imported") == 3);
  CHECK(body.at("failed") == 2);
  const json& results = body.at("results");
  REQUIRE(results.size() == 5);
  for (size_t i = 0; i < results.size(); ++i) CHECK(results[i].at("index") == i);

  CHECK(results[0].at("customer_uid") == existing.at("uid"));
  CHECK(results[0].at("saved_payment_method_uid").get<std::string>().rfind("spm_", 0) == 0);
  // param is relative to the item.
  CHECK(results[1].at("error").at("code") == "validation_error");
  CHECK(results[1].at("error").at("param") == "payment_method.credit.exp_month");
  CHECK(results[1].at("error").at("message").is_string());
  // Items with one reference share one customer.
  CHECK(results[2].at("customer_uid") == results[3].at("customer_uid"));
  CHECK(results[4].at("error").at("param").get<std::string>().rfind("payment_method.credit", 0) ==
        0);

  // A failed item created nothing: no customer 'bad' or 'expired'.
  CHECK(merchant.get("/api/customers?$filter=reference_id%20eq%20'bad'").json_body().empty());
  CHECK(merchant.get("/api/customers?$filter=reference_id%20eq%20'expired'").json_body().empty());

  // The new customer has both methods; the first is its default.
  const std::string customer_uid = results[2].at("customer_uid");
  json customer = merchant.get("/api/customers/" + customer_uid).json_body();
  CHECK(customer.at("reference_id") == "new-1");
  CHECK(customer.at("name") == "Bank Holder");
  CHECK(customer.at("email") == "bank@example.com");
  CHECK(customer.at("default_payment_method_uid") == results[2].at("saved_payment_method_uid"));
  auto methods = merchant.get("/api/customers/" + customer_uid + "/payment-methods").json_body();
  REQUIRE(methods.size() == 2);
  CHECK(methods[0].at("payment_method").at("payment_method_type") == "ach");
  CHECK(methods[1].at("payment_method").at("credit").at("card_brand") == "VISA");
  CHECK(methods.dump().find("proc_") == std::string::npos);
  // The known customer got its first method as its default.
  CHECK(merchant.get("/api/customers/" + existing.at("uid").get<std::string>())
            .json_body()
            .at("default_payment_method_uid") == results[0].at("saved_payment_method_uid"));
}

TEST_CASE("an imported processor token never expires", "[http][wallet][import][clock]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  merchant.advance(3600);
  auto reply =
      merchant.post(kImport, {{"items", json::array({card_item("late", std::string(255, 't'))})}});
  REQUIRE(reply.status == 200);
  CHECK(reply.json_body().at("imported") == 1);
  auto too_long =
      merchant.post(kImport, {{"items", json::array({card_item("long", std::string(256, 't'))})}});
  CHECK(too_long.json_body().at("results")[0].at("error").at("param") ==
        "payment_method.credit.fingerprint");
  auto empty = merchant.post(kImport, {{"items", json::array({card_item("empty", "")})}});
  CHECK(empty.json_body().at("results")[0].at("error").at("param") ==
        "payment_method.credit.fingerprint");
}

TEST_CASE("an item with an unknown field or a wrong type fails alone", "[http][wallet][import]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json extra = card_item("x", "proc_x");
  extra["nickname"] = "X";
  json bad_email = card_item("z", "proc_z");
  bad_email["customer_email"] = "not-an-address";
  auto reply = merchant.post(
      kImport, {{"items", json::array({extra, 42, card_item("y", "proc_y"), bad_email})}});
  REQUIRE(reply.status == 200);
  const json results = reply.json_body().at("results");
  CHECK(results[0].at("error").at("param") == "nickname");
  CHECK(results[1].at("error").at("code") == "validation_error");
  CHECK(results[2].contains("saved_payment_method_uid"));
  // The same email check as POST /api/customers.
  CHECK(results[3].at("error").at("param") == "customer_email");
  CHECK(reply.json_body().at("imported") == 1);
}

TEST_CASE("more than 10,000 items is a 400 at items and imports nothing",
          "[http][wallet][import]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json items = json::array();
  for (int i = 0; i < 10001; ++i) items.push_back(card_item("bulk-" + std::to_string(i), "p"));
  auto reply = merchant.post(kImport, {{"items", items}});
  CHECK(reply.status == 400);
  CHECK(reply.json_body().at("code") == "validation_error");
  CHECK(reply.json_body().at("param") == "items");
  CHECK(merchant.get("/api/customers").json_body().empty());

  items.erase(items.end() - 1);
  auto full = merchant.post(kImport, {{"items", items}});
  REQUIRE(full.status == 200);
  CHECK(full.json_body().at("imported") == 10000);
}

TEST_CASE("an import body must carry an items array", "[http][wallet][import]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  auto missing = merchant.post(kImport, json::object());
  CHECK(missing.status == 400);
  CHECK(missing.json_body().at("param") == "items");
  auto object = merchant.post(kImport, {{"items", json::object()}});
  CHECK(object.status == 400);
  CHECK(object.json_body().at("param") == "items");
  auto empty = merchant.post(kImport, {{"items", json::array()}});
  REQUIRE(empty.status == 200);
  CHECK(empty.json_body() == json{{"imported", 0}, {"failed", 0}, {"results", json::array()}});
}
