#include <algorithm>

#include "core/rules.h"
#include "http/api/inputs.h"
#include "http/api/routes.h"
#include "http/api/session_inputs.h"
#include "http/body.h"
#include "http/errors.h"
#include "http/field_paths.h"
#include "service/sessions.h"
#include "wire/session_json.h"

namespace paysandbox {
namespace {

constexpr Millis kMaxLifetime = 24 * kHour;

// A session names its customer by reference_id in the body's customer_id.
FieldPaths customer_id_paths() { return {{"reference_id", "customer_id"}}; }

std::int64_t read_amount(BodyReader& body, const Account& account, bool required) {
  auto amount =
      required ? std::optional<std::int64_t>(body.required_integer("amount", 1, kMaxSafeInteger))
               : body.optional_integer("amount", 1, kMaxSafeInteger);
  if (!amount) return 0;
  if (auto limits = SessionService::check_amount(account, *amount); !limits.ok())
    body.reject(limits.error());
  return *amount;
}

Result<std::string> customer_uid_of(ApiContext& api, const HostedSession& session) {
  ASSIGN_OR_RETURN(auto customer,
                   at_request_path(api.wallet.find_customer_by_reference(
                                       session.account_uid, session.customer_reference_id),
                                   customer_id_paths()));
  return customer.uid;
}

// customer_id names the customer by the merchant's reference_id;
// a customer uid (cus_...) is taken as well, as the docs' wallet example
// shows one. Returns the reference_id.
Result<std::string> resolve_customer(ApiContext& api, const Account& account,
                                     const std::string& id) {
  auto by_reference = api.wallet.find_customer_by_reference(account.uid, id);
  if (by_reference) return id;
  if (id.rfind("cus_", 0) == 0)
    if (auto by_uid = api.wallet.get_customer(account.uid, id)) return by_uid->reference_id;
  return at_request_path(by_reference.error(), customer_id_paths());
}

// The config GET and PATCH answer: saved methods only for a
// session with a customer, account branding under the session's.
json config_of(ApiContext& api, const Call& call, const HostedSession& session) {
  std::vector<std::pair<SavedMethod, bool>> saved;
  const bool with_saved = !session.customer_reference_id.empty();
  if (with_saved) {
    auto customer =
        api.wallet.find_customer_by_reference(session.account_uid, session.customer_reference_id);
    if (customer)
      if (auto listed = api.wallet.list_methods(session.account_uid, customer->uid))
        for (auto& view : *listed) saved.emplace_back(std::move(view.method), view.is_default);
  }
  const bool browser = !call.session_secret.empty();
  json out = session_config_json(session, call.require_account().branding,
                                 with_saved ? &saved : nullptr, base_url_of(call),
                                 browser ? ConfigReader::kBrowser : ConfigReader::kServer);
  if (!browser) out["client_secret"] = session.client_secret;
  return out;
}

}  // namespace

void add_session_routes(Router& router, ApiContext& api, SessionService& sessions) {
  RouteOptions server{Auth::kPlatform, AccountScope::kRequired};
  RouteOptions either{Auth::kPlatformOrSession, AccountScope::kRequired};

  router.add("POST", "/v1/hosted-sessions", server, [&api, &sessions](Call& call) -> Result<Reply> {
    const Account& account = call.require_account();
    BodyReader body = call.reader();
    SessionDraft draft;
    draft.scope = *session_scope_from_name(
        body.has("scope") ? body.required_enum("scope", {"payment", "wallet"}) : "payment");
    const bool payment = draft.scope == SessionScope::kPayment;
    if (payment) {
      draft.amount = read_amount(body, account, true);
      draft.currency = body.required_enum("currency", {"USD"});
      draft.success_url = body.required_string("success_url", 1, 2048);
      draft.cancel_url = body.required_string("cancel_url", 1, 2048);
    } else {
      // The docs' wallet example sends amount 0 and a currency: nothing payable.
      if (body.optional_integer("amount", 0, kMaxSafeInteger).value_or(0) != 0)
        body.reject("amount", "A wallet session takes no amount (or 0).");
      if (body.has("currency")) draft.currency = body.required_enum("currency", {"USD"});
      draft.success_url = body.optional_string("success_url", 2048).value_or("");
      draft.cancel_url = body.optional_string("cancel_url", 2048).value_or("");
    }
    auto customer = payment ? body.optional_string("customer_id", 255)
                            : std::optional<std::string>(body.required_string("customer_id"));
    if (customer) {
      TRY(body.status());
      ASSIGN_OR_RETURN(draft.customer_reference_id, resolve_customer(api, account, *customer));
    }
    draft.line_items = read_line_items(body);
    if (body.has("expires_in"))
      body.reject("expires_in",
                  "Unknown field 'expires_in'; a session's lifetime is 'expires_in_seconds'.");
    if (auto seconds = body.optional_integer("expires_in_seconds", 60, kMaxLifetime / kSecond))
      draft.lifetime = *seconds * kSecond;
    ASSIGN_OR_RETURN(draft.options, read_session_options(body, draft.scope));
    TRY(body.finish());
    HostedSession session = sessions.create(account, draft);
    json out = session_json(session, base_url_of(call));
    out["client_secret"] = session.client_secret;
    if (!payment) out.erase("hosted_url");  // as the docs' wallet example
    return reply(201, out);
  });

  router.add("GET", "/v1/hosted-sessions/{}", either,
             [&api, &sessions](Call& call) -> Result<Reply> {
               ASSIGN_OR_RETURN(HostedSession session,
                                open_session(call, sessions, Browser::kAny, /*expired_ok=*/true));
               return reply(200, config_of(api, call, session));
             });

  router.add("PATCH", "/v1/hosted-sessions/{}", server,
             [&api, &sessions](Call& call) -> Result<Reply> {
               ASSIGN_OR_RETURN(HostedSession session, open_session(call, sessions, Browser::kNo));
               // A session that is not active is final: its body is not read.
               TRY(SessionService::may_change(session));
               BodyReader body = call.reader();
               if (session.scope == SessionScope::kPayment) {
                 if (auto amount = read_amount(body, call.require_account(), false); amount > 0)
                   session.amount = amount;
               } else if (body.optional_integer("amount", 0, kMaxSafeInteger).value_or(0) != 0) {
                 body.reject("amount", "A wallet session takes no amount.");
               }
               if (body.has("line_items")) session.line_items = read_line_items(body);
               TRY(body.finish());
               ASSIGN_OR_RETURN(HostedSession updated, sessions.update(session));
               return reply(200, config_of(api, call, updated));
             });

  router.add("POST", "/v1/hosted-sessions/{}/expire", server,
             [&sessions](Call& call) -> Result<Reply> {
               ASSIGN_OR_RETURN(HostedSession session,
                                open_session(call, sessions, Browser::kNo, /*expired_ok=*/true));
               // The documented expire takes no body: one, if sent, must be empty.
               TRY(call.no_body());
               ASSIGN_OR_RETURN(HostedSession expired, sessions.expire(session.id));
               return reply(200, session_json(expired, base_url_of(call)));
             });

  // Wallet scope: the customer manages their own saved methods. Answers are
  // sanitized: a browser never sees a permanent token.
  router.add(
      "GET", "/v1/hosted-sessions/{}/payment-methods", either,
      [&api, &sessions](Call& call) -> Result<Reply> {
        ASSIGN_OR_RETURN(HostedSession session, open_session(call, sessions, Browser::kWallet));
        const Account& account = call.require_account();
        // The documented answer: {methods: SavedMethodSummary[], allowed_methods}.
        // Each summary also carries the platform's sanitized keys, as the POST does.
        ASSIGN_OR_RETURN(std::string customer_uid, customer_uid_of(api, session));
        ASSIGN_OR_RETURN(auto views, api.wallet.list_methods(session.account_uid, customer_uid));
        json methods = json::array();
        for (const auto& view : views) {
          json item = sanitized_method_json(view.method, view.is_default);
          item.update(saved_method_summary_json(view.method, view.is_default));
          methods.push_back(std::move(item));
        }
        json allowed = json::array();
        for (CheckoutMethod method : allowed_methods(session.options, account))
          allowed.push_back(checkout_method_name(method));
        return reply(200, json{{"methods", methods}, {"allowed_methods", allowed}});
      });
  router.add("POST", "/v1/hosted-sessions/{}/payment-methods", either,
             [&api, &sessions](Call& call) -> Result<Reply> {
               ASSIGN_OR_RETURN(HostedSession session,
                                open_session(call, sessions, Browser::kWallet));
               BodyReader body = call.reader();
               BodyReader method = body.required_object("payment_method");
               ASSIGN_OR_RETURN(MethodClaim claim, read_method_claim(method));
               TRY(body.finish());
               ASSIGN_OR_RETURN(std::string customer_uid, customer_uid_of(api, session));
               ASSIGN_OR_RETURN(
                   SavedMethodView saved,
                   at_request_path(api.wallet.save_method(session.account_uid, customer_uid, claim),
                                   {{"", claim_path(claim.kind)}}));
               // The platform's sanitized method plus the SavedMethodSummary keys the
               // wallet component reads (id, type, brand, last4, ...).
               json out = sanitized_method_json(saved.method, saved.is_default);
               out.update(saved_method_summary_json(saved.method, saved.is_default));
               return reply(201, out);
             });
  router.add("DELETE", "/v1/hosted-sessions/{}/payment-methods/{}", either,
             [&api, &sessions](Call& call) -> Result<Reply> {
               ASSIGN_OR_RETURN(HostedSession session,
                                open_session(call, sessions, Browser::kWallet));
               TRY(call.no_body());
               const std::string uid = WalletService::normalize_method_uid(call.params[1]);
               TRY(SessionService::may_delete_method(session, uid));
               ASSIGN_OR_RETURN(std::string customer_uid, customer_uid_of(api, session));
               TRY(api.wallet.delete_method(session.account_uid, customer_uid, call.params[1]));
               return no_content();
             });
  router.add(
      "PUT", "/v1/hosted-sessions/{}/default-payment-method", either,
      [&api, &sessions](Call& call) -> Result<Reply> {
        ASSIGN_OR_RETURN(HostedSession session, open_session(call, sessions, Browser::kWallet));
        BodyReader body = call.reader();
        std::string method_uid = body.required_string("saved_payment_method_uid", 1, 255);
        TRY(body.finish());
        ASSIGN_OR_RETURN(std::string customer_uid, customer_uid_of(api, session));
        ASSIGN_OR_RETURN(auto customer,
                         api.wallet.set_default(session.account_uid, customer_uid, method_uid));
        return reply(200, customer_json(customer));
      });
}

}  // namespace paysandbox
