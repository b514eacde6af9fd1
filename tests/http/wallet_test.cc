#include <catch2/catch.hpp>

#include "support/harness.h"

using namespace testing;

TEST_CASE("a saved card is listed sanitized and becomes the customer's default", "[http][wallet]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("user-1");
  json saved = merchant.save_card(customer.at("uid"));
  CHECK(saved.at("is_default") == true);
  CHECK(saved.at("payment_method").at("credit").at("fingerprint").get<std::string>().rfind("tok_", 0) == 0);

  auto list = merchant.get("/api/customers/" + customer.at("uid").get<std::string>() + "/payment-methods");
  REQUIRE(list.status == 200);
  json methods = list.json_body();
  REQUIRE(methods.size() == 1);
  const json& credit = methods[0].at("payment_method").at("credit");
  CHECK(credit.at("last4") == "1111");
  CHECK_FALSE(credit.contains("fingerprint"));
  CHECK_FALSE(credit.contains("bin"));
}
