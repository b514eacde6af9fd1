// The sandbox clock: real time from an injected source plus offsets.
#include "core/clock.h"

#include "core/time.h"
#include "support/catch.h"

using namespace paysandbox;

TEST_CASE("each account clock follows real time from its own offset", "[unit][clock]") {
  Millis real = 1'000'000;
  SandboxClock clock([&real] { return real; });
  CHECK(clock.server_now() == real);
  CHECK(clock.account_now("pa_a") == real);

  clock.advance_account("pa_a", 5000);
  CHECK(clock.account_now("pa_a") == real + 5000);
  CHECK(clock.account_now("pa_b") == real);
  CHECK(clock.server_now() == real);

  real += 100;  // real time passes for every clock
  CHECK(clock.account_now("pa_a") == 1'000'000 + 100 + 5000);
  CHECK(clock.server_now() == 1'000'100);
}

TEST_CASE("advancing all moves the server clock and every known account", "[unit][clock]") {
  Millis real = 0;
  SandboxClock clock([&real] { return real; });
  clock.advance_account("pa_a", 10);
  clock.set_account_offset("pa_b", 0);
  clock.advance_all(7);
  CHECK(clock.server_offset() == 7);
  CHECK(clock.account_offset("pa_a") == 17);
  CHECK(clock.account_offset("pa_b") == 7);

  clock.forget_account("pa_a");
  CHECK(clock.account_offset("pa_a") == 0);
  clock.clear_accounts();
  CHECK(clock.account_offset("pa_b") == 0);
  CHECK(clock.server_offset() == 7);
}

TEST_CASE("RFC 3339 times round-trip in UTC with a Z", "[unit][clock]") {
  auto parsed = parse_rfc3339("2026-11-23T18:30:00Z");
  REQUIRE(parsed);
  CHECK(format_rfc3339(*parsed) == "2026-11-23T18:30:00Z");
  CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(format_rfc3339(-1) == "1969-12-31T23:59:59Z");
  CHECK(format_rfc3339(951782400999) == "2000-02-29T00:00:00Z");
  CHECK(format_rfc3339(253402300799000) == "9999-12-31T23:59:59Z");
  // Every second of a day and every day of four years come back as parsed.
  for (Millis at = 1767225600000; at < 1767225600000 + 86400000; at += 997000)
    CHECK(parse_rfc3339(format_rfc3339(at)) == at / 1000 * 1000);
  for (Millis at = 1704067200000; at < 1704067200000 + 4 * 366 * 86400000LL; at += 86400000 + 1)
    CHECK(parse_rfc3339(format_rfc3339(at)) == at / 1000 * 1000);
  CHECK_FALSE(parse_rfc3339("2026-13-01T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("yesterday"));
}
