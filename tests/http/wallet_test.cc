#include "support/catch.h"
#include "support/harness.h"

// docs/api/customers-and-wallet.md: customers and the wallet.

using namespace testing;

TEST_CASE("a saved card is listed sanitized and becomes the customer's default", "[http][wallet]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("user-1");
  json saved = merchant.save_card(customer.at("uid"));
  CHECK(saved.at("is_default") == true);
  CHECK(saved.at("payment_method")
            .at("credit")
            .at("fingerprint")
            .get<std::string>()
            .rfind("tok_", 0) == 0);

  auto list =
      merchant.get("/api/customers/" + customer.at("uid").get<std::string>() + "/payment-methods");
  REQUIRE(list.status == 200);
  json methods = list.json_body();
  REQUIRE(methods.size() == 1);
  const json& credit = methods[0].at("payment_method").at("credit");
  CHECK(credit.at("last4") == "1111");
  CHECK_FALSE(credit.contains("fingerprint"));
  CHECK_FALSE(credit.contains("bin"));
}

namespace {

std::string uid_of(const json& object) {
  return object.contains("uid") ? object.at("uid").get<std::string>()
                                : object.at("saved_payment_method_uid").get<std::string>();
}

std::string method_path(const json& customer, const std::string& method_uid) {
  return methods_path(customer) + "/" + method_uid;
}

}  // namespace

TEST_CASE("POST /api/customers creates a customer with a null default", "[http][wallet]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  auto reply = merchant.post(
      "/api/customers",
      {{"reference_id", "user-42"}, {"name", "Alex Morales"}, {"email", "alex@example.com"}});
  REQUIRE(reply.status == 201);
  json customer = reply.json_body();
  CHECK(customer.at("uid").get<std::string>().rfind("cus_", 0) == 0);
  CHECK(customer.at("reference_id") == "user-42");
  CHECK(customer.at("name") == "Alex Morales");
  CHECK(customer.at("email") == "alex@example.com");
  CHECK(customer.at("default_payment_method_uid").is_null());
  CHECK(customer.at("created_at").get<std::string>().back() == 'Z');

  auto fetched = merchant.get("/api/customers/" + uid_of(customer));
  REQUIRE(fetched.status == 200);
  CHECK(fetched.json_body() == customer);
  CHECK(merchant.get("/api/customers/cus_missing").status == 404);

  auto bare = merchant.post("/api/customers", {{"reference_id", "user-43"}});
  REQUIRE(bare.status == 201);
  CHECK(bare.json_body().at("name").is_null());
  CHECK(bare.json_body().at("email").is_null());
  auto bad_email = merchant.post("/api/customers", {{"reference_id", "u"}, {"email", "nope"}});
  CHECK(bad_email.status == 400);
  CHECK(bad_email.json_body().at("param") == "email");
}

TEST_CASE("a second create with the same reference_id is a 409 conflict", "[http][wallet]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json first = merchant.create_customer("dup");
  auto second = merchant.post("/api/customers", {{"reference_id", "dup"}});
  CHECK(second.status == 409);
  json body = second.json_body();
  CHECK(body.at("code") == "conflict");
  CHECK(body.at("param") == "reference_id");
  CHECK(body.at("request_id") == second.header("X-Request-Id"));
  auto found = merchant.get("/api/customers?$filter=reference_id%20eq%20'dup'");
  REQUIRE(found.json_body().size() == 1);
  CHECK(found.json_body()[0].at("uid") == first.at("uid"));

  // Unique per account only.
  Merchant other(sandbox, sandbox.create_account().at("uid"));
  CHECK(other.post("/api/customers", {{"reference_id", "dup"}}).status == 201);
}

