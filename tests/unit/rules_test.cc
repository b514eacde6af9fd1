#include "core/rules.h"

#include "core/time.h"
#include "support/catch.h"

using namespace paysandbox;

TEST_CASE("Luhn accepts the sandbox cards and rejects a changed digit", "[unit]") {
  CHECK(luhn_valid("4111111111111111"));
  CHECK(luhn_valid("4000000000000069"));
  CHECK(luhn_valid("378282246310005"));
  CHECK_FALSE(luhn_valid("4111111111111112"));
  CHECK_FALSE(luhn_valid("4111a11111111111"));
}

TEST_CASE("the ABA checksum accepts real routing numbers only", "[unit]") {
  CHECK(aba_valid("011000015"));
  CHECK(aba_valid("021000021"));
  CHECK_FALSE(aba_valid("011000016"));
  CHECK_FALSE(aba_valid("01100001"));
}

TEST_CASE("fees round half up on basis points and add the fixed part", "[unit]") {
  CHECK(processing_fee(FeeRule{295, 3}, 10000) == 298);
  // 2.95 % of 50 = 1.475 -> 1, of 51 = 1.5045 -> 2 (half up at .5).
  CHECK(processing_fee(FeeRule{295, 0}, 50) == 1);
  CHECK(processing_fee(FeeRule{5000, 0}, 1) == 1);
  CHECK(processing_fee(FeeRule{0, 150}, 12345) == 150);
}

TEST_CASE("a card is good through the last day of its expiry month", "[unit]") {
  const Millis end_of_dec_2030 = *parse_rfc3339("2030-12-31T23:59:59Z");
  const Millis jan_2031 = *parse_rfc3339("2031-01-01T00:00:00Z");
  CHECK_FALSE(card_expired(12, 2030, end_of_dec_2030));
  CHECK(card_expired(12, 2030, jan_2031));
  CHECK(format_rfc3339(jan_2031) == "2031-01-01T00:00:00Z");
}

TEST_CASE("card brands come from the leading digits", "[unit]") {
  CHECK(card_brand_for("4242424242424242") == "VISA");
  CHECK(card_brand_for("5105105105105100") == "MASTERCARD");
  CHECK(card_brand_for("2223003122003222") == "MASTERCARD");
  CHECK(card_brand_for("371449635398431") == "AMEX");
  CHECK(card_brand_for("6011000990139424") == "DISCOVER");
  CHECK(card_brand_for("3056930009020004") == "DINERS");
  CHECK(card_brand_for("3566002020360505") == "JCB");
  CHECK(card_brand_for("9999999999999995") == "UNKNOWN");
}

TEST_CASE("fee rounding is half up exactly at .5 and down below it", "[unit]") {
  // 2.95 % of 51 = 1.5045 -> 2; 1 % of 50 = 0.5 -> 1; 1 % of 49 = 0.49 -> 0.
  CHECK(processing_fee(FeeRule{295, 0}, 51) == 2);
  CHECK(processing_fee(FeeRule{100, 0}, 50) == 1);
  CHECK(processing_fee(FeeRule{100, 0}, 49) == 0);
  CHECK(processing_fee(FeeRule{295, 3}, 0) == 3);
  // Large amounts do not overflow: 2.95 % of $10,000,000.00.
  CHECK(processing_fee(FeeRule{295, 0}, 1000000000) == 29500000);
}

TEST_CASE("ABA and Luhn refuse empty and non-digit input", "[unit]") {
  CHECK_FALSE(luhn_valid(""));
  CHECK_FALSE(aba_valid(""));
  CHECK_FALSE(aba_valid("01100001a"));
  CHECK_FALSE(aba_valid("0110000150"));
}
