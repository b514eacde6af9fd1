#include "service/checkout.h"

#include <algorithm>

#include "wire/session_options.h"

namespace paysandbox {
namespace {

// Errors name the fields of the CheckoutRequest ("method", "payment.type",
// "challenge.code", "billing_details.zip"); the route places them. The
// payment service names the payment method "method": here it is "payment".
template <typename T>
Result<T> as_request_payment(Result<T> result) {
  if (result.ok()) return result;
  return renamed(result.error(), "method", "payment");
}

std::optional<Error> method_refused(const HostedSession& session, const CheckoutRequest& request) {
  if (request.method == CheckoutMethod::kPaypal)
    return validation_error("method",
                            "The sandbox's processor (zift) takes no PayPal payments; use card, "
                            "ach or apple_pay.");
  const auto& allowed = session.options.allowed_methods;
  if (!allowed.empty() &&
      std::find(allowed.begin(), allowed.end(), request.method) == allowed.end())
    return validation_error("method", "Session " + session.id + " does not allow method '" +
                                          checkout_method_name(request.method) +
                                          "'; its allowed_methods are set at create.");
  return std::nullopt;
}

std::optional<Error> challenge_refused(const HostedSession& session,
                                       const std::optional<ChallengeAnswer>& answer) {
  if (!session.options.challenge) return std::nullopt;
  const Challenge& challenge = *session.options.challenge;
  if (!answer)
    return field_error(
        ErrorCode::kChallengeRequired, "challenge",
        {"Session " + session.id + " requires a " + challenge_type_name(challenge.type) +
             " challenge; send ",
         std::string(" with the ") + (is_captcha(challenge.type) ? "captcha token."
                                                                 : "code sent by POST "
                                                                   "/v1/hosted-sessions/"
                                                                   "{id}/challenge/send.")});
  if (answer->type != challenge.type)
    return make_error(ErrorCode::kChallengeFailed,
                      std::string("This session's challenge is of type '") +
                          challenge_type_name(challenge.type) + "', not '" +
                          challenge_type_name(answer->type) + "'.",
                      "challenge.type");
  if (is_captcha(challenge.type)) {
    if (answer->token.empty())
      return make_error(ErrorCode::kChallengeFailed,
                        std::string("A ") + challenge_type_name(challenge.type) +
                            " challenge needs the captcha's token.",
                        "challenge.token");
    return std::nullopt;
  }
  if (!challenge.code_sent)
    return make_error(ErrorCode::kChallengeFailed,
                      "No code was sent yet; call POST /v1/hosted-sessions/" + session.id +
                          "/challenge/send first.",
                      "challenge.code");
  if (answer->code != challenge.code)
    return make_error(ErrorCode::kChallengeFailed,
                      std::string("The ") + challenge_type_name(challenge.type) +
                          " code does not match the one sent to " + challenge.delivery_hint + ".",
                      "challenge.code");
  return std::nullopt;
}

std::string last4_of(const PaymentInstrument& instrument) {
  return kind_of(instrument.type) == MethodKind::kAch ? instrument.ach.account_number_suffix
                                                      : instrument.card.last4;
}

std::string card_type_for(const CheckoutRequest& request, const PaymentInstrument& instrument) {
  if (kind_of(instrument.type) == MethodKind::kAch) return "";
  return !request.card_type.empty() ? request.card_type : card_type_of(instrument.card.card_brand);
}

}  // namespace

CheckoutService::CheckoutService(SessionService& sessions, PaymentService& payments,
                                 WalletService& wallet)
    : sessions_(sessions), payments_(payments), wallet_(wallet) {}

std::shared_ptr<Mutex> CheckoutService::lock_for(const std::string& session_id) {
  MutexLock guard(locks_mutex_);
  auto& entry = locks_[session_id];
  if (!entry.first) entry.first = std::make_shared<Mutex>();
  ++entry.second;
  return entry.first;
}

void CheckoutService::release(const std::string& session_id) {
  MutexLock guard(locks_mutex_);
  auto it = locks_.find(session_id);
  if (it != locks_.end() && --it->second.second == 0) locks_.erase(it);
}

Result<std::string> CheckoutService::customer_uid(const HostedSession& session) {
  auto customer =
      wallet_.find_customer_by_reference(session.account_uid, session.customer_reference_id);
  if (!customer) return customer.error();
  return customer->uid;
}

std::optional<Error> CheckoutService::not_the_customers(const Account& account,
                                                        const HostedSession& session,
                                                        const PaymentMethodRequest& method) {
  if (!is_wallet(method.type)) return std::nullopt;
  // Only the session's own customer's methods may pay it, or be quoted, as
  // the kind of method they are.
  auto saved = wallet_.find_method(account.uid, method.saved_method_uid);
  auto owner = session.customer_reference_id.empty() ? Result<std::string>(std::string())
                                                     : customer_uid(session);
  if (!saved || !owner || owner->empty() || saved->customer_uid != *owner)
    return make_error(
        ErrorCode::kNotFound,
        "No saved payment method '" + method.saved_method_uid + "' for this session's customer.",
        "payment.saved_method_uid");
  if (saved->kind != kind_of(method.type)) {
    const bool ach = saved->kind == MethodKind::kAch;
    return validation_error("method", "Saved method " + saved->uid + " is " +
                                          (ach ? "a bank account" : "a card") +
                                          "; use it with method '" + (ach ? "ach" : "card") + "'.");
  }
  return std::nullopt;
}

Result<CheckoutQuote> CheckoutService::quote(const Account& account, const HostedSession& session,
                                             const CheckoutRequest& request) {
  if (session.status == SessionStatus::kCompleted)
    return make_error(ErrorCode::kAlreadyConfirmed,
                      "Session " + session.id + " was already paid (payment " +
                          session.payment_uid + "); there is nothing left to quote.");
  if (auto refused = method_refused(session, request)) return *refused;
  const std::int64_t amount = session.amount.value_or(0);
  CheckoutQuote out;
  out.method = request.method;
  if (request.payment) {
    if (auto foreign = not_the_customers(account, session, *request.payment)) return *foreign;
    auto fee = as_request_payment(payments_.quote(account, amount, *request.payment));
    if (!fee) return fee.error();
    out.fee = std::move(*fee);
    out.last4 = last4_of(out.fee.instrument);
    out.card_type = card_type_for(request, out.fee.instrument);
  } else {
    // By method alone (Apple Pay: the card rule, an amount-based estimate).
    auto fee = as_request_payment(payments_.quote_kind(account, amount, request.kind));
    if (!fee) return fee.error();
    out.fee = std::move(*fee);
    out.card_type = request.card_type;
  }
  return out;
}

Result<CheckoutResult> CheckoutService::confirm(const Account& account,
                                                const std::string& session_id,
                                                const CheckoutRequest& request) {
  auto mutex = lock_for(session_id);
  struct Unlock {
    CheckoutService& self;
    const std::string& id;
    ~Unlock() { self.release(id); }
  } unlock{*this, session_id};
  MutexLock lock(*mutex);

  // Read under the lock: a confirm that was running may have paid it (or
  // time may have expired it) since the route first looked.
  auto found = sessions_.find(session_id, account.uid);
  if (!found) return not_found("No hosted session '" + session_id + "' in this payment account.");
  HostedSession session = std::move(*found);
  if (session.status == SessionStatus::kCompleted)
    return make_error(
        ErrorCode::kAlreadyConfirmed,
        "Session " + session.id + " was already paid (payment " + session.payment_uid + ").");
  if (session.status == SessionStatus::kExpired)
    return make_error(ErrorCode::kSessionExpired,
                      "Session " + session.id + " expired; create a new one.");
  if (!request.payment) return invalid_field("payment", {"'", "' is required to confirm."});
  if (auto refused = method_refused(session, request)) return *refused;
  const PaymentMethodRequest& method = *request.payment;

  if (request.save_method) {
    if (session.options.setup_future_usage == SetupFutureUsage::kOff)
      return invalid_field("save_method", {"",
                                           " is allowed only when the session's setup_future_usage "
                                           "is on_session or off_session; it is off."});
    if (session.customer_reference_id.empty())
      return invalid_field("save_method", {"",
                                           " needs a session created with a customer_id, whose "
                                           "wallet receives the method."});
    if (is_wallet(method.type) || request.method == CheckoutMethod::kApplePay)
      return validation_error("save_method",
                              "Only a new card or bank account can be saved; not " +
                                  std::string(is_wallet(method.type) ? "an already saved method."
                                                                     : "an Apple Pay payment."));
  }
  for (const auto& field : session.options.required_avs_fields) {
    auto it = std::find_if(request.billing_details.begin(), request.billing_details.end(),
                           [&](const auto& entry) { return entry.first == field; });
    if (it == request.billing_details.end() || it->second.empty())
      return invalid_field("billing_details." + field,
                           {"This session requires ", " (required_avs_fields)."});
  }
  if (auto refused = challenge_refused(session, request.challenge)) return *refused;

  if (auto foreign = not_the_customers(account, session, method)) return *foreign;

  PaymentDraft draft;
  draft.base_amount = session.amount.value_or(0);
  draft.tax_amount = 0;
  draft.currency = session.currency;
  draft.reference_id = session.id;
  draft.method = method;
  auto payment = as_request_payment(payments_.pay(
      account, draft,
      request.duplicate_acknowledged ? DuplicatePolicy::kAcknowledged : DuplicatePolicy::kRefuse));
  if (!payment) return payment.error();

  CheckoutResult out;
  out.method = request.method;
  out.last4 = last4_of(payment->method);
  out.card_type = card_type_for(request, payment->method);
  if (request.save_method) {
    // The payment stands even if the save does not (e.g. the customer was
    // removed meanwhile): the answer then carries no saved_method_id.
    if (auto owner = customer_uid(session))
      if (auto saved = wallet_.save_method(account.uid, *owner, method.claim))
        out.saved_method_id = saved->method.uid;
  }
  Completion completion{*payment, out.method, out.saved_method_id, request.ach_authorization};
  auto completed = sessions_.complete(session.id, completion);
  if (!completed) return completed.error();
  out.session = std::move(*completed);
  out.payment = std::move(*payment);
  return out;
}

}  // namespace paysandbox