TEST_CASE("saving a card answers the permanent token once and lists it sanitized",
          "[http][wallet]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("save");
  json minted = merchant.mint_card();
  auto reply = merchant.post(methods_path(customer), {{"payment_method", credit_method(minted)}});
  REQUIRE(reply.status == 201);
  json saved = reply.json_body();
  const std::string spm = saved.at("saved_payment_method_uid");
  CHECK(spm.rfind("spm_", 0) == 0);
  CHECK(saved.at("customer_uid") == customer.at("uid"));
  CHECK(saved.at("is_default") == true);
  CHECK(saved.contains("created_at"));
  CHECK(saved.contains("updated_at"));
  const json& method = saved.at("payment_method");
  CHECK(method.at("payment_method_type") == "credit");
  const json& credit = method.at("credit");
  const std::string permanent = credit.at("fingerprint");
  CHECK(permanent.rfind("tok_", 0) == 0);
  CHECK(permanent != minted.at("fingerprint"));
  CHECK(credit.at("last4") == "1111");
  CHECK(credit.at("card_brand") == "VISA");
  CHECK(credit.at("exp_month") == 12);
  CHECK(credit.at("exp_year") == 2030);
  CHECK(credit.at("holder_name") == "Alex Morales");

  auto one = merchant.get(method_path(customer, spm));
  REQUIRE(one.status == 200);
  CHECK(one.json_body().at("is_default") == true);
  const json listed = one.json_body().at("payment_method").at("credit");
  CHECK(listed == json{{"last4", "1111"},
                       {"card_brand", "VISA"},
                       {"exp_month", 12},
                       {"exp_year", 2030},
                       {"holder_name", "Alex Morales"}});
  CHECK(one.body.find(permanent) == std::string::npos);

  auto customer_now = merchant.get("/api/customers/" + uid_of(customer)).json_body();
  CHECK(customer_now.at("default_payment_method_uid") == spm);
}

TEST_CASE("saving a bank account works the same way, sanitized", "[http][wallet]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("ach");
  json minted = merchant.mint_ach();
  json method = ach_method(minted);
  method["ach"]["bank_name"] = "First Sandbox Bank";
  auto reply = merchant.post(methods_path(customer), {{"payment_method", method}});
  REQUIRE(reply.status == 201);
  json saved = reply.json_body();
  CHECK(saved.at("payment_method").at("payment_method_type") == "ach");
  CHECK(
      saved.at("payment_method").at("ach").at("fingerprint").get<std::string>().rfind("tok_", 0) ==
      0);
  CHECK(saved.at("payment_method").at("ach").at("account_number_suffix") == "6789");
  auto list = merchant.get(methods_path(customer));
  REQUIRE(list.status == 200);
  const json ach = list.json_body()[0].at("payment_method").at("ach");
  CHECK(ach == json{{"account_number_suffix", "6789"},
                    {"account_type", "checking"},
                    {"bank_name", "First Sandbox Bank"},
                    {"holder_name", "Alex Morales"}});
}

TEST_CASE("card details that disagree with the token are a 400 naming the field",
          "[http][wallet]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("claims");
  const std::vector<std::pair<std::string, json>> credit_cases = {{"last4", "4242"},
                                                                  {"exp_month", 11},
                                                                  {"exp_year", 2031},
                                                                  {"bin", "555555"},
                                                                  {"card_brand", "MASTERCARD"}};
  for (const auto& [field, value] : credit_cases) {
    INFO(field);
    json method = credit_method(merchant.mint_card());
    method["credit"][field] = value;
    auto reply = merchant.post(methods_path(customer), {{"payment_method", method}});
    CHECK(reply.status == 400);
    CHECK(reply.json_body().at("code") == "validation_error");
    CHECK(reply.json_body().at("param") == "payment_method.credit." + field);
  }
  // Brand is compared without regard to case.
  json lower = credit_method(merchant.mint_card());
  lower["credit"]["card_brand"] = "visa";
  CHECK(merchant.post(methods_path(customer), {{"payment_method", lower}}).status == 201);

  const std::vector<std::pair<std::string, json>> ach_cases = {{"account_number_suffix", "0000"},
                                                               {"routing_number", "021000021"},
                                                               {"account_type", "savings"}};
  for (const auto& [field, value] : ach_cases) {
    INFO(field);
    json method = ach_method(merchant.mint_ach());
    method["ach"][field] = value;
    auto reply = merchant.post(methods_path(customer), {{"payment_method", method}});
    CHECK(reply.status == 400);
    CHECK(reply.json_body().at("param") == "payment_method.ach." + field);
  }
  // A card token sent as ACH.
  json card_token = merchant.mint_card();
  json as_ach = {{"payment_method_type", "ach"},
                 {"ach",
                  {{"fingerprint", card_token.at("fingerprint")},
                   {"account_number_suffix", "1111"},
                   {"routing_number", "011000015"},
                   {"account_type", "checking"}}}};
  auto wrong_kind = merchant.post(methods_path(customer), {{"payment_method", as_ach}});
  CHECK(wrong_kind.status == 400);
  CHECK(wrong_kind.json_body().at("param") == "payment_method.ach.fingerprint");
  // Nothing of the failed saves was kept.
  CHECK(merchant.get(methods_path(customer)).json_body().size() == 1);
}

