// docs/control-api.md#accounts and docs/api/customers-and-wallet.md: accounts are the isolation
// unit, and nothing read back from the wallet carries a token, a bin or a full number.
#include <regex>

#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

TEST_CASE("nothing of one account is reachable from another, not even by uid",
          "[http][isolation]") {
  TestSandbox sandbox;
  Merchant a(sandbox, sandbox.create_account().at("uid"));
  Merchant b(sandbox, sandbox.create_account().at("uid"));
  json customer = a.create_customer("shared-ref");
  const std::string cus = customer.at("uid");
  json saved = a.save_card(cus);
  const std::string spm = saved.at("saved_payment_method_uid");
  json b_customer = b.create_customer("b-only");
  const std::string b_cus = b_customer.at("uid");

  CHECK(b.get("/api/customers/" + cus).status == 404);
  CHECK(b.get("/api/customers/" + cus + "/payment-methods").status == 404);
  CHECK(b.get("/api/customers/" + cus + "/payment-methods/" + spm).status == 404);
  CHECK(b.del("/api/customers/" + cus + "/payment-methods/" + spm).status == 404);
  CHECK(b.put("/api/customers/" + cus + "/default-payment-method",
              {{"saved_payment_method_uid", spm}})
            .status == 404);
  CHECK(b.put("/api/customers/" + b_cus + "/default-payment-method",
              {{"saved_payment_method_uid", spm}})
            .status == 404);
  CHECK(b.get("/api/customers/" + b_cus + "/payment-methods/" + spm).status == 404);
  CHECK(b.post("/api/customers/" + cus + "/payment-methods",
               {{"payment_method", credit_method(b.mint_card())}})
            .status == 404);

  auto list = b.get("/api/customers");
  REQUIRE(list.json_body().size() == 1);
  CHECK(list.json_body()[0].at("uid") == b_cus);
  CHECK(b.get("/api/customers?$filter=reference_id%20eq%20'shared-ref'").json_body().empty());
  // The same reference_id is free in B.
  CHECK(b.post("/api/customers", {{"reference_id", "shared-ref"}}).status == 201);

  // A's data is intact after B's attempts.
  CHECK(a.get("/api/customers/" + cus + "/payment-methods/" + spm).status == 200);
  CHECK(a.get("/api/customers/" + cus).json_body().at("default_payment_method_uid") == spm);
}

TEST_CASE("the pieces the API keeps secret never appear in a list or get response",
          "[http][isolation][sanitization]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("sanitize");
  const std::string cus = customer.at("uid");
  std::vector<std::string> secrets;
  const std::vector<std::string> numbers = {"4111111111111111", "5555555555554444",
                                            "378282246310005", "6011111111111117"};
  std::vector<std::string> spms;
  for (const auto& number : numbers) {
    json minted = merchant.mint_card(number);
    secrets.push_back(minted.at("fingerprint"));
    secrets.push_back(number);
    auto saved = merchant.post("/api/customers/" + cus + "/payment-methods",
                               {{"payment_method", credit_method(minted)}});
    REQUIRE(saved.status == 201);
    secrets.push_back(saved.json_body().at("payment_method").at("credit").at("fingerprint"));
    spms.push_back(saved.json_body().at("saved_payment_method_uid"));
  }
  const std::string account_number = "000987654321";
  json ach = merchant.mint_ach("021000021", account_number);
  secrets.push_back(ach.at("fingerprint"));
  auto saved_ach = merchant.post("/api/customers/" + cus + "/payment-methods",
                                 {{"payment_method", ach_method(ach)}});
  REQUIRE(saved_ach.status == 201);
  secrets.push_back(saved_ach.json_body().at("payment_method").at("ach").at("fingerprint"));
  spms.push_back(saved_ach.json_body().at("saved_payment_method_uid"));
  auto imported = merchant.post("/api/saved-payment-methods/import",
                                {{"items",
                                  {{{"customer_reference_id", "sanitize"},
                                    {"payment_method",
                                     {{"payment_method_type", "credit"},
                                      {"credit",
                                       {{"fingerprint", "processor-token-xyz"},
                                        {"last4", "1111"},
                                        {"exp_month", 12},
                                        {"exp_year", 2030},
                                        {"bin", "411111"}}}}}}}}});
  REQUIRE(imported.status == 200);
  REQUIRE(imported.json_body().at("imported") == 1);
  secrets.push_back("processor-token-xyz");
  spms.push_back(imported.json_body().at("results")[0].at("saved_payment_method_uid"));

  std::vector<Reply> replies = {
      merchant.get("/api/customers"), merchant.get("/api/customers/" + cus),
      merchant.get("/api/customers/" + cus + "/payment-methods"),
      merchant.get("/api/customers?$filter=reference_id%20eq%20'sanitize'")};
  for (const auto& spm : spms)
    replies.push_back(merchant.get("/api/customers/" + cus + "/payment-methods/" + spm));

  const std::regex token_like("\"(ptok_|tok_)");
  const std::regex long_digits("[0-9]{9,}");
  for (const auto& reply : replies) {
    INFO(reply.body);
    REQUIRE(reply.status == 200);
    CHECK_FALSE(std::regex_search(reply.body, token_like));
    CHECK_FALSE(std::regex_search(reply.body, long_digits));
    CHECK(reply.body.find("\"bin\"") == std::string::npos);
    CHECK(reply.body.find("\"fingerprint\"") == std::string::npos);
    CHECK(reply.body.find("\"routing_number\"") == std::string::npos);
    CHECK(reply.body.find("411111") == std::string::npos);
    CHECK(reply.body.find(account_number) == std::string::npos);
    for (const auto& secret : secrets) CHECK(reply.body.find(secret) == std::string::npos);
  }
}
