#include "http/api/inputs.h"
#include "http/api/routes.h"
#include "http/body.h"
#include "http/field_paths.h"

namespace paysandbox {
namespace {

json clock_json(ApiContext& api, const Call& call) {
  auto& clock = api.accounts.clock();
  if (call.account) {
    return {{"account_uid", call.account->uid},
            {"now", format_rfc3339(clock.account_now(call.account->uid))},
            {"offset_seconds", clock.account_offset(call.account->uid) / kSecond}};
  }
  return {{"now", format_rfc3339(clock.server_now())},
          {"offset_seconds", clock.server_offset() / kSecond}};
}

json created_account_json(const Account& account) {
  json out = account_json(account);
  out["webhook_secret"] = account.webhook_secret;
  return out;
}

Result<Reply> mint_token(ApiContext& api, Call& call) {
  BodyReader body = call.reader();
  TRY(body.status());
  const std::string& account_uid = call.require_account().uid;
  const bool has_card = body.has("card");
  const bool has_ach = body.has("ach");
  if (has_card == has_ach)
    return validation_error(
        "",
        "Send exactly one of 'card' {number, exp_month, exp_year, cvv?, holder_name?} or "
        "'ach' {routing_number, account_number, account_type, bank_name?, holder_name?}.");
  ProxyToken token;
  if (has_card) {
    BodyReader card = body.required_object("card");
    CardInput input;
    input.number = required_digits(card, "number", kCardNumberDigits);
    input.exp_month =
        static_cast<int>(card.required_integer("exp_month", kExpMonths.min, kExpMonths.max));
    input.exp_year =
        static_cast<int>(card.required_integer("exp_year", kExpYears.min, kExpYears.max));
    optional_digits(card, "cvv", kCvvDigits);
    input.holder_name = card.optional_string("holder_name", kMaxNameLength).value_or("");
    TRY(card.finish());
    TRY(body.finish());
    ASSIGN_OR_RETURN(
        token, at_request_path(api.wallet.mint_card_token(account_uid, input), {{"", "card"}}));
  } else {
    BodyReader ach = body.required_object("ach");
    AchInput input;
    input.routing_number = required_digits(ach, "routing_number", kRoutingNumberDigits);
    input.account_number = required_digits(ach, "account_number", kAccountNumberDigits);
    input.account_type = ach.required_enum("account_type", ach_account_types());
    input.bank_name = ach.optional_string("bank_name", kMaxNameLength).value_or("");
    input.holder_name = ach.optional_string("holder_name", kMaxNameLength).value_or("");
    TRY(ach.finish());
    TRY(body.finish());
    ASSIGN_OR_RETURN(token,
                     at_request_path(api.wallet.mint_ach_token(account_uid, input), {{"", "ach"}}));
  }
  return reply(201, proxy_token_json(token));
}

}  // namespace

void add_control_routes(Router& router, ApiContext& api) {
  RouteOptions open{Auth::kPublic, AccountScope::kNone};
  RouteOptions control{Auth::kControl, AccountScope::kNone};
  RouteOptions control_account{Auth::kControl, AccountScope::kRequired};
  RouteOptions control_maybe_account{Auth::kControl, AccountScope::kOptional};

  router.add("GET", "/_sandbox/health", open, [&api](Call&) -> Result<Reply> {
    return reply(200, json{{"status", "ok"}, {"version", api.version}});
  });

  router.add("POST", "/_sandbox/accounts", control, [&api](Call& call) -> Result<Reply> {
    AccountDraft draft;
    draft.client_id = Router::kDefaultClient;
    draft.name = "Sandbox test account";
    if (!call.request.body.empty()) {
      BodyReader body = call.reader();
      draft.name = body.optional_string("name", 255).value_or(draft.name);
      if (auto client = body.optional_string("client_id", 255)) {
        draft.client_id = *client;
        bool known = false;
        for (const auto& c : api.accounts.fixtures().clients)
          known = known || c.client_id == *client;
        if (!known)
          body.reject("client_id",
                      "Unknown client_id '" + *client + "'; clients come from the fixtures.");
      }
      read_account_settings(body, draft);
      TRY(body.finish());
    }
    ASSIGN_OR_RETURN(Account account, api.accounts.create(draft));
    return reply(201, created_account_json(account));
  });

  router.add("POST", "/_sandbox/reset", control, [&api](Call& call) -> Result<Reply> {
    // No body is taken: one, if sent, must be an empty object.
    TRY(call.no_body());
    api.resets.reset_all();
    return reply(200, json{{"status", "reset"}});
  });

  router.add("POST", "/_sandbox/accounts/{}/reset", control, [&api](Call& call) -> Result<Reply> {
    auto account = api.accounts.find(call.params[0]);
    if (!account) return not_found("No payment account '" + call.params[0] + "'.");
    TRY(call.no_body());
    api.resets.reset_account(account->uid);
    return reply(200, created_account_json(*account));
  });

  router.add("PUT", "/_sandbox/accounts/{}/fee-rules", control,
             [&api](Call& call) -> Result<Reply> {
               auto account = api.accounts.find(call.params[0]);
               if (!account) return not_found("No payment account '" + call.params[0] + "'.");
               BodyReader body = call.reader();
               account->fee_rules = read_fee_rules(body, account->fee_rules);
               TRY(body.finish());
               api.accounts.update(*account);
               return reply(200, account_json(*account));
             });

  router.add("GET", "/_sandbox/clock", control_maybe_account,
             [&api](Call& call) -> Result<Reply> { return reply(200, clock_json(api, call)); });

  router.add("POST", "/_sandbox/clock/advance", control_maybe_account,
             [&api](Call& call) -> Result<Reply> {
               BodyReader body = call.reader();
               constexpr std::int64_t kTenYears = 10LL * 366 * 24 * 3600;
               std::int64_t seconds = body.required_integer("seconds", 0, kTenYears);
               TRY(body.finish());
               api.clock_advance.advance(call.account ? call.account->uid : std::string(),
                                         seconds * kSecond);
               return reply(200, clock_json(api, call));
             });

  router.add("POST", "/_sandbox/tokens", control_account,
             [&api](Call& call) { return mint_token(api, call); });
}

}  // namespace paysandbox