TEST_CASE("saving on an unknown customer is a 404", "[http][wallet]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  auto reply = merchant.post("/api/customers/cus_nope/payment-methods",
                             {{"payment_method", credit_method(merchant.mint_card())}});
  CHECK(reply.status == 404);
  CHECK(merchant.get("/api/customers/cus_nope/payment-methods").status == 404);
}

TEST_CASE("the first method is the default; later ones are not until set", "[http][wallet]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("defaults");
  json first = merchant.save_card(uid_of(customer));
  json second = merchant.save_card(uid_of(customer), "5555555555554444");
  CHECK(first.at("is_default") == true);
  CHECK(second.at("is_default") == false);

  auto set = merchant.put("/api/customers/" + uid_of(customer) + "/default-payment-method",
                          {{"saved_payment_method_uid", uid_of(second)}});
  REQUIRE(set.status == 200);
  CHECK(set.json_body().at("uid") == customer.at("uid"));
  CHECK(set.json_body().at("default_payment_method_uid") == uid_of(second));
  auto list = merchant.get(methods_path(customer)).json_body();
  REQUIRE(list.size() == 2);
  CHECK(list[0].at("is_default") == false);
  CHECK(list[1].at("is_default") == true);
  CHECK(merchant.get(method_path(customer, uid_of(first))).json_body().at("is_default") == false);

  SECTION("a method of another customer is a 404") {
    json other = merchant.create_customer("other");
    json theirs = merchant.save_card(uid_of(other));
    auto reply = merchant.put("/api/customers/" + uid_of(customer) + "/default-payment-method",
                              {{"saved_payment_method_uid", uid_of(theirs)}});
    CHECK(reply.status == 404);
    CHECK(merchant.get(method_path(customer, uid_of(theirs))).status == 404);
    CHECK(merchant.del(method_path(customer, uid_of(theirs))).status == 404);
    CHECK(merchant.get(method_path(other, uid_of(theirs))).status == 200);
  }
  SECTION("an unknown method or a missing uid is refused") {
    CHECK(merchant
              .put("/api/customers/" + uid_of(customer) + "/default-payment-method",
                   {{"saved_payment_method_uid", "spm_nope"}})
              .status == 404);
    auto missing = merchant.put("/api/customers/" + uid_of(customer) + "/default-payment-method",
                                json::object());
    CHECK(missing.status == 400);
    CHECK(missing.json_body().at("param") == "saved_payment_method_uid");
    CHECK(merchant
              .put("/api/customers/cus_nope/default-payment-method",
                   {{"saved_payment_method_uid", uid_of(second)}})
              .status == 404);
  }
}

