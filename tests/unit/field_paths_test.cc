// Services name the fields of their own input; a route, which knows where
// that input sat in the request body, places the error at its request path
// (http/field_paths.h) and the message is composed again with that path.
#include "http/field_paths.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "support/catch.h"
#include "unit/service_world.h"

using namespace paysandbox;
using paysandbox::testing::ServiceWorld;

TEST_CASE("a wallet error names the claim's own field and a route places it in the request",
          "[unit][service][wallet][field_paths]") {
  ServiceWorld world;
  MethodClaim claim = world.card_claim("pa_sandbox");
  claim.last4 = "9999";
  auto refused = world.wallet.redeem("pa_sandbox", claim);
  REQUIRE_FALSE(refused);
  const Error& error = refused.error();
  CHECK(error.param == "last4");
  CHECK(error.message ==
        "'last4' is '9999' but the token was minted for '1111'; send the details the token "
        "stand-in returned.");

  const Error placed = at_request_path(error, {{"", "payment_method.credit"}});
  CHECK(placed.code == ErrorCode::kValidation);
  CHECK(placed.param == "payment_method.credit.last4");
  CHECK(placed.message ==
        "'payment_method.credit.last4' is '9999' but the token was minted for '1111'; send the "
        "details the token stand-in returned.");
  REQUIRE(placed.details.size() == 1);
  CHECK(placed.details[0] == std::make_pair(std::string("expected"), std::string("1111")));
}

TEST_CASE("a card the token stand-in refuses names the card's field until the route places it",
          "[unit][service][wallet][field_paths]") {
  ServiceWorld world;
  auto luhn =
      world.wallet.mint_card_token("pa_sandbox", CardInput{"4111111111111112", 12, 2030, ""});
  REQUIRE_FALSE(luhn);
  CHECK(luhn.error().param == "number");
  CHECK(luhn.error().message.rfind("'number' fails the Luhn check", 0) == 0);
  const Error placed = at_request_path(luhn.error(), {{"", "card"}});
  CHECK(placed.param == "card.number");
  CHECK(placed.message ==
        "'card.number' fails the Luhn check; use a sandbox card number such as "
        "4111111111111111.");
}

TEST_CASE("a payment error names the draft's member and the platform paths place it",
          "[unit][service][payments][field_paths]") {
  ServiceWorld world;
  Account account = world.new_account();
  PaymentDraft draft;
  draft.base_amount = 10000;
  draft.currency = "USD";
  draft.reference_id = "order-1";
  draft.method.type = PaymentMethodType::kAch;
  draft.method.claim = world.ach_claim(account.uid);
  SECTION("a detail that disagrees with the token") {
    draft.method.claim.routing_number = "011000015";
    auto result = world.payments.validate(account, draft);
    REQUIRE_FALSE(result);
    CHECK(result.error().param == "method.claim.routing_number");
    const Error placed = at_request_path(result.error(), payment_method_paths(MethodKind::kAch));
    CHECK(placed.param == "payment_method.ach.routing_number");
    CHECK(placed.message.rfind("'payment_method.ach.routing_number' is '011000015'", 0) == 0);
  }
  SECTION("a kind the account does not accept") {
    account.enable_ach = false;
    auto result = world.payments.validate(account, draft);
    REQUIRE_FALSE(result);
    CHECK(result.error().param == "method.type");
    const Error placed = at_request_path(result.error(), payment_method_paths(MethodKind::kAch));
    CHECK(placed.param == "payment_method.payment_method_type");
    CHECK(placed.message == result.error().message);
  }
  SECTION("a field of the draft itself is already where the body has it") {
    draft.currency = "EUR";
    auto result = world.payments.validate(account, draft);
    REQUIRE_FALSE(result);
    const Error placed = at_request_path(result.error(), payment_method_paths(MethodKind::kAch));
    CHECK(placed.param == "currency");
    CHECK(placed.message == "'currency' must be 'USD', the only currency accepted; got 'EUR'.");
  }
}

TEST_CASE("the longest matching field places an error, and a URL segment drops its param",
          "[unit][field_paths]") {
  const FieldPaths paths = {{"payment", "processor_token"},
                            {"payment.claim", "payment_method.card"},
                            {"payment.claim.fingerprint", "processor_token"},
                            {"uid", ""}};
  CHECK(at_request_path(validation_error("payment.claim.last4", "x"), paths).param ==
        "payment_method.card.last4");
  CHECK(at_request_path(validation_error("payment.claim.fingerprint", "x"), paths).param ==
        "processor_token");
  CHECK(at_request_path(validation_error("payment", "x"), paths).param == "processor_token");
  // "payments" is not a field of "payment": it stays.
  CHECK(at_request_path(validation_error("payments", "x"), paths).param == "payments");
  CHECK(at_request_path(validation_error("uid", "x"), paths).param.empty());
  CHECK(at_request_path(not_found("gone"), paths).param.empty());

  // Every mention of the field is composed with its path.
  const Error both = invalid_field("payment", {"", " or '", "'"});
  CHECK(both.message == "payment or 'payment'");
  CHECK(at_request_path(both, paths).message == "processor_token or 'processor_token'");

  // A message extended after it was composed keeps its text; the param moves.
  Error extended = invalid_field("payment", {"'", "' is required."});
  extended.message += " Try again.";
  const Error placed = at_request_path(extended, paths);
  CHECK(placed.param == "processor_token");
  CHECK(placed.message == "'payment' is required. Try again.");
}

TEST_CASE("services, webhooks and core spell no request body path", "[unit][field_paths]") {
  // A string literal that opens with where a route's body puts a field:
  // those names belong to http/ (field_paths.h and the routes).
  const std::regex request_path(
      "\"(payment_method[.\"]|payment_method_type|challenge_response|processor_token|card\\.|"
      "ach\\.|updates\\.|customer_id\"|client_id\")");
  const std::filesystem::path src = std::filesystem::path(PAYSANDBOX_SOURCE_DIR) / "src";
  int files = 0;
  std::vector<std::string> found;
  for (const char* folder : {"service", "webhooks", "core"}) {
    for (const auto& entry : std::filesystem::directory_iterator(src / folder)) {
      std::ifstream in(entry.path());
      std::string line;
      for (int number = 1; std::getline(in, line); ++number)
        if (std::regex_search(line, request_path))
          found.push_back(entry.path().filename().string() + ":" + std::to_string(number) + ": " +
                          line);
      ++files;
    }
  }
  CHECK(files > 20);
  CHECK(found == std::vector<std::string>{});
}
