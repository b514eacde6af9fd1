#include "wire/event_json.h"

#include "wire/json.h"
#include "wire/payment_json.h"
#include "wire/session_json.h"

namespace paysandbox {
namespace {

json noc_value(const NocFieldChange::Value& value) {
  return std::visit([](const auto& v) { return json(v); }, value);
}

json noc_json(const NocEventData& data) {
  json ids = json::array();
  json changes = json::array();
  for (const auto& method : data.methods) {
    json fields = json::object();
    for (const auto& change : method.fields)
      fields[change.field] = {{"from", noc_value(change.from)}, {"to", noc_value(change.to)}};
    ids.push_back(method.saved_payment_method_uid);
    changes.push_back({{"saved_payment_method_uid", method.saved_payment_method_uid},
                       {"customer_uid", method.customer_uid},
                       {"fields", std::move(fields)}});
  }
  return {{"saved_payment_method_ids", ids}, {"changes", changes}};
}

// A sample's method: a saved method of the account, or a sandbox card.
json sample_method_json(const std::optional<SavedMethod>& method) {
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

template <typename T>
void set_if(json& out, const char* key, const std::optional<T>& value) {
  if (value) out[key] = *value;
}

json sample_payment_json(const SamplePayment& p) {
  json out = {{"uid", p.uid},
              {"status", sample_status_name(p.status)},
              {"base_amount", p.base_amount},
              {"tax_amount", p.tax_amount},
              {"processing_fee_amount", p.processing_fee_amount},
              {"total_amount", p.total_amount},
              {"currency", p.currency},
              {"reference_id", p.reference_id},
              {"payment_method", sample_method_json(p.method)},
              {"created_at", format_rfc3339(p.created_at)}};
  set_if(out, "transaction_id", p.transaction_id);
  if (p.captured_at) out["captured_at"] = format_rfc3339(*p.captured_at);
  set_if(out, "failure_code", p.failure_code);
  set_if(out, "failure_message", p.failure_message);
  set_if(out, "refunded_amount", p.refunded_amount);
  set_if(out, "reversed_amount", p.reversed_amount);
  set_if(out, "return_code", p.return_code);
  set_if(out, "return_reason", p.return_reason);
  set_if(out, "channel", p.channel);
  if (p.chargeback)
    out["chargeback"] = {{"uid", p.chargeback->uid},
                         {"amount", p.chargeback->amount},
                         {"reason", p.chargeback->reason},
                         {"created_at", format_rfc3339(p.chargeback->created_at)}};
  return out;
}

json sample_session_json(const SampleSession& s) {
  json out = {{"session_id", s.session_id},
              {"status", session_status_name(s.status)},
              {"scope", session_scope_name(s.scope)},
              {"amount", s.amount},
              {"currency", s.currency}};
  if (s.payment) out["payment"] = sample_payment_json(*s.payment);
  return out;
}

// One overload per payload type: a payload without one does not compile.
struct DataWriter {
  std::string operator()(const PaymentEventData& d) const {
    return dump_json(payment_json(d.payment));
  }
  std::string operator()(const SessionEventData& d) const {
    return dump_json(session_event_json(d.session, d.payment ? &*d.payment : nullptr, d.method));
  }
  std::string operator()(const NocEventData& d) const { return dump_json(noc_json(d)); }
  std::string operator()(const GivenEventData& d) const { return d.json_text; }
  std::string operator()(const SamplePayment& d) const { return dump_json(sample_payment_json(d)); }
  std::string operator()(const SampleSession& d) const { return dump_json(sample_session_json(d)); }
};

}  // namespace

std::string event_data_json(const EventPayload& payload) {
  return std::visit(DataWriter{}, payload);
}

std::string event_envelope(const std::string& webhook_id, const std::string& event_type,
                           std::int64_t timestamp, const std::string& data_json) {
  // Built by hand so `data` goes out byte for byte as stored.
  return "{\"webhook_id\":" + dump_json(webhook_id) + ",\"event_type\":" + dump_json(event_type) +
         ",\"timestamp\":" + std::to_string(timestamp) + ",\"data\":" + data_json + "}";
}

}  // namespace paysandbox
