#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/list_query.h"
#include "core/payment.h"
#include "core/status.h"
#include "core/types.h"
#include "service/event_sink.h"
#include "service/wallet.h"
#include "store/payment_store.h"

namespace paysandbox {

// The payment_method object of a validate, capture or confirm body.
struct PaymentMethodRequest {
  PaymentMethodType type = PaymentMethodType::kCredit;
  MethodClaim claim;             // credit / ach: the proxynized token and its details
  std::string saved_method_uid;  // wallet_credit / wallet_ach
  std::string canonical;         // the object in a canonical text form
};

struct PaymentDraft {
  std::int64_t base_amount = 0;
  std::int64_t tax_amount = 0;
  std::string currency;
  std::string reference_id;
  PaymentMethodRequest method;
};

// The fee a payment would carry, as validate would charge it.
struct FeeQuote {
  std::int64_t amount = 0;  // base + tax
  std::int64_t fee = 0;
  std::int64_t total = 0;
  PaymentInstrument instrument;  // resolved from the token or saved method, when one was given
};

// Whether a hosted-page payment may repeat a recent look-alike.
enum class DuplicatePolicy { kRefuse, kAcknowledged };

// Payments of one account: validate -> capture -> refund (docs/api/payments.md), and the
// events each transition writes to the account's log.
class PaymentService {
 public:
  // How far back a hosted confirm looks for a look-alike payment.
  static constexpr Millis kDuplicateWindow = 10 * kMinute;

  PaymentService(PaymentStore& store, WalletService& wallet, SandboxClock& clock,
                 EventSink& events);

  // Resolves the method (a live token whose details match, or a saved method
  // of the account of the right kind), applies the account's rules and fee,
  // and records a validated payment.
  Result<Payment> validate(const Account& account, const PaymentDraft& draft);
  // The claim must repeat the validation exactly; the processor's answer comes
  // from the instrument's outcome. A decline fails the payment for good, a
  // processing error leaves it validated.
  Result<Payment> capture(const Account& account, const std::string& uid, const CaptureClaim& claim,
                          const PaymentMethodRequest& method);
  Result<Payment> refund(const Account& account, const std::string& uid,
                         std::optional<std::int64_t> amount);
  // validated -> voided; emits nothing (no money moved).
  Result<Payment> void_payment(const Account& account, const std::string& uid);
  Result<Payment> get(const std::string& account_uid, const std::string& uid);

  // The fee validate would charge for `amount` cents paid with `method`,
  // after the same checks (method kind enabled, amount within the account's
  // limits, token live and matching). Records nothing.
  Result<FeeQuote> quote(const Account& account, std::int64_t amount,
                         const PaymentMethodRequest& method);
  // The same without an instrument: the fee of the kind's rule (Apple Pay
  // quotes the card rule, as an estimate).
  Result<FeeQuote> quote_kind(const Account& account, std::int64_t amount, MethodKind kind);
  std::vector<Payment> list(const std::string& account_uid, const ListQuery& query);

  // Validate and capture in one step (a hosted session's confirm). Unless
  // acknowledged, a captured payment of the same instrument and amount within
  // kDuplicateWindow is a 409 duplicate_payment and nothing is recorded.
  Result<Payment> pay(const Account& account, const PaymentDraft& draft, DuplicatePolicy policy);

 private:
  Result<PaymentInstrument> resolve(const Account& account, const PaymentMethodRequest& method);
  // The account accepts this kind and this amount; the fee of its rule.
  static Result<std::int64_t> fee_for(const Account& account, MethodKind kind, std::int64_t amount);
  Result<Payment> build(const Account& account, const PaymentDraft& draft);
  Result<Payment> charge(const Account& account, const Payment& payment,
                         const PaymentInstrument& instrument);

  PaymentStore& store_;
  WalletService& wallet_;
  SandboxClock& clock_;
  EventSink& events_;
};

}  // namespace paysandbox
