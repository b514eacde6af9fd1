#include "service/payments.h"

#include "core/event_type.h"
#include "core/ids.h"
#include "core/rules.h"

namespace paysandbox {
namespace {

// Errors name the fields of the service's input: the draft's ("currency",
// "base_amount") and the payment method's, as the member "method" of the
// draft ("method.type", "method.claim.last4", "method.saved_method_uid"),
// whichever call it came with. Routes place them at their request paths.
constexpr const char* kMethodTypeField = "method.type";

std::string money(std::int64_t cents) { return std::to_string(cents) + " cents"; }

// The method-enablement rule: validate, confirm and quote-fee share it.
std::optional<Error> disabled(const Account& account, MethodKind kind) {
  if ((kind == MethodKind::kCredit && account.enable_credit_card) ||
      (kind == MethodKind::kAch && account.enable_ach))
    return std::nullopt;
  return validation_error(kMethodTypeField,
                          std::string("This payment account does not accept ") +
                              (kind == MethodKind::kAch ? "ACH" : "card") + " payments; enable_" +
                              (kind == MethodKind::kAch ? "ach" : "credit_card") + " is false.");
}

}  // namespace

Result<std::int64_t> PaymentService::fee_for(const Account& account, MethodKind kind,
                                             std::int64_t amount) {
  if (!within_payment_limits(account, amount))
    return validation_error("base_amount", "base_amount + tax_amount is " + money(amount) +
                                               "; this account accepts payments from " +
                                               money(account.minimum_payment_amount) + " to " +
                                               money(account.maximum_payment_amount) + ".");
  if (auto refused = disabled(account, kind)) return *refused;
  return processing_fee(kind == MethodKind::kAch ? account.fee_rules.ach : account.fee_rules.credit,
                        amount);
}

Result<FeeQuote> PaymentService::quote(const Account& account, std::int64_t amount,
                                       const PaymentMethodRequest& method) {
  auto instrument = resolve(account, method);
  if (!instrument) return instrument.error();
  auto quoted = quote_kind(account, amount, kind_of(method.type));
  if (quoted) quoted->instrument = std::move(*instrument);
  return quoted;
}

Result<FeeQuote> PaymentService::quote_kind(const Account& account, std::int64_t amount,
                                            MethodKind kind) {
  auto fee = fee_for(account, kind, amount);
  if (!fee) return fee.error();
  FeeQuote out;
  out.amount = amount;
  out.fee = *fee;
  out.total = amount + *fee;
  return out;
}

PaymentService::PaymentService(PaymentStore& store, WalletService& wallet, SandboxClock& clock,
                               EventSink& events)
    : store_(store), wallet_(wallet), clock_(clock), events_(events) {}

Result<PaymentInstrument> PaymentService::resolve(const Account& account,
                                                  const PaymentMethodRequest& method) {
  const MethodKind kind = kind_of(method.type);
  if (auto refused = disabled(account, kind)) return *refused;
  PaymentInstrument out;
  out.type = method.type;
  if (is_wallet(method.type)) {
    auto saved = wallet_.find_method(account.uid, method.saved_method_uid);
    if (!saved) {
      Error error = saved.error();
      error.param = "method.saved_method_uid";
      return error;
    }
    if (saved->kind != kind)
      return validation_error(
          kMethodTypeField, "Saved method " + saved->uid + " is " +
                                (saved->kind == MethodKind::kAch ? "a bank account" : "a card") +
                                "; pay with it as '" +
                                (saved->kind == MethodKind::kAch ? "wallet_ach" : "wallet_credit") +
                                "'.");
    out.saved_method_uid = saved->uid;
    out.card = saved->card;
    out.ach = saved->ach;
    out.outcome = saved->outcome;
    return out;
  }
  // The same check a wallet save makes: the token is live and the details
  // sent agree with it.
  auto token = wallet_.redeem(account.uid, method.claim);
  if (!token) return within("method.claim", token.error());
  out.fingerprint = token->fingerprint;
  out.card = token->card;
  out.ach = token->ach;
  out.outcome = token->outcome;
  return out;
}

Result<Payment> PaymentService::build(const Account& account, const PaymentDraft& draft) {
  if (draft.currency != "USD")
    return invalid_field("currency", {"'", "' must be 'USD', the only currency accepted; got '" +
                                               draft.currency + "'."});
  const std::int64_t amount = draft.base_amount + draft.tax_amount;
  auto fee = fee_for(account, kind_of(draft.method.type), amount);
  if (!fee) return fee.error();
  auto instrument = resolve(account, draft.method);
  if (!instrument) return instrument.error();
  Payment p;
  p.uid = new_id("pay_");
  p.account_uid = account.uid;
  p.base_amount = draft.base_amount;
  p.tax_amount = draft.tax_amount;
  p.processing_fee_amount = *fee;
  p.total_amount = amount + p.processing_fee_amount;
  p.currency = draft.currency;
  p.reference_id = draft.reference_id;
  p.method = std::move(*instrument);
  p.method_request = draft.method.canonical;
  p.created_at = p.updated_at = clock_.account_now(account.uid);
  return p;
}

Result<Payment> PaymentService::validate(const Account& account, const PaymentDraft& draft) {
  auto payment = build(account, draft);
  if (payment) store_.insert(*payment);
  return payment;
}

Result<Payment> PaymentService::charge(const Account& account, const Payment& payment,
                                       const PaymentInstrument& instrument) {
  const Millis now = clock_.account_now(account.uid);
  auto fault = outcome_error(instrument.outcome);
  if (!fault) {
    auto done = store_.transition(account.uid, payment.uid, [&](const Payment& current) {
      return complete_capture(current, new_id("txn_"), now);
    });
    if (done)
      events_.emit_event(account.uid, EventType::kPaymentCompleted, PaymentEventData{*done});
    return done;
  }
  Error error = make_error(*fault, std::string(outcome_description(instrument.outcome)) + " (" +
                                       outcome_name(instrument.outcome) + ").");
  error.details.emplace_back("payment_uid", payment.uid);
  if (*fault == ErrorCode::kProcessingError || *fault == ErrorCode::kNetworkError) {
    // Nothing was charged: the payment stays validated, so a retry may work.
    error.message += " The payment is still validated; retry the capture.";
    return error;
  }
  auto failed = store_.transition(account.uid, payment.uid, [&](const Payment& current) {
    return fail_capture(current, instrument.outcome, now);
  });
  if (!failed) return failed.error();
  events_.emit_event(account.uid, EventType::kPaymentFailed, PaymentEventData{*failed});
  error.message += " Payment " + payment.uid +
                   " has failed; validate a new payment with another "
                   "method.";
  return error;
}

Result<Payment> PaymentService::capture(const Account& account, const std::string& uid,
                                        const CaptureClaim& claim,
                                        const PaymentMethodRequest& method) {
  auto payment = store_.find(account.uid, uid);
  if (!payment) return not_found("No payment '" + uid + "' in this payment account.");
  if (payment->status != PaymentStatus::kValidated)
    return make_error(ErrorCode::kConflict, "Payment " + uid + " is " +
                                                payment_status_name(payment->status) +
                                                "; only a validated payment can be captured.");
  if (auto error = capture_mismatch(*payment, claim)) return *error;
  // The token must still be live (it lives 15 minutes of sandbox time) and a
  // saved method must still exist.
  auto instrument = resolve(account, method);
  if (!instrument) return instrument.error();
  return charge(account, *payment, *instrument);
}

Result<Payment> PaymentService::refund(const Account& account, const std::string& uid,
                                       std::optional<std::int64_t> amount) {
  const Millis now = clock_.account_now(account.uid);
  auto refunded = store_.transition(
      account.uid, uid, [&](const Payment& current) { return apply_refund(current, amount, now); });
  if (refunded)
    events_.emit_event(account.uid, EventType::kPaymentRefunded, PaymentEventData{*refunded});
  return refunded;
}

Result<Payment> PaymentService::void_payment(const Account& account, const std::string& uid) {
  const Millis now = clock_.account_now(account.uid);
  return store_.transition(account.uid, uid,
                           [&](const Payment& current) { return apply_void(current, now); });
}

Result<Payment> PaymentService::get(const std::string& account_uid, const std::string& uid) {
  auto payment = store_.find(account_uid, uid);
  if (!payment) return not_found("No payment '" + uid + "' in this payment account.");
  return *payment;
}

std::vector<Payment> PaymentService::list(const std::string& account_uid, const ListQuery& query) {
  return store_.list(account_uid, query);
}

Result<Payment> PaymentService::pay(const Account& account, const PaymentDraft& draft,
                                    DuplicatePolicy policy) {
  auto payment = build(account, draft);
  if (!payment) return payment;
  if (policy == DuplicatePolicy::kRefuse) {
    const Millis since = clock_.account_now(account.uid) - kDuplicateWindow;
    if (auto earlier = store_.find_look_alike(account.uid, instrument_key(payment->method),
                                              draft.base_amount + draft.tax_amount, since)) {
      Error error = make_error(ErrorCode::kDuplicatePayment,
                               "Payment " + earlier->uid +
                                   " charged the same amount to the same method less than 10 "
                                   "minutes ago; resend with duplicate_acknowledged: true to "
                                   "charge again.");
      error.details.emplace_back("payment_uid", earlier->uid);
      return error;
    }
  }
  store_.insert(*payment);
  return charge(account, *payment, payment->method);
}

}  // namespace paysandbox
