// AccountService and TokenService through their C++ API: accounts, clocks
// and bearer tokens, over an in-memory store.
#include "support/catch.h"
#include "unit/service_world.h"

using namespace paysandbox;
using paysandbox::testing::ServiceWorld;

TEST_CASE("a token is issued only to a known client presenting its secret",
          "[unit][service][tokens]") {
  ServiceWorld world;
  auto token = world.tokens.issue("sandbox-client", "sandbox-secret", "payments");
  REQUIRE(token);
  CHECK(token->token.rfind("at_", 0) == 0);
  CHECK(token->client_id == "sandbox-client");
  CHECK(token->scope == "payments");
  CHECK(token->expires_at == world.clock.server_now() + TokenService::kLifetime);

  auto wrong_secret = world.tokens.issue("sandbox-client", "guess", "");
  REQUIRE_FALSE(wrong_secret);
  CHECK(wrong_secret.error().code == ErrorCode::kUnauthorized);
  auto unknown = world.tokens.issue("nobody", "sandbox-secret", "");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == ErrorCode::kUnauthorized);
}

TEST_CASE("a bearer token names its client until 3600 s of server time have passed",
          "[unit][service][tokens]") {
  ServiceWorld world;
  auto token = world.tokens.issue("sandbox-client", "sandbox-secret", "");
  REQUIRE(token);
  world.accounts.advance("", 3599 * kSecond);
  auto live = world.tokens.authenticate(token->token);
  REQUIRE(live);
  CHECK(*live == "sandbox-client");

  world.accounts.advance("", 1 * kSecond);
  auto expired = world.tokens.authenticate(token->token);
  REQUIRE_FALSE(expired);
  CHECK(expired.error().code == ErrorCode::kUnauthorized);
  CHECK(expired.error().message.find("expired") != std::string::npos);
}

TEST_CASE("advancing one account's clock leaves the server's tokens alone",
          "[unit][service][tokens]") {
  ServiceWorld world;
  const Account account = world.new_account();
  auto token = world.tokens.issue("sandbox-client", "sandbox-secret", "");
  REQUIRE(token);
  world.accounts.advance(account.uid, 7200 * kSecond);
  CHECK(world.tokens.authenticate(token->token));
}

TEST_CASE("a bearer token this sandbox never issued is refused", "[unit][service][tokens]") {
  ServiceWorld world;
  auto result = world.tokens.authenticate("at_not_a_token");
  REQUIRE_FALSE(result);
  CHECK(result.error().code == ErrorCode::kUnauthorized);
  CHECK(result.error().message.find("/oauth2/token") != std::string::npos);
}

TEST_CASE("a token issued before a restart on the same store still authenticates",
          "[unit][service][tokens]") {
  ServiceWorld world;
  auto token = world.tokens.issue("sandbox-client", "sandbox-secret", "");
  REQUIRE(token);
  TokenService restarted(world.account_store, world.clock);
  auto client = restarted.authenticate(token->token);
  REQUIRE(client);
  CHECK(*client == "sandbox-client");
}

TEST_CASE("a new account takes the documented defaults", "[unit][service][accounts]") {
  ServiceWorld world;
  const Account account = world.new_account();
  CHECK(account.uid.rfind("pa_", 0) == 0);
  CHECK(account.active);
  CHECK(account.enable_ach);
  CHECK(account.enable_credit_card);
  CHECK(account.fee_rules.credit.percent_bps == 295);
  CHECK(account.fee_rules.credit.fixed == 3);
  CHECK(account.fee_rules.ach.percent_bps == 0);
  CHECK(account.fee_rules.ach.fixed == 150);
  CHECK_FALSE(account.webhook_enabled);  // no callback_url
  CHECK(account.webhook_secret.rfind("whsec_", 0) == 0);
  auto found = world.accounts.find(account.uid);
  REQUIRE(found);
  CHECK(found->name == "Unit test account");
}

TEST_CASE("an account with a callback_url has webhooks on unless told otherwise",
          "[unit][service][accounts]") {
  ServiceWorld world;
  AccountDraft draft;
  draft.client_id = "sandbox-client";
  draft.callback_url = "http://127.0.0.1:9/hooks";
  auto on = world.accounts.create(draft);
  REQUIRE(on);
  CHECK(on->webhook_enabled);
  draft.webhook_enabled = false;
  auto off = world.accounts.create(draft);
  REQUIRE(off);
  CHECK_FALSE(off->webhook_enabled);
}

TEST_CASE("a minimum above the maximum payment amount is refused naming the field",
          "[unit][service][accounts]") {
  ServiceWorld world;
  AccountDraft draft;
  draft.client_id = "sandbox-client";
  draft.minimum_payment_amount = 5000;
  draft.maximum_payment_amount = 100;
  auto account = world.accounts.create(draft);
  REQUIRE_FALSE(account);
  CHECK(account.error().code == ErrorCode::kValidation);
  CHECK(account.error().param == "minimum_payment_amount");
}

TEST_CASE("an update is what the next find returns", "[unit][service][accounts]") {
  ServiceWorld world;
  Account account = world.new_account();
  REQUIRE(world.accounts.find(account.uid));  // cached now
  account.enable_ach = false;
  account.fee_rules.credit.fixed = 30;
  world.accounts.update(account);
  auto found = world.accounts.find(account.uid);
  REQUIRE(found);
  CHECK_FALSE(found->enable_ach);
  CHECK(found->fee_rules.credit.fixed == 30);
  CHECK_FALSE(world.accounts.find("pa_missing"));
}

TEST_CASE("an account's clock moves alone and is restored by the next load",
          "[unit][service][accounts][clock]") {
  ServiceWorld world;
  const Account moved = world.new_account();
  const Account still = world.new_account();
  world.accounts.advance(moved.uid, 500 * kSecond);
  CHECK(world.clock.account_now(moved.uid) == paysandbox::testing::kWorldStart + 500 * kSecond);
  CHECK(world.clock.account_now(still.uid) == paysandbox::testing::kWorldStart);

  // A restart on the same store: a new clock, the offsets read back.
  SandboxClock clock([&world] { return world.real_time; });
  AccountService restarted(world.account_store, clock, world.fixtures);
  restarted.load();
  CHECK(clock.account_offset(moved.uid) == 500 * kSecond);
  CHECK(clock.account_offset(still.uid) == 0);
}

TEST_CASE("advancing every clock moves accounts that were never advanced",
          "[unit][service][accounts][clock]") {
  ServiceWorld world;
  const Account account = world.new_account();
  world.accounts.advance("", 60 * kSecond);
  CHECK(world.clock.server_offset() == 60 * kSecond);
  CHECK(world.clock.account_offset(account.uid) == 60 * kSecond);
  CHECK(world.clock.account_offset("pa_sandbox") == 60 * kSecond);

  world.accounts.reset_account_clock(account.uid);
  CHECK(world.clock.account_offset(account.uid) == 0);
  world.accounts.reset_all_clocks();
  CHECK(world.clock.server_offset() == 0);
  CHECK(world.clock.account_offset("pa_sandbox") == 0);
}
