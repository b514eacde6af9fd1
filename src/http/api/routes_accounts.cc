#include <openssl/evp.h>

#include "core/ids.h"
#include "http/api/inputs.h"
#include "http/api/routes.h"
#include "http/api/session_inputs.h"
#include "http/body.h"
#include "http/errors.h"
#include "http/field_paths.h"
#include "service/clients.h"

namespace paysandbox {
namespace {

std::string percent_decode(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() &&
               std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_form(const std::string& body) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start <= body.size()) {
    size_t amp = body.find('&', start);
    if (amp == std::string::npos) amp = body.size();
    std::string pair = body.substr(start, amp - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      out.emplace_back(
          percent_decode(pair.substr(0, eq)),
          eq == std::string::npos ? std::string() : percent_decode(pair.substr(eq + 1)));
    }
    start = amp + 1;
  }
  return out;
}

std::string base64_decode(const std::string& text) {
  std::string out((text.size() / 4 + 1) * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return {};
  size_t padding = 0;
  for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) ++padding;
  out.resize(static_cast<size_t>(n) - std::min<size_t>(padding, static_cast<size_t>(n)));
  return out;
}

// OAuth 2 errors have their own shape: {"error": "...", "error_description": "..."}.
Reply oauth_error(int status, const std::string& error, const std::string& description) {
  Reply out = reply(status, json{{"error", error}, {"error_description", description}});
  if (status == 401) out.set_header("WWW-Authenticate", "Basic realm=\"payment-sandbox\"");
  return out;
}

Reply token_route(const Call& call, TokenService& tokens) {
  std::string client_id, client_secret, grant_type, scope;
  for (const auto& [key, value] : parse_form(call.request.body)) {
    if (key == "grant_type") grant_type = value;
    if (key == "scope") scope = value;
    if (key == "client_id") client_id = value;
    if (key == "client_secret") client_secret = value;
  }
  std::string authorization = call.request.header("Authorization");
  if (authorization.size() > 6 && strncasecmp(authorization.c_str(), "Basic ", 6) == 0) {
    std::string decoded = base64_decode(authorization.substr(6));
    size_t colon = decoded.find(':');
    if (colon == std::string::npos)
      return oauth_error(401, "invalid_client",
                         "The Basic credentials must be base64(client_id:client_secret).");
    client_id = percent_decode(decoded.substr(0, colon));
    client_secret = percent_decode(decoded.substr(colon + 1));
  }
  if (grant_type.empty())
    return oauth_error(400, "invalid_request",
                       "grant_type is required (form-encoded): grant_type=client_credentials.");
  if (grant_type != "client_credentials")
    return oauth_error(400, "unsupported_grant_type",
                       "Only grant_type=client_credentials is supported.");
  if (client_id.empty())
    return oauth_error(401, "invalid_client",
                       "Send client credentials as Authorization: Basic base64(id:secret).");
  auto token = tokens.issue(client_id, client_secret, scope);
  if (!token) return oauth_error(401, "invalid_client", "Unknown client or wrong secret.");
  json body = {{"access_token", token->token},
               {"expires_in", TokenService::kLifetime / kSecond},
               {"token_type", "Bearer"}};
  if (!scope.empty()) body["scope"] = scope;
  return reply(200, body);
}

Result<Account> owned_account(ApiContext& api, const Call& call, const std::string& uid) {
  auto account = api.accounts.find(uid);
  if (!account || account->client_id != call.client_id)
    return not_found("No payment account '" + uid + "' for this client.");
  return *account;
}

bool valid_origin(const std::string& origin) {
  auto scheme_end = origin.find("://");
  if (scheme_end == std::string::npos) return false;
  std::string scheme = origin.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return false;
  std::string rest = origin.substr(scheme_end + 3);
  if (rest.empty() || rest.find('/') != std::string::npos) return false;
  for (char c : rest)
    if (std::isspace(static_cast<unsigned char>(c)) != 0) return false;
  return true;
}

}  // namespace

FeeRules read_fee_rules(BodyReader& rules, FeeRules base) {
  for (const char* kind : {"credit", "ach"}) {
    auto rule = rules.optional_object(kind);
    if (!rule) continue;
    FeeRule& target = std::string(kind) == "credit" ? base.credit : base.ach;
    target.percent_bps =
        rule->optional_integer("percent_bps", 0, 10000).value_or(target.percent_bps);
    target.fixed = rule->optional_integer("fixed", 0, 1000000).value_or(target.fixed);
    rule->finish();
  }
  rules.finish();
  return base;
}

std::optional<std::string> read_callback_url(BodyReader& body) {
  auto url = body.optional_string("callback_url", 2048);
  if (url && !url->empty() && url->rfind("http://", 0) != 0 && url->rfind("https://", 0) != 0)
    body.reject(body.path_of("callback_url"),
                "'callback_url' must be an http:// or https:// URL; got '" + *url + "'.");
  return url;
}

