#include "core/payment.h"

#include "core/enum_names.h"

namespace paysandbox {

namespace {

// The one table of each enum's spellings.
constexpr EnumName<PaymentStatus> kPaymentStatuses[] = {
    {PaymentStatus::kValidated, "validated"},
    {PaymentStatus::kCompleted, "completed"},
    {PaymentStatus::kFailed, "failed"},
    {PaymentStatus::kPartiallyRefunded, "partially_refunded"},
    {PaymentStatus::kRefunded, "refunded"},
    {PaymentStatus::kVoided, "voided"},
};
constexpr EnumName<MethodKind> kMethodKinds[] = {
    {MethodKind::kCredit, "credit"},
    {MethodKind::kAch, "ach"},
};
constexpr EnumName<PaymentMethodType> kPaymentMethodTypes[] = {
    {PaymentMethodType::kCredit, "credit"},
    {PaymentMethodType::kAch, "ach"},
    {PaymentMethodType::kWalletCredit, "wallet_credit"},
    {PaymentMethodType::kWalletAch, "wallet_ach"},
};

}  // namespace

const char* method_kind_name(MethodKind kind) { return name_in(kMethodKinds, kind); }

std::optional<MethodKind> method_kind_from_name(std::string_view name) {
  return value_in(kMethodKinds, name);
}

const std::vector<std::string>& method_kind_names() {
  static const std::vector<std::string> names = names_of(kMethodKinds);
  return names;
}

const char* payment_status_name(PaymentStatus status) { return name_in(kPaymentStatuses, status); }

std::optional<PaymentStatus> payment_status_from(const std::string& name) {
  return value_in(kPaymentStatuses, name);
}

const char* payment_method_type_name(PaymentMethodType type) {
  return name_in(kPaymentMethodTypes, type);
}

std::optional<PaymentMethodType> payment_method_type_from(std::string_view name) {
  return value_in(kPaymentMethodTypes, name);
}

const std::vector<std::string>& payment_method_type_names() {
  static const std::vector<std::string> names = names_of(kPaymentMethodTypes);
  return names;
}

MethodKind kind_of(PaymentMethodType type) {
  return type == PaymentMethodType::kAch || type == PaymentMethodType::kWalletAch
             ? MethodKind::kAch
             : MethodKind::kCredit;
}

bool is_wallet(PaymentMethodType type) {
  return type == PaymentMethodType::kWalletCredit || type == PaymentMethodType::kWalletAch;
}

std::string instrument_key(const PaymentInstrument& m) {
  if (kind_of(m.type) == MethodKind::kAch)
    return "ach:" + m.ach.routing_number + ":" + m.ach.account_number_suffix;
  return "credit:" + m.card.card_brand + ":" + m.card.last4 + ":" +
         std::to_string(m.card.exp_month) + "/" + std::to_string(m.card.exp_year);
}

namespace {

// Names the CaptureClaim's field; the route places it in the request.
Error mismatch(const std::string& field, const std::string& sent, const std::string& validated) {
  Error error =
      field_error(ErrorCode::kConflict, field,
                  {"'", "' is " + sent + " but the payment was validated with " + validated +
                            "; a capture must repeat the validated values exactly."});
  error.details.emplace_back("expected", validated);
  return error;
}

std::string quoted(const std::string& text) { return "'" + text + "'"; }

}  // namespace

std::optional<Error> capture_mismatch(const Payment& p, const CaptureClaim& c) {
  if (c.base_amount != p.base_amount)
    return mismatch("base_amount", std::to_string(c.base_amount), std::to_string(p.base_amount));
  if (c.tax_amount != p.tax_amount)
    return mismatch("tax_amount", std::to_string(c.tax_amount), std::to_string(p.tax_amount));
  if (c.currency != p.currency) return mismatch("currency", quoted(c.currency), quoted(p.currency));
  if (c.reference_id != p.reference_id)
    return mismatch("reference_id", quoted(c.reference_id), quoted(p.reference_id));
  if (c.method_request != p.method_request)
    return mismatch("method_request", c.method_request, p.method_request);
  if (c.processing_fee_amount != p.processing_fee_amount)
    return mismatch("processing_fee_amount", std::to_string(c.processing_fee_amount),
                    std::to_string(p.processing_fee_amount));
  if (c.total_amount && *c.total_amount != p.total_amount)
    return mismatch("total_amount", std::to_string(*c.total_amount),
                    std::to_string(p.total_amount));
  return std::nullopt;
}

namespace {
Error not_capturable(const Payment& p) {
  return make_error(ErrorCode::kConflict, "Payment " + p.uid + " is " +
                                              payment_status_name(p.status) +
                                              "; only a validated payment can be captured.");
}
}  // namespace

Result<Payment> complete_capture(Payment p, std::string transaction_id, Millis now) {
  if (p.status != PaymentStatus::kValidated) return not_capturable(p);
  p.status = PaymentStatus::kCompleted;
  p.transaction_id = std::move(transaction_id);
  p.captured_at = p.updated_at = now;
  return p;
}

Result<Payment> fail_capture(Payment p, Outcome outcome, Millis now) {
  if (p.status != PaymentStatus::kValidated) return not_capturable(p);
  p.status = PaymentStatus::kFailed;
  p.failure_code = outcome_name(outcome);
  p.updated_at = now;
  return p;
}

Result<Payment> apply_refund(Payment p, std::optional<std::int64_t> amount, Millis now) {
  if (p.status != PaymentStatus::kCompleted && p.status != PaymentStatus::kPartiallyRefunded)
    return make_error(ErrorCode::kConflict,
                      "Payment " + p.uid + " is " + payment_status_name(p.status) +
                          "; only a completed or partially refunded payment can be refunded.");
  const std::int64_t left = p.total_amount - p.refunded_amount;
  const std::int64_t refund = amount.value_or(left);
  if (refund > left)
    return validation_error("amount", "'amount' is " + std::to_string(refund) + " but only " +
                                          std::to_string(left) + " of payment " + p.uid +
                                          " is left to refund.");
  p.refunded_amount += refund;
  p.status = p.refunded_amount == p.total_amount ? PaymentStatus::kRefunded
                                                 : PaymentStatus::kPartiallyRefunded;
  p.updated_at = now;
  return p;
}

Result<Payment> apply_void(Payment p, Millis now) {
  if (p.status != PaymentStatus::kValidated)
    return make_error(ErrorCode::kConflict,
                      "Payment " + p.uid + " is " + payment_status_name(p.status) +
                          "; only a validated (not yet captured) payment can be voided. Refund "
                          "a completed one instead.");
  p.status = PaymentStatus::kVoided;
  p.updated_at = now;
  return p;
}

}  // namespace paysandbox
