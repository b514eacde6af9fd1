#include "wire/payment_json.h"

#include "core/time.h"

namespace paysandbox {
namespace {

json text_or_null(const std::string& value) { return value.empty() ? json(nullptr) : json(value); }
json time_or_null(Millis at) { return at == 0 ? json(nullptr) : json(format_rfc3339(at)); }

json method_echo(const PaymentInstrument& m) {
  json out = {{"payment_method_type", payment_method_type_name(m.type)}};
  if (kind_of(m.type) == MethodKind::kAch) {
    out["ach"] = {{"account_number_suffix", m.ach.account_number_suffix},
                  {"account_type", m.ach.account_type},
                  {"bank_name", text_or_null(m.ach.bank_name)},
                  {"holder_name", text_or_null(m.ach.holder_name)}};
  } else {
    out["credit"] = {{"last4", m.card.last4},
                     {"card_brand", m.card.card_brand},
                     {"exp_month", m.card.exp_month},
                     {"exp_year", m.card.exp_year},
                     {"holder_name", text_or_null(m.card.holder_name)}};
  }
  if (is_wallet(m.type)) out["wallet"] = {{"saved_payment_method_uid", m.saved_method_uid}};
  return out;
}

}  // namespace

json payment_json(const Payment& p) {
  return {{"uid", p.uid},
          {"status", payment_status_name(p.status)},
          {"base_amount", p.base_amount},
          {"tax_amount", p.tax_amount},
          {"processing_fee_amount", p.processing_fee_amount},
          {"total_amount", p.total_amount},
          {"refunded_amount", p.refunded_amount},
          {"currency", p.currency},
          {"reference_id", p.reference_id},
          {"payment_method", method_echo(p.method)},
          {"transaction_id", text_or_null(p.transaction_id)},
          {"failure_code", text_or_null(p.failure_code)},
          {"created_at", format_rfc3339(p.created_at)},
          {"captured_at", time_or_null(p.captured_at)},
          {"updated_at", format_rfc3339(p.updated_at)}};
}

}  // namespace paysandbox