void read_account_settings(BodyReader& body, AccountDraft& draft) {
  // The only processor behind the real API; accepted so documented bodies pass.
  if (body.has("processor")) body.required_enum("processor", {"zift"});
  draft.external_account_id = body.optional_string("external_account_id", 255);
  draft.external_merchant_id = body.optional_string("external_merchant_id", 255);
  draft.active = body.optional_bool("active");
  draft.enable_ach = body.optional_bool("enable_ach");
  draft.enable_credit_card = body.optional_bool("enable_credit_card");
  constexpr std::int64_t kMaxCents = 99999999999;  // $999,999,999.99
  draft.minimum_payment_amount = body.optional_dollars("minimum_payment_amount", kMaxCents);
  draft.maximum_payment_amount = body.optional_dollars("maximum_payment_amount", kMaxCents);
  draft.callback_url = read_callback_url(body);
  draft.webhook_enabled = body.optional_bool("webhook_enabled");
  if (auto rules = body.optional_object("fee_rules")) draft.fee_rules = read_fee_rules(*rules, {});
}

void add_account_routes(Router& router, ApiContext& api) {
  RouteOptions open{Auth::kPublic, AccountScope::kNone};
  RouteOptions platform{Auth::kPlatform, AccountScope::kNone};

  router.add("POST", "/oauth2/token", open,
             [&api](Call& call) -> Result<Reply> { return token_route(call, api.tokens); });

  router.add("POST", "/api/paymentaccounts", platform, [&api](Call& call) -> Result<Reply> {
    BodyReader body = call.reader();
    AccountDraft draft;
    draft.client_id = call.client_id;
    draft.name = body.required_string("name", 1, 255);
    // client_id: the uid of an organization this API client made with POST
    // /api/clients; an unknown one is a 404 naming client_id.
    if (auto client = body.optional_string("client_id", 255)) {
      ASSIGN_OR_RETURN(auto found, at_request_path(api.clients.get(call.client_id, *client),
                                                   {{"uid", "client_id"}}));
      draft.client_uid = found.uid;
    }
    read_account_settings(body, draft);
    TRY(body.finish());
    ASSIGN_OR_RETURN(Account account, api.accounts.create(draft));
    return reply(201, account_json(account));
  });

  router.add("GET", "/api/paymentaccounts", platform, [&api](Call& call) -> Result<Reply> {
    ASSIGN_OR_RETURN(ListQuery query, read_list_query(call, {"name", "external_account_id"}));
    json out = json::array();
    for (const auto& account : api.accounts.list(call.client_id, query))
      out.push_back(account_json(account));
    return reply(200, out);
  });

  router.add("GET", "/api/paymentaccounts/{}", platform, [&api](Call& call) -> Result<Reply> {
    ASSIGN_OR_RETURN(Account account, owned_account(api, call, call.params[0]));
    return reply(200, account_json(account));
  });

  router.add("PUT", "/api/paymentaccounts/{}/checkout-config", platform,
             [&api](Call& call) -> Result<Reply> {
               ASSIGN_OR_RETURN(Account account, owned_account(api, call, call.params[0]));
               BodyReader body = call.reader();
               const json& origins = body.required_array("allowed_origins", 100);
               std::vector<std::string> allowed;
               for (size_t i = 0; i < origins.size(); ++i) {
                 std::string param = "allowed_origins[" + std::to_string(i) + "]";
                 if (!origins[i].is_string() || !valid_origin(origins[i].get<std::string>()))
                   return validation_error(param,
                                           "'" + param +
                                               "' must be an origin like https://shop.example.com "
                                               "(scheme, host and optional port; no path).");
                 allowed.push_back(origins[i].get<std::string>());
               }
               TRY(body.status());
               // Branding defaults for the account's session pages; a session's own
               // branding overrides them. PUT replaces: a key not sent is unset.
               Branding branding;
               read_branding(body, branding, /*with_page_message=*/true);
               TRY(body.finish());
               account.allowed_origins = allowed;
               account.branding = branding;
               api.accounts.update(account);
               json out = {{"payment_account_uid", account.uid}, {"allowed_origins", allowed}};
               out.update(branding_json(branding));
               return reply(200, out);
             });

  // No bearer: the browser SDK calls this with the account uid alone.
  router.add("GET", "/api/paymentaccounts/{}/client-config", open,
             [&api](Call& call) -> Result<Reply> {
               auto account = api.accounts.find(call.params[0]);
               if (!account) return not_found("No payment account '" + call.params[0] + "'.");
               json methods = json::array();
               if (account->enable_credit_card) methods.push_back("credit");
               if (account->enable_ach) methods.push_back("ach");
               // Apple Pay is charged as a card, so it comes with cards (the
               // documented example lists credit, ach, apple_pay).
               if (account->enable_credit_card) methods.push_back("apple_pay");
               const Millis now = api.accounts.clock().account_now(account->uid);
               return reply(200, json{{"processor", account->processor},
                                      {"config",
                                       {{"account_id", account->external_account_id},
                                        {"api_key", "sbx_" + random_hex(16)},
                                        {"temporary_password", new_id("", 16)},
                                        {"expiration_date", format_rfc3339(now + 15 * kMinute)}}},
                                      {"supported_methods", methods}});
             });
}

}  // namespace paysandbox
