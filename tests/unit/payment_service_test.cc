// PaymentService through its C++ API: validate, capture, refund and the
// hosted page's pay, with the events each transition reports.
#include "support/catch.h"
#include "unit/service_world.h"

using namespace paysandbox;
using paysandbox::testing::ServiceWorld;

namespace {

PaymentDraft card_draft(const MethodClaim& claim, std::int64_t base = 10000,
                        std::int64_t tax = 825) {
  PaymentDraft draft;
  draft.base_amount = base;
  draft.tax_amount = tax;
  draft.currency = "USD";
  draft.reference_id = "order-1";
  draft.method.type =
      claim.kind == MethodKind::kAch ? PaymentMethodType::kAch : PaymentMethodType::kCredit;
  draft.method.claim = claim;
  draft.method.canonical = "{\"fingerprint\":\"" + claim.fingerprint + "\"}";
  return draft;
}

CaptureClaim claim_of(const Payment& payment) {
  CaptureClaim claim;
  claim.base_amount = payment.base_amount;
  claim.tax_amount = payment.tax_amount;
  claim.currency = payment.currency;
  claim.reference_id = payment.reference_id;
  claim.method_request = payment.method_request;
  claim.processing_fee_amount = payment.processing_fee_amount;
  return claim;
}

}  // namespace

TEST_CASE("validation charges the account's card fee, rounded half up, plus the fixed part",
          "[unit][service][payments]") {
  ServiceWorld world;
  const Account account = world.new_account();
  auto payment = world.payments.validate(account, card_draft(world.card_claim(account.uid)));
  REQUIRE(payment);
  CHECK(payment->status == PaymentStatus::kValidated);
  CHECK(payment->processing_fee_amount == 322);  // 2.95 % of 10825 = 319.3, + 3
  CHECK(payment->total_amount == 11147);
  CHECK(world.payments.get(account.uid, payment->uid));
  CHECK(world.events.events.empty());
}

TEST_CASE("an ACH payment pays the flat ACH fee", "[unit][service][payments]") {
  ServiceWorld world;
  const Account account = world.new_account();
  auto payment = world.payments.validate(account, card_draft(world.ach_claim(account.uid)));
  REQUIRE(payment);
  CHECK(payment->processing_fee_amount == 150);
  CHECK(payment->total_amount == 10825 + 150);
}

TEST_CASE("a payment outside the account's rules is refused naming the field",
          "[unit][service][payments]") {
  ServiceWorld world;
  Account account = world.new_account();
  PaymentDraft draft = card_draft(world.card_claim(account.uid));
  SECTION("currency") {
    draft.currency = "EUR";
    auto result = world.payments.validate(account, draft);
    REQUIRE_FALSE(result);
    CHECK(result.error().param == "currency");
  }
  SECTION("amount above the maximum") {
    account.maximum_payment_amount = 10000;
    auto result = world.payments.validate(account, draft);
    REQUIRE_FALSE(result);
    CHECK(result.error().param == "base_amount");
  }
  SECTION("cards turned off") {
    account.enable_credit_card = false;
    auto result = world.payments.validate(account, draft);
    REQUIRE_FALSE(result);
    CHECK(result.error().param == "method.type");
  }
  SECTION("a saved method that does not exist") {
    draft.method.type = PaymentMethodType::kWalletCredit;
    draft.method.saved_method_uid = "spm_missing";
    auto result = world.payments.validate(account, draft);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::kNotFound);
    CHECK(result.error().param == "method.saved_method_uid");
  }
  CHECK(world.payments.list(account.uid, ListQuery{}).empty());
}

TEST_CASE("a capture that repeats its validation completes the payment and reports it",
          "[unit][service][payments]") {
  ServiceWorld world;
  const Account account = world.new_account();
  PaymentDraft draft = card_draft(world.card_claim(account.uid));
  auto validated = world.payments.validate(account, draft);
  REQUIRE(validated);
  auto captured =
      world.payments.capture(account, validated->uid, claim_of(*validated), draft.method);
  REQUIRE(captured);
  CHECK(captured->status == PaymentStatus::kCompleted);
  CHECK(captured->transaction_id.rfind("txn_", 0) == 0);
  REQUIRE(world.events.events.size() == 1);
  CHECK(world.events.events[0].type == "payment.completed");
  CHECK(world.events.events[0].account_uid == account.uid);

  auto again = world.payments.capture(account, validated->uid, claim_of(*validated), draft.method);
  REQUIRE_FALSE(again);
  CHECK(again.error().code == ErrorCode::kConflict);
}

TEST_CASE("a capture that differs from its validation is a conflict naming the field",
          "[unit][service][payments]") {
  ServiceWorld world;
  const Account account = world.new_account();
  PaymentDraft draft = card_draft(world.card_claim(account.uid));
  auto validated = world.payments.validate(account, draft);
  REQUIRE(validated);
  CaptureClaim claim = claim_of(*validated);
  claim.processing_fee_amount = 300;
  auto result = world.payments.capture(account, validated->uid, claim, draft.method);
  REQUIRE_FALSE(result);
  CHECK(result.error().code == ErrorCode::kConflict);
  CHECK(result.error().param == "processing_fee_amount");
  auto still = world.payments.get(account.uid, validated->uid);
  REQUIRE(still);
  CHECK(still->status == PaymentStatus::kValidated);
}

