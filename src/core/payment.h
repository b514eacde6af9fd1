#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace paysandbox {

// validated -> completed -> partially_refunded -> refunded, or
// validated -> failed (a decline at capture, for good), or
// validated -> voided (POST /api/payments/{uid}/void).
enum class PaymentStatus {
  kValidated,
  kCompleted,
  kFailed,
  kPartiallyRefunded,
  kRefunded,
  kVoided
};

const char* payment_status_name(PaymentStatus status);
std::optional<PaymentStatus> payment_status_from(const std::string& name);

// "credit" | "ach": a method's kind as the API, the store and the tables spell it.
const char* method_kind_name(MethodKind kind);
std::optional<MethodKind> method_kind_from_name(std::string_view name);
// Every spelling, in the order error messages list them.
const std::vector<std::string>& method_kind_names();

// How the payment was asked to pay: a fresh proxynized token or a saved method.
enum class PaymentMethodType { kCredit, kAch, kWalletCredit, kWalletAch };

const char* payment_method_type_name(PaymentMethodType type);
std::optional<PaymentMethodType> payment_method_type_from(std::string_view name);
// Every spelling, in the order error messages list them.
const std::vector<std::string>& payment_method_type_names();
MethodKind kind_of(PaymentMethodType type);
bool is_wallet(PaymentMethodType type);

// What the payment charges, as resolved at validation. The token itself is
// kept only to re-check it at capture; it never leaves the sandbox.
struct PaymentInstrument {
  PaymentMethodType type = PaymentMethodType::kCredit;
  std::string fingerprint;       // ptok_... for credit / ach
  std::string saved_method_uid;  // spm_... for wallet_credit / wallet_ach
  CardDetails card;
  AchDetails ach;
  Outcome outcome = Outcome::kApproved;
};

// Identifies the instrument regardless of how it was presented (a fresh token
// or a saved method of the same card), for the hosted page's look-alike check.
std::string instrument_key(const PaymentInstrument& instrument);

struct Payment {
  std::string uid;  // pay_...
  std::string account_uid;
  PaymentStatus status = PaymentStatus::kValidated;
  std::int64_t base_amount = 0;
  std::int64_t tax_amount = 0;
  std::int64_t processing_fee_amount = 0;
  std::int64_t total_amount = 0;
  std::string currency = "USD";
  std::string reference_id;
  PaymentInstrument method;
  // The payment_method object of the validation, in a canonical text form,
  // so a capture can be checked against it exactly.
  std::string method_request;
  std::string transaction_id;  // txn_..., set at capture
  std::string failure_code;    // the decline code of a failed payment
  std::int64_t refunded_amount = 0;
  Millis created_at = 0;
  Millis captured_at = 0;  // 0 = not captured
  Millis updated_at = 0;
};

// What a capture body repeats of its validation.
struct CaptureClaim {
  std::int64_t base_amount = 0;
  std::int64_t tax_amount = 0;
  std::string currency;
  std::string reference_id;
  std::string method_request;  // canonical, as Payment::method_request
  std::int64_t processing_fee_amount = 0;
  std::optional<std::int64_t> total_amount;
};

// The first field of the claim that differs from the validated payment, as a
// 409 conflict naming it; nullopt when everything matches.
std::optional<Error> capture_mismatch(const Payment& payment, const CaptureClaim& claim);

// The state rules. Each returns the payment after the transition, or why it
// may not happen; none has side effects.
Result<Payment> complete_capture(Payment payment, std::string transaction_id, Millis now);
Result<Payment> fail_capture(Payment payment, Outcome outcome, Millis now);
// `amount` empty = everything that is left.
Result<Payment> apply_refund(Payment payment, std::optional<std::int64_t> amount, Millis now);

// Cancels a validated payment before capture; 409 in any other state.
Result<Payment> apply_void(Payment payment, Millis now);

}  // namespace paysandbox
