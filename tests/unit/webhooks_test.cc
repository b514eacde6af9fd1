#include "support/catch.h"
#include "webhooks/dispatcher.h"
#include "webhooks/signer.h"

using namespace paysandbox;

TEST_CASE("the signature is sha256= and the hex HMAC-SHA256 of timestamp.body", "[unit]") {
  // Reference value from Python: hmac.new(b"whsec_test", b'1700000000.{"a":1}', sha256).
  CHECK(webhook_signature("whsec_test", 1700000000, R"({"a":1})") ==
        "sha256=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
  CHECK(webhook_signature("whsec_test", 1700000001, R"({"a":1})") !=
        webhook_signature("whsec_test", 1700000000, R"({"a":1})"));
}

TEST_CASE("the retry waits are 1 min then 5 min then 30 min then 2 h then 6 h then 12 h then 24 h",
          "[unit]") {
  const std::vector<Millis> expected = {60000,    300000,   1800000, 7200000,
                                        21600000, 43200000, 86400000};
  CHECK(Dispatcher::retry_intervals() == expected);
}
