// IdempotencyService through its C++ API: claim, replay, mismatch, in flight
// and retention on the tenant's clock.
#include "support/catch.h"
#include "unit/service_world.h"

using namespace paysandbox;
using paysandbox::testing::ServiceWorld;
using Decision = IdempotencyService::Decision;

namespace {
StoredResponse answer(int status, const std::string& body) {
  StoredResponse stored;
  stored.status = status;
  stored.content_type = "application/json";
  stored.body = body;
  return stored;
}
}  // namespace

TEST_CASE("a key's first answer is replayed to the same request", "[unit][service][idempotency]") {
  ServiceWorld world;
  auto first = world.idempotency.begin("pa_sandbox", "pa_sandbox", "key-1", "fp-a");
  CHECK(first.decision == Decision::kProceed);
  world.idempotency.finish("pa_sandbox", "pa_sandbox", "key-1", "fp-a", answer(201, "{\"n\":1}"));
  auto again = world.idempotency.begin("pa_sandbox", "pa_sandbox", "key-1", "fp-a");
  REQUIRE(again.decision == Decision::kReplay);
  CHECK(again.stored.status == 201);
  CHECK(again.stored.body == "{\"n\":1}");
  CHECK(again.stored.content_type == "application/json");
}

TEST_CASE("a key used for another request is a mismatch", "[unit][service][idempotency]") {
  ServiceWorld world;
  REQUIRE(world.idempotency.begin("pa_sandbox", "pa_sandbox", "key-1", "fp-a").decision ==
          Decision::kProceed);
  world.idempotency.finish("pa_sandbox", "pa_sandbox", "key-1", "fp-a", answer(200, "{}"));
  CHECK(world.idempotency.begin("pa_sandbox", "pa_sandbox", "key-1", "fp-b").decision ==
        Decision::kMismatch);
}

TEST_CASE("a second request with a key still running is refused as in flight",
          "[unit][service][idempotency]") {
  ServiceWorld world;
  REQUIRE(world.idempotency.begin("pa_sandbox", "pa_sandbox", "key-1", "fp-a").decision ==
          Decision::kProceed);
  CHECK(world.idempotency.begin("pa_sandbox", "pa_sandbox", "key-1", "fp-a").decision ==
        Decision::kInFlight);
  // Nothing worth keeping (a validation error): the key is free again.
  world.idempotency.finish("pa_sandbox", "pa_sandbox", "key-1", "fp-a", std::nullopt);
  CHECK(world.idempotency.begin("pa_sandbox", "pa_sandbox", "key-1", "fp-a").decision ==
        Decision::kProceed);
}

TEST_CASE("keys are per tenant", "[unit][service][idempotency]") {
  ServiceWorld world;
  const Account other = world.new_account();
  REQUIRE(world.idempotency.begin("pa_sandbox", "pa_sandbox", "key-1", "fp-a").decision ==
          Decision::kProceed);
  world.idempotency.finish("pa_sandbox", "pa_sandbox", "key-1", "fp-a", answer(200, "{}"));
  CHECK(world.idempotency.begin(other.uid, other.uid, "key-1", "fp-b").decision ==
        Decision::kProceed);
}

TEST_CASE("an answer is kept for 24 hours of the tenant's clock", "[unit][service][idempotency]") {
  ServiceWorld world;
  const Account account = world.new_account();
  REQUIRE(world.idempotency.begin(account.uid, account.uid, "key-1", "fp-a").decision ==
          Decision::kProceed);
  world.idempotency.finish(account.uid, account.uid, "key-1", "fp-a", answer(200, "{}"));
  world.accounts.advance(account.uid, IdempotencyService::kRetention - kSecond);
  CHECK(world.idempotency.begin(account.uid, account.uid, "key-1", "fp-a").decision ==
        Decision::kReplay);
  world.accounts.advance(account.uid, kSecond);
  CHECK(world.idempotency.begin(account.uid, account.uid, "key-1", "fp-b").decision ==
        Decision::kProceed);
}

TEST_CASE("only answers of routes that ran their logic are worth keeping",
          "[unit][service][idempotency]") {
  for (int status : {200, 201, 204, 402, 404, 409})
    CHECK(IdempotencyService::worth_storing(status));
  for (int status : {400, 401, 403, 413, 429, 500, 502})
    CHECK_FALSE(IdempotencyService::worth_storing(status));
}
