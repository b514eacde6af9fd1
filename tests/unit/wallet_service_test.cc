// WalletService through its C++ API: the token stand-in, customers and saved
// methods, over an in-memory store.
#include "support/catch.h"
#include "unit/service_world.h"

using namespace paysandbox;
using paysandbox::testing::ServiceWorld;

TEST_CASE("a minted card token carries the card's details and its table outcome",
          "[unit][service][wallet]") {
  ServiceWorld world;
  auto token =
      world.wallet.mint_card_token("pa_sandbox", CardInput{"4000000000000002", 12, 2030, ""});
  REQUIRE(token);
  CHECK(token->fingerprint.rfind("ptok_", 0) == 0);
  CHECK(token->card.last4 == "0002");
  CHECK(token->card.bin == "400000");
  CHECK(token->card.card_brand == "VISA");
  CHECK(token->outcome == Outcome::kCardDeclined);
  CHECK(token->expires_at == world.clock.account_now("pa_sandbox") + WalletService::kTokenLifetime);
}

TEST_CASE("a card number failing the Luhn check or an expired card is not tokenized",
          "[unit][service][wallet]") {
  ServiceWorld world;
  auto luhn =
      world.wallet.mint_card_token("pa_sandbox", CardInput{"4111111111111112", 12, 2030, ""});
  REQUIRE_FALSE(luhn);
  CHECK(luhn.error().code == ErrorCode::kValidation);
  CHECK(luhn.error().param == "number");
  auto expired =
      world.wallet.mint_card_token("pa_sandbox", CardInput{"4111111111111111", 12, 2025, ""});
  REQUIRE_FALSE(expired);
  CHECK(expired.error().param == "exp_year");
}

TEST_CASE("a proxynized token redeems for 15 minutes of the account's clock",
          "[unit][service][wallet]") {
  ServiceWorld world;
  const Account account = world.new_account();
  MethodClaim claim = world.card_claim(account.uid);
  world.accounts.advance(account.uid, 899 * kSecond);
  CHECK(world.wallet.redeem(account.uid, claim));
  world.accounts.advance(account.uid, 1 * kSecond);
  auto expired = world.wallet.redeem(account.uid, claim);
  REQUIRE_FALSE(expired);
  CHECK(expired.error().param == "fingerprint");
  CHECK(expired.error().message.find("expired") != std::string::npos);
}

TEST_CASE("a claim that disagrees with its token is refused naming the field",
          "[unit][service][wallet]") {
  ServiceWorld world;
  MethodClaim claim = world.card_claim("pa_sandbox");
  SECTION("last4") {
    claim.last4 = "9999";
    auto result = world.wallet.redeem("pa_sandbox", claim);
    REQUIRE_FALSE(result);
    CHECK(result.error().param == "last4");
  }
  SECTION("expiry month") {
    claim.exp_month = 1;
    auto result = world.wallet.redeem("pa_sandbox", claim);
    REQUIRE_FALSE(result);
    CHECK(result.error().param == "exp_month");
  }
  SECTION("kind") {
    claim.kind = MethodKind::kAch;
    auto result = world.wallet.redeem("pa_sandbox", claim);
    REQUIRE_FALSE(result);
    CHECK(result.error().param == "fingerprint");
  }
}

TEST_CASE("a token minted for one account is unknown to another", "[unit][service][wallet]") {
  ServiceWorld world;
  const Account other = world.new_account();
  MethodClaim claim = world.card_claim("pa_sandbox");
  auto result = world.wallet.redeem(other.uid, claim);
  REQUIRE_FALSE(result);
  CHECK(result.error().code == ErrorCode::kValidation);
  CHECK(result.error().param == "fingerprint");
}

TEST_CASE("a scenario's expire_tokens ends every live token of the account only",
          "[unit][service][wallet]") {
  ServiceWorld world;
  const Account other = world.new_account();
  MethodClaim mine = world.card_claim("pa_sandbox");
  MethodClaim theirs = world.card_claim(other.uid);
  CHECK(world.wallet.expire_tokens("pa_sandbox") == 1);
  CHECK_FALSE(world.wallet.redeem("pa_sandbox", mine));
  CHECK(world.wallet.redeem(other.uid, theirs));
}