TEST_CASE("deleting the default leaves no default and the method is gone everywhere",
          "[http][wallet]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("delete");
  json first = merchant.save_card(uid_of(customer));
  json second = merchant.save_card(uid_of(customer), "5555555555554444");
  auto deleted = merchant.del(method_path(customer, uid_of(first)));
  CHECK(deleted.status == 204);
  CHECK(deleted.body.empty());

  json now = merchant.get("/api/customers/" + uid_of(customer)).json_body();
  CHECK(now.at("default_payment_method_uid").is_null());
  auto list = merchant.get(methods_path(customer)).json_body();
  REQUIRE(list.size() == 1);
  CHECK(list[0].at("saved_payment_method_uid") == uid_of(second));
  CHECK(list[0].at("is_default") == false);

  CHECK(merchant.get(method_path(customer, uid_of(first))).status == 404);
  CHECK(merchant.del(method_path(customer, uid_of(first))).status == 404);
  CHECK(merchant
            .put("/api/customers/" + uid_of(customer) + "/default-payment-method",
                 {{"saved_payment_method_uid", uid_of(first)}})
            .status == 404);

  // Deleting a method that is not the default keeps the default.
  merchant.put("/api/customers/" + uid_of(customer) + "/default-payment-method",
               {{"saved_payment_method_uid", uid_of(second)}});
  json third = merchant.save_card(uid_of(customer), "6011111111111117");
  CHECK(third.at("is_default") == false);
  CHECK(merchant.del(method_path(customer, uid_of(third))).status == 204);
  CHECK(merchant.get("/api/customers/" + uid_of(customer))
            .json_body()
            .at("default_payment_method_uid") == uid_of(second));
}

TEST_CASE("after the default is deleted the next saved method becomes the default",
          "[http][wallet]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("refill");
  json only = merchant.save_card(uid_of(customer));
  REQUIRE(merchant.del(method_path(customer, uid_of(only))).status == 204);
  json next = merchant.save_card(uid_of(customer), "5555555555554444");
  CHECK(next.at("is_default") == true);
}

TEST_CASE("SPM_ and spm_ name the same saved method", "[http][wallet]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("prefix");
  json saved = merchant.save_card(uid_of(customer));
  json second = merchant.save_card(uid_of(customer), "5555555555554444");
  const std::string upper = "SPM_" + uid_of(saved).substr(4);
  auto got = merchant.get(method_path(customer, upper));
  REQUIRE(got.status == 200);
  CHECK(got.json_body().at("saved_payment_method_uid") == uid_of(saved));
  auto set = merchant.put("/api/customers/" + uid_of(customer) + "/default-payment-method",
                          {{"saved_payment_method_uid", "SPM_" + uid_of(second).substr(4)}});
  REQUIRE(set.status == 200);
  CHECK(set.json_body().at("default_payment_method_uid") == uid_of(second));
  CHECK(merchant.del(method_path(customer, upper)).status == 204);
  CHECK(merchant.get(method_path(customer, uid_of(saved))).status == 404);
}

TEST_CASE("a customer's saved methods take $top, $skip and $orderby and refuse $filter",
          "[http][wallet][odata]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("paged");
  std::vector<std::string> uids;
  for (const char* number : {"4111111111111111", "5555555555554444", "6011111111111117"})
    uids.push_back(uid_of(merchant.save_card(uid_of(customer), number)));
  auto uids_in = [](const Reply& reply) {
    std::vector<std::string> out;
    for (const auto& m : reply.json_body()) out.push_back(m.at("saved_payment_method_uid"));
    return out;
  };
  CHECK(uids_in(merchant.get(methods_path(customer))) == uids);
  CHECK(uids_in(merchant.get(methods_path(customer) + "?$top=1&$skip=1")) ==
        std::vector<std::string>{uids[1]});
  CHECK(uids_in(merchant.get(methods_path(customer) + "?$orderby=created_at%20desc&$top=2")) ==
        std::vector<std::string>{uids[2], uids[1]});
  CHECK(merchant.get(methods_path(customer) + "?$skip=5").json_body().empty());
  for (const std::string query : {"$top=1001", "$filter=last4%20eq%20'1111'", "$select=last4"}) {
    INFO(query);
    auto reply = merchant.get(methods_path(customer) + "?" + query);
    CHECK(reply.status == 400);
    CHECK(reply.json_body().at("code") == "validation_error");
  }
}