TEST_CASE("a declined card fails the payment for good", "[unit][service][payments]") {
  ServiceWorld world;
  const Account account = world.new_account();
  PaymentDraft draft = card_draft(world.card_claim(account.uid, "4000000000000002"));
  auto validated = world.payments.validate(account, draft);
  REQUIRE(validated);
  auto result = world.payments.capture(account, validated->uid, claim_of(*validated), draft.method);
  REQUIRE_FALSE(result);
  CHECK(result.error().code == ErrorCode::kCardDeclined);
  auto failed = world.payments.get(account.uid, validated->uid);
  REQUIRE(failed);
  CHECK(failed->status == PaymentStatus::kFailed);
  CHECK(failed->failure_code == "card_declined");
  REQUIRE(world.events.events.size() == 1);
  CHECK(world.events.events[0].type == "payment.failed");
}

TEST_CASE("a processing error leaves the payment validated for a retry",
          "[unit][service][payments]") {
  ServiceWorld world;
  const Account account = world.new_account();
  PaymentDraft draft = card_draft(world.card_claim(account.uid, "4000000000000119"));
  auto validated = world.payments.validate(account, draft);
  REQUIRE(validated);
  auto result = world.payments.capture(account, validated->uid, claim_of(*validated), draft.method);
  REQUIRE_FALSE(result);
  CHECK(result.error().code == ErrorCode::kProcessingError);
  auto still = world.payments.get(account.uid, validated->uid);
  REQUIRE(still);
  CHECK(still->status == PaymentStatus::kValidated);
  CHECK(world.events.events.empty());
}

TEST_CASE("refunds take part of a payment, then the rest, and never more",
          "[unit][service][payments]") {
  ServiceWorld world;
  const Account account = world.new_account();
  PaymentDraft draft = card_draft(world.card_claim(account.uid));
  auto validated = world.payments.validate(account, draft);
  REQUIRE(validated);
  REQUIRE(world.payments.capture(account, validated->uid, claim_of(*validated), draft.method));

  auto too_much = world.payments.refund(account, validated->uid, 20000);
  REQUIRE_FALSE(too_much);
  CHECK(too_much.error().param == "amount");
  auto part = world.payments.refund(account, validated->uid, 2500);
  REQUIRE(part);
  CHECK(part->status == PaymentStatus::kPartiallyRefunded);
  CHECK(part->refunded_amount == 2500);
  auto rest = world.payments.refund(account, validated->uid, std::nullopt);
  REQUIRE(rest);
  CHECK(rest->status == PaymentStatus::kRefunded);
  CHECK(rest->refunded_amount == 11147);
  auto more = world.payments.refund(account, validated->uid, 1);
  REQUIRE_FALSE(more);
  CHECK(more.error().code == ErrorCode::kConflict);
  REQUIRE(world.events.events.size() == 3);
  CHECK(world.events.events[1].type == "payment.refunded");
  CHECK(world.events.events[2].type == "payment.refunded");
}

TEST_CASE("a validated payment cannot be refunded", "[unit][service][payments]") {
  ServiceWorld world;
  const Account account = world.new_account();
  auto validated = world.payments.validate(account, card_draft(world.card_claim(account.uid)));
  REQUIRE(validated);
  auto result = world.payments.refund(account, validated->uid, std::nullopt);
  REQUIRE_FALSE(result);
  CHECK(result.error().code == ErrorCode::kConflict);
}

TEST_CASE("a hosted payment refuses a look-alike within ten minutes unless acknowledged",
          "[unit][service][payments]") {
  ServiceWorld world;
  const Account account = world.new_account();
  Customer customer = world.new_customer(account.uid, "payer");
  auto saved = world.wallet.save_method(account.uid, customer.uid, world.card_claim(account.uid));
  REQUIRE(saved);
  PaymentDraft draft;
  draft.base_amount = 5000;
  draft.currency = "USD";
  draft.method.type = PaymentMethodType::kWalletCredit;
  draft.method.saved_method_uid = saved->method.uid;

  auto first = world.payments.pay(account, draft, DuplicatePolicy::kRefuse);
  REQUIRE(first);
  CHECK(first->status == PaymentStatus::kCompleted);
  auto duplicate = world.payments.pay(account, draft, DuplicatePolicy::kRefuse);
  REQUIRE_FALSE(duplicate);
  CHECK(duplicate.error().code == ErrorCode::kDuplicatePayment);
  CHECK(world.payments.pay(account, draft, DuplicatePolicy::kAcknowledged));

  world.accounts.advance(account.uid, PaymentService::kDuplicateWindow + kSecond);
  CHECK(world.payments.pay(account, draft, DuplicatePolicy::kRefuse));
  CHECK(world.payments.list(account.uid, ListQuery{}).size() == 3);
}
