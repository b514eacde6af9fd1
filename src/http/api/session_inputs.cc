#include "http/api/session_inputs.h"

#include <algorithm>
#include <regex>

#include "core/field_checks.h"
#include "http/api/inputs.h"
#include "http/errors.h"

namespace paysandbox {
namespace {

// An optional array of strings, each one of `allowed` (when given), no repeats.
std::vector<std::string> read_string_list(BodyReader& body, const std::string& key,
                                          const std::vector<std::string>& allowed,
                                          size_t max_items) {
  std::vector<std::string> out;
  const json* list = body.raw(key);
  if (list == nullptr) return out;
  const std::string param = body.path_of(key);
  if (!list->is_array() || list->size() > max_items) {
    body.reject(param, "'" + param + "' must be an array of at most " + std::to_string(max_items) +
                           " strings.");
    return out;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string item_param = param + "[" + std::to_string(i) + "]";
    const json& item = (*list)[i];
    if (!item.is_string() || item.get<std::string>().empty() ||
        item.get<std::string>().size() > 255) {
      body.reject(item_param, "'" + item_param + "' must be a non-empty string.");
      return out;
    }
    const std::string value = item.get<std::string>();
    if (auto error = allowed.empty() ? std::nullopt : one_of_error(item_param, value, allowed)) {
      body.reject(std::move(*error));
      return out;
    }
    if (std::find(out.begin(), out.end(), value) != out.end()) {
      body.reject(item_param, "'" + item_param + "' repeats '" + value + "'.");
      return out;
    }
    out.push_back(value);
  }
  return out;
}

// An object whose values are all strings (metadata).
std::vector<std::pair<std::string, std::string>> read_string_map(BodyReader& body,
                                                                 const std::string& key) {
  std::vector<std::pair<std::string, std::string>> out;
  const json* map = body.raw(key);
  if (map == nullptr) return out;
  const std::string param = body.path_of(key);
  if (!map->is_object() || map->size() > 50) {
    body.reject(param, "'" + param + "' must be an object of at most 50 string values.");
    return out;
  }
  for (auto it = map->begin(); it != map->end(); ++it) {
    const std::string item_param = param + "." + it.key();
    if (it.key().empty() || it.key().size() > 40) {
      body.reject(item_param, "Keys of '" + param + "' must be 1 to 40 characters.");
      return out;
    }
    if (!it.value().is_string() || it.value().get<std::string>().size() > 500) {
      body.reject(item_param, "'" + item_param + "' must be a string of at most 500 characters.");
      return out;
    }
    out.emplace_back(it.key(), it.value().get<std::string>());
  }
  return out;
}

std::string read_url(BodyReader& body, const std::string& key) {
  auto url = body.optional_string(key, 2048);
  if (!url) return "";
  if (url->rfind("https://", 0) != 0 && url->rfind("http://", 0) != 0)
    body.reject(body.path_of(key), "'" + body.path_of(key) +
                                       "' must be an http:// or https:// URL; got '" + *url + "'.");
  return *url;
}

FraudSignals read_fraud_signals(BodyReader& f) {
  FraudSignals s;
  s.ip_address = f.optional_string("ip_address", 64);
  s.user_agent = f.optional_string("user_agent", 1024);
  s.email = f.optional_string("email", 255);
  s.phone = f.optional_string("phone", 32);
  s.account_type = f.optional_string("account_type", 64);
  s.request_timestamp = f.optional_integer("request_timestamp", 0, kMaxSafeInteger);
  s.is_authorized = f.optional_bool("is_authorized");
  s.is_admin = f.optional_bool("is_admin");
  f.finish();
  return s;
}

const json* object_list(BodyReader& body, const std::string& key, size_t max_items) {
  const json* list = body.raw(key);
  if (list != nullptr && (!list->is_array() || list->size() > max_items)) {
    body.reject(body.path_of(key), "'" + body.path_of(key) + "' must be an array of at most " +
                                       std::to_string(max_items) + " objects.");
    return nullptr;
  }
  return list;
}

const std::vector<std::string> kBillingFields = {
    "cardholder", "zip", "street", "street2", "city", "state", "country", "phone", "email"};

}  // namespace

std::string base_url_of(const Call& call) {
  std::string host = call.request.header("Host");
  return host.empty() ? std::string() : "http://" + host;
}

Result<HostedSession> open_session(Call& call, SessionService& sessions, Browser browser,
                                   bool expired_ok) {
  SessionService::Access access;
  access.client_secret = call.session_secret;
  access.origin = call.request.header("Origin");
  access.own_origin = base_url_of(call);
  access.browser_allowed = browser != Browser::kNo;
  if (browser == Browser::kPayment) access.scope = SessionScope::kPayment;
  if (browser == Browser::kWallet) access.scope = SessionScope::kWallet;
  access.expired_ok = expired_ok;
  return sessions.open(call.params[0], call.require_account(), access);
}

std::string read_line_items(BodyReader& body) {
  const json* items = body.raw("line_items");
  if (items == nullptr) return "[]";
  if (!items->is_array() || items->size() > 100) {
    body.reject("line_items",
                "'line_items' must be an array of at most 100 objects {description, amount, "
                "quantity, metadata}.");
    return "[]";
  }
  json out = json::array();
  for (size_t i = 0; i < items->size() && body.ok(); ++i) {
    BodyReader item = body.nested((*items)[i], "line_items[" + std::to_string(i) + "]");
    // Only the documented item fields: anything else is an unknown field, as
    // the real API refuses it. `name` (a common guess) is named first, with
    // the field that takes its place.
    if (item.has("name"))
      item.reject(item.path_of("name"), "Unknown field '" + item.path_of("name") +
                                            "'; a line item's text goes in 'description'.");
    std::string description = item.required_string("description", 1, 1000);
    const std::int64_t amount = item.required_integer("amount", 0, kMaxSafeInteger);
    const std::int64_t quantity = item.optional_integer("quantity", 1, 10000).value_or(1);
    json metadata = json::object();
    for (const auto& [key, value] : read_string_map(item, "metadata")) metadata[key] = value;
    item.finish();
    out.push_back({{"description", description},
                   {"amount", amount},
                   {"quantity", quantity},
                   {"metadata", metadata}});
  }
  return out.dump();
}

void read_branding(BodyReader& b, Branding& into, bool with_page_message) {
  if (b.has("logo_url")) into.logo_url = read_url(b, "logo_url");
  if (auto color = b.optional_string("accent_color", 7)) {
    static const std::regex kColor("^#[0-9A-Fa-f]{6}$");
    if (!std::regex_match(*color, kColor))
      b.reject(b.path_of("accent_color"), "'" + b.path_of("accent_color") +
                                              "' must be a colour like #1A73E8 (# and six hex "
                                              "digits); got '" +
                                              *color + "'.");
    into.accent_color = *color;
  }
  if (auto name = b.optional_string("merchant_display_name", 255))
    into.merchant_display_name = *name;
  if (with_page_message)
    if (auto message = b.optional_string("page_message", 4000)) into.page_message = *message;
  b.finish();
}

Result<SessionOptions> read_session_options(BodyReader& body, SessionScope scope) {
  SessionOptions o;
  o.description = body.optional_string("description", 1000).value_or("");
  o.customer_email = optional_email(body, "customer_email").value_or("");
  if (body.has("layout")) o.layout = body.required_enum("layout", {"hosted", "embedded"});
  for (const auto& name : read_string_list(body, "allowed_methods", checkout_method_names(), 4))
    o.allowed_methods.push_back(*checkout_method_from_name(name));
  if (body.raw("allowed_methods") != nullptr && o.allowed_methods.empty())
    body.reject("allowed_methods", "'allowed_methods' must name at least one method when sent.");
  if (body.has("setup_future_usage"))
    o.setup_future_usage = setup_future_usage_from_name(
                               body.required_enum("setup_future_usage", setup_future_usage_names()))
                               .value_or(SetupFutureUsage::kOff);
  if (auto branding = body.optional_object("branding")) read_branding(*branding, o.branding, false);
  o.required_avs_fields = read_string_list(body, "required_avs_fields", kBillingFields, 9);
  o.metadata = read_string_map(body, "metadata");
  if (auto signals = body.optional_object("fraud_signals"))
    o.fraud_signals = read_fraud_signals(*signals);
  const bool wallet = scope == SessionScope::kWallet;
  if (const json* badges = object_list(body, "method_badges", 50)) {
    if (!wallet) body.reject("method_badges", "'method_badges' is for wallet-scope sessions only.");
    for (size_t i = 0; i < badges->size() && body.ok(); ++i) {
      BodyReader badge = body.nested((*badges)[i], "method_badges[" + std::to_string(i) + "]");
      MethodBadge b;
      b.label = badge.required_string("label", 1, 64);
      b.color = badge.optional_string("color", 32).value_or("");
      badge.required_array("payment_method_uids", 100);
      b.payment_method_uids = read_string_list(badge, "payment_method_uids", {}, 100);
      badge.finish();
      o.method_badges.push_back(std::move(b));
    }
  }
  if (const json* locked = object_list(body, "locked_payment_methods", 100)) {
    if (!wallet)
      body.reject("locked_payment_methods",
                  "'locked_payment_methods' is for wallet-scope sessions only.");
    for (size_t i = 0; i < locked->size() && body.ok(); ++i) {
      BodyReader entry =
          body.nested((*locked)[i], "locked_payment_methods[" + std::to_string(i) + "]");
      LockedMethod l;
      l.payment_method_uid =
          WalletService::normalize_method_uid(entry.required_string("payment_method_uid", 1, 255));
      l.reason = entry.optional_string("reason", 255).value_or("");
      entry.finish();
      o.locked_payment_methods.push_back(std::move(l));
    }
  }
  TRY(body.status());
  return o;
}

namespace {

MethodClaim read_browser_card(BodyReader& card, const std::string& token) {
  MethodClaim claim;
  claim.fingerprint = token;
  read_card_fields(card, claim);
  card.finish();
  return claim;
}

MethodClaim read_browser_ach(BodyReader& ach, const std::string& token) {
  MethodClaim claim;
  claim.kind = MethodKind::kAch;
  claim.fingerprint = token;
  claim.bank_name = ach.optional_string("bank_name", kMaxNameLength).value_or("");
  claim.routing_number = required_digits(ach, "routing_number", kRoutingNumberDigits);
  claim.account_number_suffix = required_digits(ach, "account_number_suffix", kAccountSuffixDigits);
  claim.account_type = ach.required_enum("account_type", ach_account_types());
  ach.finish();
  return claim;
}

// A saved method's uid ("spm_...", any case of the prefix) in
// processor_token: the one way a payer pays or quotes with a saved method.
bool is_saved_method_token(const std::string& token) {
  return token.size() > 4 && (token[0] == 's' || token[0] == 'S') &&
         (token[1] == 'p' || token[1] == 'P') && (token[2] == 'm' || token[2] == 'M') &&
         token[3] == '_';
}

// {method, card_type? (quote-fee only), processor_token, payment_method: {card | ach}}.
// A saved method goes as {method: card | ach, processor_token: "spm_..."},
// without payment_method: the sandbox holds its details.
void read_browser_method(BodyReader& body, CheckoutRequest& out, bool for_confirm) {
  out.method = checkout_method_from_name(body.required_enum("method", checkout_method_names()))
                   .value_or(CheckoutMethod::kCard);
  const std::string method_name = checkout_method_name(out.method);
  // card_type is a quote-fee field (rates differ by card); confirm's
  // documented body has none, so there it is an unknown field.
  if (!for_confirm)
    if (auto type = body.optional_string("card_type", 32)) out.card_type = *type;
  const bool needs_instrument =
      out.method == CheckoutMethod::kCard || out.method == CheckoutMethod::kAch;
  if (out.method == CheckoutMethod::kCard && out.card_type.empty() && !for_confirm)
    body.reject("card_type",
                "'card_type' is required when method is card (rates differ by card), "
                "e.g. \"visa\".");
  if (out.method != CheckoutMethod::kCard && !out.card_type.empty())
    body.reject("card_type", "'card_type' applies to method card only.");
  auto token = body.optional_string("processor_token", 255);
  if (!token && (needs_instrument || (for_confirm && out.method == CheckoutMethod::kApplePay)))
    body.reject("processor_token",
                "'processor_token' (the proxynized token from tokenization, or a saved "
                "method's spm_ uid) is required for method " +
                    method_name + ".");
  if (!body.ok()) return;
  auto method = body.optional_object("payment_method");
  if (out.method == CheckoutMethod::kPaypal) {
    if (method) method->finish();
    return;  // refused with a reason by the checkout service
  }
  PaymentMethodRequest request;
  if (needs_instrument && is_saved_method_token(*token)) {
    if (method)
      body.reject("payment_method",
                  "'payment_method' is not sent with a saved method (processor_token " + *token +
                      "); the saved method holds its details.");
    request.type = out.method == CheckoutMethod::kCard ? PaymentMethodType::kWalletCredit
                                                       : PaymentMethodType::kWalletAch;
    request.saved_method_uid = WalletService::normalize_method_uid(*token);
    out.kind = kind_of(request.type);
    out.payment = std::move(request);
    return;
  }
  if (needs_instrument) {
    const std::string& key = method_name;  // "card" | "ach"
    if (!method) {
      body.reject("payment_method", "'payment_method' is required for method " + key + ".");
      return;
    }
    method->only({key});
    BodyReader details = method->required_object(key);
    request.claim =
        key == "card" ? read_browser_card(details, *token) : read_browser_ach(details, *token);
    method->finish();
    request.type = key == "card" ? PaymentMethodType::kCredit : PaymentMethodType::kAch;
  } else {
    if (method)
      body.reject("payment_method",
                  "'payment_method' is not sent for apple_pay; the token says all.");
    out.kind = MethodKind::kCredit;
    if (!token) return;  // an Apple Pay quote by amount alone
    request.type = PaymentMethodType::kCredit;
    request.claim.kind = MethodKind::kCredit;
    request.claim.fingerprint = *token;
    request.claim.details_sent = false;
  }
  out.kind = request.claim.kind;
  out.payment = std::move(request);
}

}  // namespace

Result<CheckoutRequest> read_checkout_request(BodyReader& body, bool for_confirm) {
  CheckoutRequest out;
  // The platform payment body is not what these routes take: name its
  // field, and the body they do take.
  const std::string browser_body =
      "; this route takes the browser body {method, processor_token, payment_method: "
      "{card | ach}}.";
  if (body.has("payment_method_type"))
    body.reject("payment_method_type", "Unknown field 'payment_method_type'" + browser_body);
  if (const json* method = body.raw("payment_method"); method != nullptr && method->is_object())
    for (auto it = method->begin(); it != method->end(); ++it)
      if (it.key() != "card" && it.key() != "ach") {
        body.reject("payment_method." + it.key(),
                    "Unknown field 'payment_method." + it.key() + "'" + browser_body);
        break;
      }
  read_browser_method(body, out, for_confirm);
  if (for_confirm) {
    out.save_method = body.optional_bool("save_method").value_or(false);
    if (auto billing = body.optional_object("billing_details")) {
      for (const auto& field : kBillingFields)
        if (auto value = billing->optional_string(field, 255))
          out.billing_details.emplace_back(field, *value);
      billing->finish();
    }
    if (auto answer = body.optional_object("challenge_response")) {
      ChallengeAnswer a;
      a.type = challenge_type_from_name(answer->required_enum("type", challenge_type_names()))
                   .value_or(ChallengeType::kHcaptcha);
      a.token = answer->optional_string("token", 4096).value_or("");
      a.code = answer->optional_string("code", 16).value_or("");
      answer->finish();
      out.challenge = a;
    }
    if (auto mandate = body.optional_object("ach_authorization")) {
      const std::string sec = mandate->required_enum("sec_code", {"web", "tel", "ppd"});
      const std::string at = mandate->required_string("accepted_at", 1, 64);
      if (!parse_rfc3339(at))
        mandate->reject(mandate->path_of("accepted_at"),
                        "'ach_authorization.accepted_at' must be an RFC 3339 time like "
                        "2026-04-15T12:00:00Z.");
      mandate->finish();
      out.ach_authorization = sec + " " + at;
    }
    out.duplicate_acknowledged = body.optional_bool("duplicate_acknowledged").value_or(false);
  }
  TRY(body.finish());
  return out;
}

}  // namespace paysandbox
