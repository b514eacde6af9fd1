#include "webhooks/samples.h"

#include "core/clock.h"
#include "core/ids.h"
#include "core/rules.h"
#include "core/time.h"
#include "service/wallet.h"
#include "webhooks/noc.h"

namespace paysandbox {
namespace {

constexpr std::int64_t kSampleAmount = 2500;  // $25.00

SamplePayment sample_payment(const Account& account, const std::optional<SavedMethod>& method,
                             SampleStatus status, Millis now) {
  const bool ach = method && method->kind == MethodKind::kAch;
  SamplePayment payment;
  payment.uid = new_id("pay_");
  payment.status = status;
  payment.base_amount = kSampleAmount;
  payment.processing_fee_amount =
      processing_fee(ach ? account.fee_rules.ach : account.fee_rules.credit, kSampleAmount);
  payment.total_amount = kSampleAmount + payment.processing_fee_amount;
  payment.reference_id = "sample-" + random_hex(6);
  payment.method = method;
  payment.created_at = now;
  if (status != SampleStatus::kFailed) {
    payment.transaction_id = new_id("txn_");
    payment.captured_at = now;
  }
  return payment;
}

}  // namespace

EventPayload sample_event_payload(EventType type, const Account& account, WalletService& wallet,
                                  NocService& noc, SandboxClock& clock) {
  const Millis now = clock.account_now(account.uid);
  auto methods = wallet.list_account_methods(account.uid);
  if (type == EventType::kProviderNoc) {
    std::vector<std::string> ids;
    if (!methods.empty()) ids.push_back(methods.front().uid);
    return noc.describe_unchanged(account.uid, ids);
  }
  // NSF and bill-pay are bank events: prefer an ACH method; the rest a card.
  const bool wants_ach = type == EventType::kProviderNsf || type == EventType::kProviderBankBillPay;
  std::optional<SavedMethod> method;
  for (const auto& m : methods)
    if ((m.kind == MethodKind::kAch) == wants_ach) {
      method = m;
      break;
    }
  if (!method && !methods.empty()) method = methods.front();

  if (type == EventType::kCheckoutSessionCompleted || type == EventType::kCheckoutSessionExpired) {
    const bool completed = type == EventType::kCheckoutSessionCompleted;
    SampleSession session;
    session.session_id = new_id("cs_");
    session.status = completed ? SessionStatus::kCompleted : SessionStatus::kExpired;
    session.amount = kSampleAmount;
    if (completed) session.payment = sample_payment(account, method, SampleStatus::kCompleted, now);
    return session;
  }
  if (type == EventType::kPaymentFailed) {
    SamplePayment payment = sample_payment(account, method, SampleStatus::kFailed, now);
    payment.failure_code = "card_declined";
    payment.failure_message = "The card was declined by the issuer.";
    return payment;
  }
  if (type == EventType::kPaymentRefunded) {
    SamplePayment payment = sample_payment(account, method, SampleStatus::kRefunded, now);
    payment.refunded_amount = payment.total_amount;
    return payment;
  }
  SamplePayment payment = sample_payment(account, method, SampleStatus::kCompleted, now);
  if (type == EventType::kProviderChargeback) {
    payment.chargeback =
        SamplePayment::Chargeback{new_id("cb_"), payment.total_amount, "fraudulent", now};
  } else if (type == EventType::kProviderNsf) {
    payment.status = SampleStatus::kReturned;
    payment.return_code = "R01";
    payment.return_reason = "Insufficient funds";
  } else if (type == EventType::kProviderReversal) {
    payment.status = SampleStatus::kReversed;
    payment.reversed_amount = payment.total_amount;
  } else if (type == EventType::kProviderBankBillPay) {
    payment.channel = "bank_bill_pay";
  } else if (type == EventType::kIvrCompleted) {
    payment.channel = "ivr";
  }
  return payment;
}

}  // namespace paysandbox
