#include "wire/payment_json.h"

#include "core/time.h"

namespace paysandbox {
namespace {

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

namespace {
void append_time_or_null(std::string& out, Millis at) {
  if (at == 0)
    out += "null";
  else
    append_json_string(out, format_rfc3339(at));
}
}  // namespace

// Keys in the order nlohmann's std::map-backed objects print them: sorted.
std::string payment_body(const Payment& p) {
  const PaymentInstrument& m = p.method;
  std::string out;
  out.reserve(640);
  out += "{\"base_amount\":";
  out += std::to_string(p.base_amount);
  out += ",\"captured_at\":";
  append_time_or_null(out, p.captured_at);
  out += ",\"created_at\":";
  append_json_string(out, format_rfc3339(p.created_at));
  out += ",\"currency\":";
  append_json_string(out, p.currency);
  out += ",\"failure_code\":";
  append_json_text_or_null(out, p.failure_code);
  out += ",\"payment_method\":{";
  append_sanitized_details(out, kind_of(m.type), m.card, m.ach);
  out += ",\"payment_method_type\":";
  append_json_string(out, payment_method_type_name(m.type));
  if (is_wallet(m.type)) {
    out += ",\"wallet\":{\"saved_payment_method_uid\":";
    append_json_string(out, m.saved_method_uid);
    out += '}';
  }
  out += "},\"processing_fee_amount\":";
  out += std::to_string(p.processing_fee_amount);
  out += ",\"reference_id\":";
  append_json_string(out, p.reference_id);
  out += ",\"refunded_amount\":";
  out += std::to_string(p.refunded_amount);
  out += ",\"status\":";
  append_json_string(out, payment_status_name(p.status));
  out += ",\"tax_amount\":";
  out += std::to_string(p.tax_amount);
  out += ",\"total_amount\":";
  out += std::to_string(p.total_amount);
  out += ",\"transaction_id\":";
  append_json_text_or_null(out, p.transaction_id);
  out += ",\"uid\":";
  append_json_string(out, p.uid);
  out += ",\"updated_at\":";
  append_json_string(out, format_rfc3339(p.updated_at));
  out += '}';
  return out;
}

}  // namespace paysandbox
