#include "wire/session_json.h"

#include <algorithm>

#include "core/time.h"
#include "wire/payment_json.h"

namespace paysandbox {
namespace {

template <typename T>
void read_optional(const json& object, const char* key, std::optional<T>& target) {
  auto it = object.find(key);
  if (it != object.end() && !it->is_null()) target = it->get<T>();
}

json fraud_signals_json(const FraudSignals& f) {
  json out = json::object();
  auto put = [&out](const char* key, const auto& value) {
    if (value) out[key] = *value;
  };
  put("ip_address", f.ip_address);
  put("user_agent", f.user_agent);
  put("email", f.email);
  put("phone", f.phone);
  put("account_type", f.account_type);
  put("request_timestamp", f.request_timestamp);
  put("is_authorized", f.is_authorized);
  put("is_admin", f.is_admin);
  return out;
}

json metadata_json(const SessionOptions& o) {
  json out = json::object();
  for (const auto& [key, value] : o.metadata) out[key] = value;
  return out;
}

json badges_json(const SessionOptions& o) {
  json out = json::array();
  for (const auto& b : o.method_badges)
    out.push_back({{"label", b.label},
                   {"color", text_or_null(b.color)},
                   {"payment_method_uids", b.payment_method_uids}});
  return out;
}

json locked_json(const SessionOptions& o) {
  json out = json::array();
  for (const auto& l : o.locked_payment_methods)
    out.push_back(
        {{"payment_method_uid", l.payment_method_uid}, {"reason", text_or_null(l.reason)}});
  return out;
}

json session_branding_json(const Branding& b) {
  return {{"logo_url", optional_text(b.logo_url)},
          {"accent_color", optional_text(b.accent_color)},
          {"merchant_display_name", optional_text(b.merchant_display_name)}};
}

// The options the stored form and the API's session object spell alike.
void put_shared_options(json& out, const SessionOptions& o) {
  out["layout"] = o.layout;
  json allowed = json::array();
  for (CheckoutMethod method : o.allowed_methods) allowed.push_back(checkout_method_name(method));
  out["allowed_methods"] = std::move(allowed);
  out["setup_future_usage"] = setup_future_usage_name(o.setup_future_usage);
  out["branding"] = session_branding_json(o.branding);
  out["required_avs_fields"] = o.required_avs_fields;
  out["metadata"] = metadata_json(o);
  out["method_badges"] = badges_json(o);
  out["locked_payment_methods"] = locked_json(o);
}

}  // namespace

std::string encode_session_options(const SessionOptions& o) {
  json out = {{"description", o.description},
              {"customer_email", o.customer_email},
              {"saved_method_id", o.saved_method_id},
              {"ach_authorization", o.ach_authorization}};
  put_shared_options(out, o);
  if (o.fraud_signals) out["fraud_signals"] = fraud_signals_json(*o.fraud_signals);
  if (o.challenge)
    out["challenge"] = {{"type", challenge_type_name(o.challenge->type)},
                        {"site_key", o.challenge->site_key},
                        {"delivery_hint", o.challenge->delivery_hint},
                        {"code", o.challenge->code},
                        {"code_sent", o.challenge->code_sent},
                        {"sent_at", o.challenge->sent_at}};
  return dump_json(out);
}

SessionOptions decode_session_options(const std::string& text) {
  SessionOptions o;
  json in = json::parse(text, nullptr, false);
  if (!in.is_object()) return o;
  try {
    o.description = in.value("description", "");
    o.customer_email = in.value("customer_email", "");
    o.layout = in.value("layout", "embedded");
    for (const auto& name : in.value("allowed_methods", std::vector<std::string>{}))
      if (auto method = checkout_method_from_name(name)) o.allowed_methods.push_back(*method);
    o.setup_future_usage = setup_future_usage_from_name(in.value("setup_future_usage", "off"))
                               .value_or(SetupFutureUsage::kOff);
    if (auto b = in.find("branding"); b != in.end() && b->is_object()) {
      read_optional(*b, "logo_url", o.branding.logo_url);
      read_optional(*b, "accent_color", o.branding.accent_color);
      read_optional(*b, "merchant_display_name", o.branding.merchant_display_name);
    }
    o.required_avs_fields = in.value("required_avs_fields", std::vector<std::string>{});
    if (auto m = in.find("metadata"); m != in.end() && m->is_object())
      for (auto it = m->begin(); it != m->end(); ++it)
        o.metadata.emplace_back(it.key(), it.value().get<std::string>());
    if (auto f = in.find("fraud_signals"); f != in.end() && f->is_object()) {
      FraudSignals s;
      read_optional(*f, "ip_address", s.ip_address);
      read_optional(*f, "user_agent", s.user_agent);
      read_optional(*f, "email", s.email);
      read_optional(*f, "phone", s.phone);
      read_optional(*f, "account_type", s.account_type);
      read_optional(*f, "request_timestamp", s.request_timestamp);
      read_optional(*f, "is_authorized", s.is_authorized);
      read_optional(*f, "is_admin", s.is_admin);
      o.fraud_signals = s;
    }
    for (const auto& b : in.value("method_badges", json::array()))
      o.method_badges.push_back({b.value("label", ""), b.value("color", ""),
                                 b.value("payment_method_uids", std::vector<std::string>{})});
    for (const auto& l : in.value("locked_payment_methods", json::array()))
      o.locked_payment_methods.push_back(
          {l.value("payment_method_uid", ""), l.value("reason", "")});
    if (auto c = in.find("challenge"); c != in.end() && c->is_object()) {
      Challenge ch;
      ch.type = challenge_type_from_name(c->value("type", "")).value_or(ChallengeType::kHcaptcha);
      ch.site_key = c->value("site_key", "");
      ch.delivery_hint = c->value("delivery_hint", "");
      ch.code = c->value("code", "");
      ch.code_sent = c->value("code_sent", false);
      ch.sent_at = c->value("sent_at", Millis{0});
      o.challenge = ch;
    }
    o.saved_method_id = in.value("saved_method_id", "");
    o.ach_authorization = in.value("ach_authorization", "");
  } catch (const json::exception&) {
    // Written by encode_session_options only; a damaged row keeps what was read.
  }
  return o;
}

std::string resolved_success_url(const HostedSession& s) {
  static const std::string kPlaceholder = "{CHECKOUT_SESSION_ID}";
  std::string url = s.success_url;
  for (size_t at = url.find(kPlaceholder); at != std::string::npos;
       at = url.find(kPlaceholder, at + s.id.size()))
    url.replace(at, kPlaceholder.size(), s.id);
  return url;
}

json session_json(const HostedSession& s, const std::string& base_url) {
  const SessionOptions& o = s.options;
  json out = {
      {"session_id", s.id},
      {"object", "hosted_session"},
      {"scope", session_scope_name(s.scope)},
      {"status", session_status_name(s.status)},
      {"amount", s.amount ? json(*s.amount) : json(nullptr)},
      {"currency", s.currency},
      {"description", text_or_null(o.description)},
      {"success_url", s.success_url.empty() ? json(nullptr) : json(resolved_success_url(s))},
      {"cancel_url", s.cancel_url.empty() ? json(nullptr) : json(s.cancel_url)},
      {"customer_id",
       s.customer_reference_id.empty() ? json(nullptr) : json(s.customer_reference_id)},
      {"customer_email", text_or_null(o.customer_email)},
      {"line_items", json::parse(s.line_items, nullptr, false)},
      {"fraud_signals", o.fraud_signals ? fraud_signals_json(*o.fraud_signals) : json(nullptr)},
      {"challenge", o.challenge ? challenge_json(*o.challenge) : json(nullptr)},
      {"payment_uid", s.payment_uid.empty() ? json(nullptr) : json(s.payment_uid)},
      {"created_at", format_rfc3339(s.created_at)},
      {"expires_at", format_rfc3339(s.expires_at)},
      {"completed_at", s.completed_at ? json(format_rfc3339(s.completed_at)) : json(nullptr)}};
  put_shared_options(out, o);
  if (!base_url.empty()) out["hosted_url"] = base_url + "/hosted/" + s.id;
  return out;
}

std::string card_type_of(const std::string& card_brand) {
  std::string out = card_brand;
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

json saved_method_summary_json(const SavedMethod& m, bool is_default) {
  const bool card = m.kind == MethodKind::kCredit;
  return {{"id", m.uid},
          {"type", card ? "card" : "ach"},
          {"brand", card ? json(card_type_of(m.card.card_brand)) : json(nullptr)},
          {"last4", card ? m.card.last4 : m.ach.account_number_suffix},
          {"exp_month", card ? json(m.card.exp_month) : json(nullptr)},
          {"exp_year", card ? json(m.card.exp_year) : json(nullptr)},
          {"holder_name", text_or_null(card ? m.card.holder_name : m.ach.holder_name)},
          {"bank_name", card ? json(nullptr) : text_or_null(m.ach.bank_name)},
          {"account_type", card ? json(nullptr) : json(m.ach.account_type)},
          {"is_default", is_default}};
}

json challenge_json(const Challenge& c) {
  json out = {{"type", challenge_type_name(c.type)}};
  if (!c.site_key.empty()) out["site_key"] = c.site_key;
  if (!is_captcha(c.type)) {
    out["delivery_hint"] = c.delivery_hint;
    out["code_sent"] = c.code_sent;
  }
  return out;
}

json session_config_json(const HostedSession& s, const Branding& defaults,
                         const std::vector<std::pair<SavedMethod, bool>>* saved,
                         const std::string& base_url, ConfigReader reader) {
  json out = session_json(s, base_url);
  const Branding& own = s.options.branding;
  Branding effective = defaults;
  if (own.logo_url) effective.logo_url = own.logo_url;
  if (own.accent_color) effective.accent_color = own.accent_color;
  if (own.merchant_display_name) effective.merchant_display_name = own.merchant_display_name;
  out["branding"] = session_branding_json(effective);
  out["merchant_display_name"] = optional_text(effective.merchant_display_name);
  out["page_message"] = optional_text(effective.page_message);
  if (saved != nullptr) {
    json list = json::array();
    for (const auto& [method, is_default] : *saved)
      list.push_back(saved_method_summary_json(method, is_default));
    out["saved_methods"] = list;
  }
  if (reader == ConfigReader::kBrowser) {
    out.erase("metadata");
    out.erase("fraud_signals");
  }
  return out;
}

json session_event_json(const HostedSession& s, const Payment* payment, const std::string& method) {
  json out = session_json(s, "");
  if (payment != nullptr) {
    json p = payment_json(*payment);
    p["method"] = method;
    p["last4"] = kind_of(payment->method.type) == MethodKind::kAch
                     ? payment->method.ach.account_number_suffix
                     : payment->method.card.last4;
    out["payment"] = p;
  }
  return out;
}

}  // namespace paysandbox
