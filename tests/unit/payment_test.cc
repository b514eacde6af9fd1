#include "core/payment.h"

#include "support/catch.h"

using namespace paysandbox;

namespace {
Payment completed_payment(std::int64_t total) {
  Payment p;
  p.uid = "pay_test";
  p.total_amount = total;
  p.status = PaymentStatus::kCompleted;
  return p;
}
}  // namespace

TEST_CASE("refunds move a payment to partially_refunded and then refunded", "[unit]") {
  auto partial = apply_refund(completed_payment(1000), 400, 5);
  REQUIRE(partial.ok());
  CHECK(partial->status == PaymentStatus::kPartiallyRefunded);
  CHECK(partial->refunded_amount == 400);
  auto over = apply_refund(*partial, 601, 6);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().code == ErrorCode::kValidation);
  CHECK(over.error().param == "amount");
  auto rest = apply_refund(*partial, std::nullopt, 7);
  REQUIRE(rest.ok());
  CHECK(rest->status == PaymentStatus::kRefunded);
  CHECK(rest->refunded_amount == 1000);
  CHECK(apply_refund(*rest, 1, 8).error().code == ErrorCode::kConflict);
}

TEST_CASE("only a validated payment can be captured or failed", "[unit]") {
  Payment validated;
  auto done = complete_capture(validated, "txn_1", 10);
  REQUIRE(done.ok());
  CHECK(done->status == PaymentStatus::kCompleted);
  CHECK(done->captured_at == 10);
  CHECK(complete_capture(*done, "txn_2", 11).error().code == ErrorCode::kConflict);
  CHECK(fail_capture(*done, Outcome::kCardDeclined, 11).error().code == ErrorCode::kConflict);
  auto failed = fail_capture(validated, Outcome::kCardDeclined, 12);
  REQUIRE(failed.ok());
  CHECK(failed->failure_code == "card_declined");
  CHECK(complete_capture(*failed, "txn_3", 13).error().code == ErrorCode::kConflict);
}

TEST_CASE("a capture claim is compared field by field in body order", "[unit]") {
  Payment p;
  p.base_amount = 100;
  p.tax_amount = 5;
  p.currency = "USD";
  p.reference_id = "r";
  p.method_request = "{}";
  p.processing_fee_amount = 3;
  p.total_amount = 108;
  CaptureClaim c{100, 5, "USD", "r", "{}", 3, std::nullopt};
  CHECK_FALSE(capture_mismatch(p, c).has_value());
  c.total_amount = 108;
  CHECK_FALSE(capture_mismatch(p, c).has_value());
  c.total_amount = 109;
  CHECK(capture_mismatch(p, c)->param == "total_amount");
  c.method_request = "{\"x\":1}";
  CHECK(capture_mismatch(p, c)->param == "method_request");
  c.base_amount = 1;
  CHECK(capture_mismatch(p, c)->param == "base_amount");
  CHECK(capture_mismatch(p, c)->code == ErrorCode::kConflict);
}

TEST_CASE("the same card has the same instrument key however it is presented", "[unit]") {
  PaymentInstrument fresh;
  fresh.type = PaymentMethodType::kCredit;
  fresh.fingerprint = "ptok_a";
  fresh.card = CardDetails{"1111", "411111", "VISA", 12, 2030, ""};
  PaymentInstrument saved = fresh;
  saved.type = PaymentMethodType::kWalletCredit;
  saved.fingerprint.clear();
  saved.saved_method_uid = "spm_a";
  CHECK(instrument_key(fresh) == instrument_key(saved));
  saved.card.exp_year = 2031;
  CHECK(instrument_key(fresh) != instrument_key(saved));
}
