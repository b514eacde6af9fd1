#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/session.h"
#include "core/status.h"
#include "core/thread_annotations.h"
#include "core/types.h"
#include "service/payments.h"
#include "service/sessions.h"
#include "service/wallet.h"

namespace paysandbox {

// challenge_response{type, token (captcha), code (sms / email)}.
struct ChallengeAnswer {
  ChallengeType type = ChallengeType::kHcaptcha;
  std::string token;
  std::string code;
};

// What a browser sends to quote-fee or confirm, parsed: the documented body
// ({method, card_type?, processor_token, payment_method: {card | ach}, ...})
// or the platform payment shape ({payment_method: {payment_method_type, ...}})
// the hosted page uses for saved methods.
struct CheckoutRequest {
  CheckoutMethod method = CheckoutMethod::kCard;
  std::string card_type;
  // The instrument; absent for a quote by method alone (Apple Pay, or the
  // platform shape's payment_method_type), which quotes `kind`'s rule.
  std::optional<PaymentMethodRequest> payment;
  MethodKind kind = MethodKind::kCredit;
  bool save_method = false;
  std::optional<ChallengeAnswer> challenge;
  std::vector<std::pair<std::string, std::string>> billing_details;
  std::string ach_authorization;  // "sec_code accepted_at"
  bool duplicate_acknowledged = false;
};

struct CheckoutQuote {
  FeeQuote fee;
  CheckoutMethod method = CheckoutMethod::kCard;
  std::string card_type;  // cards: lower-case brand
  std::string last4;      // when an instrument was given
};

struct CheckoutResult {
  HostedSession session;
  Payment payment;
  CheckoutMethod method = CheckoutMethod::kCard;
  std::string card_type;
  std::string last4;
  std::string saved_method_id;  // set when save_method saved it
};

// The payer's side of a payment session: the fee quote and confirm. Confirm
// runs under a lock of its own session only, so confirms of different
// sessions never wait on each other, and a double click charges once.
class CheckoutService {
 public:
  CheckoutService(SessionService& sessions, PaymentService& payments, WalletService& wallet);

  // The fee confirm would charge, by the payments service's rule.
  Result<CheckoutQuote> quote(const Account& account, const HostedSession& session,
                              const CheckoutRequest& request);
  // Checks the session is still payable, the method allowed, the challenge
  // answered and the AVS fields given; pays (validate + capture); saves the
  // method when asked; completes the session (checkout_session.completed).
  Result<CheckoutResult> confirm(const Account& account, const std::string& session_id,
                                 const CheckoutRequest& request);

 private:
  std::shared_ptr<Mutex> lock_for(const std::string& session_id);
  void release(const std::string& session_id);
  Result<std::string> customer_uid(const HostedSession& session);
  // A 404 when `method` is a saved method that is not the session's
  // customer's (or the session has no customer); a 400 naming "method" when
  // it is, but of the other kind.
  std::optional<Error> not_the_customers(const Account& account, const HostedSession& session,
                                         const PaymentMethodRequest& method);

  SessionService& sessions_;
  PaymentService& payments_;
  WalletService& wallet_;
  Mutex locks_mutex_;
  // One mutex per session being confirmed, with how many callers hold it.
  std::unordered_map<std::string, std::pair<std::shared_ptr<Mutex>, int>> locks_
      GUARDED_BY(locks_mutex_);
};

}  // namespace paysandbox