TEST_CASE("a reference_id names one customer per account", "[unit][service][wallet]") {
  ServiceWorld world;
  const Account other = world.new_account();
  Customer first = world.new_customer("pa_sandbox", "user-42");
  auto again = world.wallet.create_customer("pa_sandbox", "user-42", std::nullopt, std::nullopt);
  REQUIRE_FALSE(again);
  CHECK(again.error().code == ErrorCode::kConflict);
  CHECK(again.error().param == "reference_id");
  CHECK(world.wallet.create_customer(other.uid, "user-42", std::nullopt, std::nullopt));

  auto found = world.wallet.find_customer_by_reference("pa_sandbox", "user-42");
  REQUIRE(found);
  CHECK(found->uid == first.uid);
  auto missing = world.wallet.find_customer_by_reference("pa_sandbox", "user-43");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::kNotFound);
  CHECK(missing.error().param == "reference_id");
  CHECK_FALSE(world.wallet.get_customer(other.uid, first.uid));
}

TEST_CASE("the first saved method is the default until another is chosen",
          "[unit][service][wallet]") {
  ServiceWorld world;
  Customer customer = world.new_customer("pa_sandbox", "user-1");
  auto first = world.wallet.save_method("pa_sandbox", customer.uid, world.card_claim("pa_sandbox"));
  REQUIRE(first);
  CHECK(first->is_default);
  CHECK(first->method.uid.rfind("spm_", 0) == 0);
  CHECK(first->method.permanent_token.rfind("tok_", 0) == 0);
  auto second = world.wallet.save_method("pa_sandbox", customer.uid,
                                         world.card_claim("pa_sandbox", "5555555555554444"));
  REQUIRE(second);
  CHECK_FALSE(second->is_default);

  auto updated = world.wallet.set_default("pa_sandbox", customer.uid, second->method.uid);
  REQUIRE(updated);
  CHECK(updated->default_payment_method_uid == second->method.uid);
  auto listed = world.wallet.list_methods("pa_sandbox", customer.uid);
  REQUIRE(listed);
  REQUIRE(listed->size() == 2);
  for (const auto& view : *listed)
    CHECK(view.is_default == (view.method.uid == second->method.uid));
}

TEST_CASE("a saved method keeps the outcome of the card it was minted from",
          "[unit][service][wallet]") {
  ServiceWorld world;
  Customer customer = world.new_customer("pa_sandbox", "user-1");
  auto saved = world.wallet.save_method("pa_sandbox", customer.uid,
                                        world.card_claim("pa_sandbox", "4000000000009995"));
  REQUIRE(saved);
  CHECK(saved->method.outcome == Outcome::kInsufficientFunds);
}

TEST_CASE("another customer's method is not found through this customer",
          "[unit][service][wallet]") {
  ServiceWorld world;
  Customer alex = world.new_customer("pa_sandbox", "alex");
  Customer sam = world.new_customer("pa_sandbox", "sam");
  auto method = world.wallet.save_method("pa_sandbox", alex.uid, world.card_claim("pa_sandbox"));
  REQUIRE(method);
  auto through_sam = world.wallet.get_method("pa_sandbox", sam.uid, method->method.uid);
  REQUIRE_FALSE(through_sam);
  CHECK(through_sam.error().code == ErrorCode::kNotFound);
  CHECK_FALSE(world.wallet.set_default("pa_sandbox", sam.uid, method->method.uid));
  CHECK_FALSE(world.wallet.delete_method("pa_sandbox", sam.uid, method->method.uid));
  CHECK(world.wallet.get_method("pa_sandbox", alex.uid, method->method.uid));
}

TEST_CASE("a deleted method is gone, and its uid may be sent in upper case",
          "[unit][service][wallet]") {
  ServiceWorld world;
  Customer customer = world.new_customer("pa_sandbox", "user-1");
  auto method =
      world.wallet.save_method("pa_sandbox", customer.uid, world.card_claim("pa_sandbox"));
  REQUIRE(method);
  const std::string upper = "SPM_" + method->method.uid.substr(4);
  CHECK(WalletService::normalize_method_uid(upper) == method->method.uid);
  CHECK(world.wallet.delete_method("pa_sandbox", customer.uid, upper));
  CHECK_FALSE(world.wallet.find_method("pa_sandbox", method->method.uid));
  auto again = world.wallet.delete_method("pa_sandbox", customer.uid, method->method.uid);
  REQUIRE_FALSE(again);
  CHECK(again.error().code == ErrorCode::kNotFound);
}
