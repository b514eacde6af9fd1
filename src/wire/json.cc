#include "wire/json.h"

#include "core/payment.h"
#include "core/time.h"
#include "wire/json_text.h"

namespace paysandbox {

std::string dump_json(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string json_quoted(const std::string& value) { return dump_json(json(value)); }

std::optional<std::string> json_object_text(const std::string& text) {
  json parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  return dump_json(parsed);
}

json text_or_null(const std::string& value) { return value.empty() ? json(nullptr) : json(value); }
json optional_text(const std::optional<std::string>& value) {
  return value ? json(*value) : json(nullptr);
}

namespace {
// Dollars as the real API spells account limits: a decimal number.
json dollars(std::int64_t cents) { return json(static_cast<double>(cents) / 100.0); }
}  // namespace

json fee_rules_json(const FeeRules& rules) {
  return {{"credit", {{"percent_bps", rules.credit.percent_bps}, {"fixed", rules.credit.fixed}}},
          {"ach", {{"percent_bps", rules.ach.percent_bps}, {"fixed", rules.ach.fixed}}}};
}

json branding_json(const Branding& b) {
  return {{"logo_url", optional_text(b.logo_url)},
          {"accent_color", optional_text(b.accent_color)},
          {"merchant_display_name", optional_text(b.merchant_display_name)},
          {"page_message", optional_text(b.page_message)}};
}

json org_client_json(const OrgClient& c) {
  return {{"uid", c.uid},
          {"customer_id", c.customer_id},
          {"name", c.name},
          {"timezone", text_or_null(c.timezone)},
          {"subdomain", text_or_null(c.subdomain)},
          {"created_at", format_rfc3339(c.created_at)}};
}

json account_json(const Account& a) {
  json out = account_fields_json(a);
  // The organization the account was created under, when one was named.
  if (!a.client_uid.empty()) out["client_id"] = a.client_uid;
  return out;
}

json account_fields_json(const Account& a) {
  return {{"uid", a.uid},
          {"name", a.name},
          {"processor", a.processor},
          {"external_account_id", a.external_account_id},
          {"external_merchant_id", a.external_merchant_id},
          {"active", a.active},
          {"enable_ach", a.enable_ach},
          {"enable_credit_card", a.enable_credit_card},
          {"minimum_payment_amount", dollars(a.minimum_payment_amount)},
          {"maximum_payment_amount", dollars(a.maximum_payment_amount)},
          {"callback_url", text_or_null(a.callback_url)},
          {"webhook_enabled", a.webhook_enabled},
          {"fee_rules", fee_rules_json(a.fee_rules)},
          {"allowed_origins", a.allowed_origins},
          {"checkout_branding", branding_json(a.branding)},
          {"created_at", format_rfc3339(a.created_at)}};
}

json customer_json(const Customer& c) {
  return {{"uid", c.uid},
          {"reference_id", c.reference_id},
          {"name", optional_text(c.name)},
          {"email", optional_text(c.email)},
          {"default_payment_method_uid", optional_text(c.default_payment_method_uid)},
          {"created_at", format_rfc3339(c.created_at)}};
}

namespace {
json method_envelope(const SavedMethod& m, bool is_default, json details) {
  json method = {{"payment_method_type", method_kind_name(m.kind)}};
  method[method_kind_name(m.kind)] = std::move(details);
  return {{"saved_payment_method_uid", m.uid},
          {"customer_uid", m.customer_uid},
          {"is_default", is_default},
          {"created_at", format_rfc3339(m.created_at)},
          {"updated_at", format_rfc3339(m.updated_at)},
          {"payment_method", std::move(method)}};
}

json sanitized_details(const SavedMethod& m) {
  if (m.kind == MethodKind::kAch) {
    return {{"account_number_suffix", m.ach.account_number_suffix},
            {"account_type", m.ach.account_type},
            {"bank_name", text_or_null(m.ach.bank_name)},
            {"holder_name", text_or_null(m.ach.holder_name)}};
  }
  return {{"last4", m.card.last4},
          {"card_brand", m.card.card_brand},
          {"exp_month", m.card.exp_month},
          {"exp_year", m.card.exp_year},
          {"holder_name", text_or_null(m.card.holder_name)}};
}
}  // namespace

json saved_method_json(const SavedMethod& m, bool is_default) {
  json details = sanitized_details(m);
  details["fingerprint"] = m.permanent_token;
  if (m.kind == MethodKind::kAch) {
    details["routing_number"] = m.ach.routing_number;
  } else {
    details["bin"] = m.card.bin;
  }
  return method_envelope(m, is_default, std::move(details));
}

json sanitized_method_json(const SavedMethod& m, bool is_default) {
  return method_envelope(m, is_default, sanitized_details(m));
}

// Plain printable ASCII (every id, brand and timestamp) is copied; anything
// that needs escaping or is not ASCII goes through nlohmann itself, so the
// output cannot differ.
void append_json_string(std::string& out, const std::string& value) {
  for (unsigned char c : value) {
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
      out += dump_json(json(value));
      return;
    }
  }
  out += '"';
  out += value;
  out += '"';
}

void append_json_text_or_null(std::string& out, const std::string& value) {
  if (value.empty())
    out += "null";
  else
    append_json_string(out, value);
}

// Keys in the order nlohmann's std::map-backed objects print them: sorted.
void append_sanitized_details(std::string& out, MethodKind kind, const CardDetails& card,
                              const AchDetails& ach) {
  if (kind == MethodKind::kAch) {
    out += "\"ach\":{\"account_number_suffix\":";
    append_json_string(out, ach.account_number_suffix);
    out += ",\"account_type\":";
    append_json_string(out, ach.account_type);
    out += ",\"bank_name\":";
    append_json_text_or_null(out, ach.bank_name);
    out += ",\"holder_name\":";
    append_json_text_or_null(out, ach.holder_name);
  } else {
    out += "\"credit\":{\"card_brand\":";
    append_json_string(out, card.card_brand);
    out += ",\"exp_month\":";
    out += std::to_string(card.exp_month);
    out += ",\"exp_year\":";
    out += std::to_string(card.exp_year);
    out += ",\"holder_name\":";
    append_json_text_or_null(out, card.holder_name);
    out += ",\"last4\":";
    append_json_string(out, card.last4);
  }
  out += '}';
}

void append_sanitized_method_json(std::string& out, const SavedMethod& m, bool is_default) {
  out += "{\"created_at\":";
  append_json_string(out, format_rfc3339(m.created_at));
  out += ",\"customer_uid\":";
  append_json_string(out, m.customer_uid);
  out += is_default ? ",\"is_default\":true" : ",\"is_default\":false";
  out += ",\"payment_method\":{";
  append_sanitized_details(out, m.kind, m.card, m.ach);
  out += ",\"payment_method_type\":\"";
  out += method_kind_name(m.kind);
  out += "\"},\"saved_payment_method_uid\":";
  append_json_string(out, m.uid);
  out += ",\"updated_at\":";
  append_json_string(out, format_rfc3339(m.updated_at));
  out += '}';
}

json proxy_token_json(const ProxyToken& t) {
  json out = {{"fingerprint", t.fingerprint}, {"expires_at", format_rfc3339(t.expires_at)}};
  if (t.kind == MethodKind::kAch) {
    out["ach"] = {{"account_number_suffix", t.ach.account_number_suffix},
                  {"routing_number", t.ach.routing_number},
                  {"account_type", t.ach.account_type},
                  {"bank_name", text_or_null(t.ach.bank_name)}};
  } else {
    out["card"] = {{"last4", t.card.last4},
                   {"bin", t.card.bin},
                   {"card_brand", t.card.card_brand},
                   {"exp_month", t.card.exp_month},
                   {"exp_year", t.card.exp_year}};
  }
  return out;
}

bool json_field_equals(const json& body, const std::string& dotted,
                       const std::string& expected_json) {
  const json* node = &body;
  size_t start = 0;
  while (true) {
    const size_t dot = dotted.find('.', start);
    const std::string key =
        dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object()) return false;
    auto it = node->find(key);
    if (it == node->end()) return false;
    node = &*it;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return *node == json::parse(expected_json, nullptr, false);
}

}  // namespace paysandbox
