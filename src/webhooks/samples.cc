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

json method_echo(const std::optional<SavedMethod>& method) {
  if (!method)
    return {{"payment_method_type", "credit"},
            {"credit",
             {{"last4", "1111"},
              {"card_brand", "VISA"},
              {"exp_month", 12},
              {"exp_year", 2030},
              {"holder_name", "Alex Morales"}}}};
  if (method->kind == MethodKind::kAch)
    return {{"payment_method_type", "wallet_ach"},
            {"ach",
             {{"account_number_suffix", method->ach.account_number_suffix},
              {"account_type", method->ach.account_type},
              {"bank_name", method->ach.bank_name},
              {"holder_name", method->ach.holder_name}}},
            {"wallet", {{"saved_payment_method_uid", method->uid}}}};
  return {{"payment_method_type", "wallet_credit"},
          {"credit",
           {{"last4", method->card.last4},
            {"card_brand", method->card.card_brand},
            {"exp_month", method->card.exp_month},
            {"exp_year", method->card.exp_year},
            {"holder_name", method->card.holder_name}}},
          {"wallet", {{"saved_payment_method_uid", method->uid}}}};
}

json sample_payment(const Account& account, const std::optional<SavedMethod>& method,
                    const std::string& status, Millis now) {
  const bool ach = method && method->kind == MethodKind::kAch;
  const std::int64_t fee =
      processing_fee(ach ? account.fee_rules.ach : account.fee_rules.credit, kSampleAmount);
  json payment = {{"uid", new_id("pay_")},
                  {"status", status},
                  {"base_amount", kSampleAmount},
                  {"tax_amount", 0},
                  {"processing_fee_amount", fee},
                  {"total_amount", kSampleAmount + fee},
                  {"currency", "USD"},
                  {"reference_id", "sample-" + random_hex(6)},
                  {"payment_method", method_echo(method)},
                  {"created_at", format_rfc3339(now)}};
  if (status != "failed") {
    payment["transaction_id"] = new_id("txn_");
    payment["captured_at"] = format_rfc3339(now);
  }
  return payment;
}

}  // namespace

json sample_event_data(const std::string& type, const Account& account, WalletService& wallet,
                       NocService& noc, SandboxClock& clock) {
  const Millis now = clock.account_now(account.uid);
  auto methods = wallet.list_account_methods(account.uid);
  if (type == "provider.noc") {
    std::vector<std::string> ids;
    if (!methods.empty()) ids.push_back(methods.front().uid);
    return noc.describe_unchanged(account.uid, ids);
  }
  // NSF and bill-pay are bank events: prefer an ACH method; the rest a card.
  const bool wants_ach = type == "provider.nsf" || type == "provider.bankbillpay";
  std::optional<SavedMethod> method;
  for (const auto& m : methods)
    if ((m.kind == MethodKind::kAch) == wants_ach) {
      method = m;
      break;
    }
  if (!method && !methods.empty()) method = methods.front();

  if (type == "checkout_session.completed" || type == "checkout_session.expired") {
    const bool completed = type == "checkout_session.completed";
    json session = {{"session_id", new_id("cs_")},
                    {"status", completed ? "completed" : "expired"},
                    {"scope", "payment"},
                    {"amount", kSampleAmount},
                    {"currency", "USD"}};
    if (completed) session["payment"] = sample_payment(account, method, "completed", now);
    return session;
  }
  if (type == "payment.failed") {
    json payment = sample_payment(account, method, "failed", now);
    payment["failure_code"] = "card_declined";
    payment["failure_message"] = "The card was declined by the issuer.";
    return payment;
  }
  if (type == "payment.refunded") {
    json payment = sample_payment(account, method, "refunded", now);
    payment["refunded_amount"] = payment["total_amount"];
    return payment;
  }
  json payment = sample_payment(account, method, "completed", now);
  if (type == "provider.chargeback") {
    payment["chargeback"] = {{"uid", new_id("cb_")},
                             {"amount", payment["total_amount"]},
                             {"reason", "fraudulent"},
                             {"created_at", format_rfc3339(now)}};
  } else if (type == "provider.nsf") {
    payment["status"] = "returned";
    payment["return_code"] = "R01";
    payment["return_reason"] = "Insufficient funds";
  } else if (type == "provider.reversal") {
    payment["status"] = "reversed";
    payment["reversed_amount"] = payment["total_amount"];
  } else if (type == "provider.bankbillpay") {
    payment["channel"] = "bank_bill_pay";
  } else if (type == "ivr.completed") {
    payment["channel"] = "ivr";
  }
  return payment;
}

}  // namespace paysandbox
