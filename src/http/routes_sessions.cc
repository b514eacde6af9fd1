#include <algorithm>
#include <memory>
#include <mutex>

#include "core/rules.h"
#include "http/body.h"
#include "http/errors.h"
#include "http/inputs.h"
#include "http/routes.h"
#include "service/payments.h"
#include "service/sessions.h"
#include "wire/payment_json.h"

namespace paysandbox {
namespace {

constexpr Millis kMaxLifetime = 24 * kHour;

std::string base_url_of(const Call& call) {
  std::string host = call.request.header("Host");
  return host.empty() ? std::string() : "http://" + host;
}

// Which caller a session route lets in, beyond the server.
enum class Browser {
  kNo,       // server credentials only
  kAny,      // a client_secret of either scope
  kPayment,  // a client_secret of a payment-scope session
  kWallet,   // a client_secret of a wallet-scope session
};

// Loads the session a route names and checks the caller may act on it: the
// server by its bearer and account header, a browser by the session's
// client_secret, from an allowed origin, with the right scope. Past expiry
// everything but a server's GET is 410.
HostedSession open_session(Call& call, SessionService& sessions, Browser browser,
                           bool expired_ok = false) {
  const std::string& id = call.params[0];
  const Account& account = call.require_account();
  auto session = sessions.find(id, account.uid);
  const bool from_browser = !call.session_secret.empty();
  if (from_browser) {
    if (!session || session->client_secret != call.session_secret)
      throw ApiError(make_error(ErrorCode::kUnauthorized,
                                "This client_secret belongs to another session; use the "
                                "client_secret returned when session " +
                                    id + " was created."));
    if (browser == Browser::kNo)
      throw ApiError(make_error(ErrorCode::kForbidden,
                                "Only the merchant's server (with its bearer token) may do this; "
                                "a client_secret may not."));
    std::string origin = call.request.header("Origin");
    const auto& allowed = account.allowed_origins;
    if (!origin.empty() && origin != base_url_of(call) &&
        std::find(allowed.begin(), allowed.end(), origin) == allowed.end())
      throw ApiError(make_error(ErrorCode::kOriginNotAllowed,
                                "Origin '" + origin +
                                    "' is not in this account's allowed_origins; add it with PUT "
                                    "/api/paymentaccounts/{uid}/checkout-config."));
  } else if (!session) {
    throw ApiError(not_found("No hosted session '" + id + "' in this payment account."));
  }
  const std::string needed = browser == Browser::kPayment  ? "payment"
                             : browser == Browser::kWallet ? "wallet"
                                                           : "";
  if (!needed.empty() && session->scope != needed)
    throw ApiError(make_error(ErrorCode::kInsufficientScope,
                              "Session " + id + " has scope '" + session->scope +
                                  "'; this route needs a '" + needed + "' session."));
  if (session->status == "expired" && !(expired_ok && !from_browser))
    throw ApiError(make_error(ErrorCode::kSessionExpired, "Session " + id + " expired at " +
                                                              format_rfc3339(session->expires_at) +
                                                              "; create a new one."));
  return *session;
}

std::string read_line_items(BodyReader& body) {
  const json* items = body.raw("line_items");
  if (items == nullptr) return "[]";
  if (!items->is_array() || items->size() > 100)
    throw ApiError(validation_error("line_items",
                                    "'line_items' must be an array of at most 100 "
                                    "objects {name, amount, quantity}."));
  for (size_t i = 0; i < items->size(); ++i) {
    BodyReader item((*items)[i], "line_items[" + std::to_string(i) + "]");
    item.required_string("name", 1, 255);
    item.required_integer("amount", 0, kMaxSafeInteger);
    item.optional_integer("quantity", 1, 10000);
    item.finish();
  }
  return items->dump();
}

std::int64_t read_amount(BodyReader& body, const Account& account, bool required) {
  auto amount =
      required ? std::optional<std::int64_t>(body.required_integer("amount", 1, kMaxSafeInteger))
               : body.optional_integer("amount", 1, kMaxSafeInteger);
  if (!amount) return 0;
  if (*amount < account.minimum_payment_amount || *amount > account.maximum_payment_amount)
    throw ApiError(validation_error(
        "amount", "'amount' must be between " + std::to_string(account.minimum_payment_amount) +
                      " and " + std::to_string(account.maximum_payment_amount) +
                      " cents for this account; got " + std::to_string(*amount) + "."));
  return *amount;
}

std::string customer_uid_of(ApiContext& api, const HostedSession& session) {
  return value_or_throw(api.wallet.find_customer_by_reference(
                            session.account_uid, session.customer_reference_id, "customer_id"))
      .uid;
}

}  // namespace

void add_session_routes(Router& router, ApiContext& api, SessionService& sessions) {
  RouteOptions server{Auth::kPlatform, AccountScope::kRequired};
  RouteOptions either{Auth::kPlatformOrSession, AccountScope::kRequired};

  router.add("POST", "/v1/hosted-sessions", server, [&api, &sessions](Call& call) {
    const Account& account = call.require_account();
    BodyReader body(call.body(), "");
    SessionDraft draft;
    draft.scope =
        body.has("scope") ? body.required_enum("scope", {"payment", "wallet"}) : "payment";
    const bool payment = draft.scope == "payment";
    if (payment) {
      draft.amount = read_amount(body, account, true);
      draft.currency = body.required_enum("currency", {"USD"});
      draft.success_url = body.required_string("success_url", 1, 2048);
      draft.cancel_url = body.required_string("cancel_url", 1, 2048);
    } else {
      if (body.has("amount"))
        throw ApiError(validation_error("amount", "A wallet session takes no amount."));
      draft.success_url = body.optional_string("success_url", 2048).value_or("");
      draft.cancel_url = body.optional_string("cancel_url", 2048).value_or("");
    }
    auto customer = payment ? body.optional_string("customer_id", 255)
                            : std::optional<std::string>(body.required_string("customer_id"));
    if (customer) {
      value_or_throw(api.wallet.find_customer_by_reference(account.uid, *customer, "customer_id"));
      draft.customer_reference_id = *customer;
    }
    draft.line_items = read_line_items(body);
    if (auto seconds = body.optional_integer("expires_in", 60, kMaxLifetime / kSecond))
      draft.lifetime = *seconds * kSecond;
    body.finish();
    HostedSession session = sessions.create(account, draft);
    json out = SessionService::to_json(session, base_url_of(call));
    out["client_secret"] = session.client_secret;
    call.reply(201, out);
  });

  router.add("GET", "/v1/hosted-sessions/{}", either, [&sessions](Call& call) {
    HostedSession session = open_session(call, sessions, Browser::kAny, /*expired_ok=*/true);
    json out = SessionService::to_json(session, base_url_of(call));
    if (call.session_secret.empty()) out["client_secret"] = session.client_secret;
    call.reply(200, out);
  });

  router.add("PATCH", "/v1/hosted-sessions/{}", server, [&sessions](Call& call) {
    HostedSession session = open_session(call, sessions, Browser::kNo);
    if (session.status != "active")
      throw ApiError(make_error(ErrorCode::kConflict, "Session " + session.id + " is " +
                                                          session.status +
                                                          "; only an active session can change."));
    BodyReader body(call.body(), "");
    if (session.scope == "payment") {
      if (auto amount = read_amount(body, call.require_account(), false); amount > 0)
        session.amount = amount;
    } else if (body.has("amount")) {
      throw ApiError(validation_error("amount", "A wallet session takes no amount."));
    }
    if (body.has("line_items")) session.line_items = read_line_items(body);
    body.finish();
    call.reply(200, SessionService::to_json(sessions.update(session), base_url_of(call)));
  });

  router.add("POST", "/v1/hosted-sessions/{}/expire", server, [&sessions](Call& call) {
    HostedSession session = open_session(call, sessions, Browser::kNo, /*expired_ok=*/true);
    call.reply(200, SessionService::to_json(value_or_throw(sessions.expire(session.id)),
                                            base_url_of(call)));
  });

  router.add("POST", "/v1/hosted-sessions/{}/quote-fee", either, [&sessions](Call& call) {
    HostedSession session = open_session(call, sessions, Browser::kPayment);
    BodyReader body(call.body(), "");
    std::string type = body.required_enum("payment_method_type", {"credit", "ach"});
    body.finish();
    const Account& account = call.require_account();
    const MethodKind kind = type == "credit" ? MethodKind::kCredit : MethodKind::kAch;
    if ((kind == MethodKind::kCredit && !account.enable_credit_card) ||
        (kind == MethodKind::kAch && !account.enable_ach))
      throw ApiError(validation_error("payment_method_type",
                                      "This account does not accept " + type + " payments."));
    const std::int64_t amount = session.amount.value_or(0);
    const std::int64_t fee = processing_fee(
        kind == MethodKind::kCredit ? account.fee_rules.credit : account.fee_rules.ach, amount);
    call.reply(200, json{{"session_id", session.id},
                         {"payment_method_type", type},
                         {"amount", amount},
                         {"processing_fee_amount", fee},
                         {"total_amount", amount + fee},
                         {"currency", session.currency}});
  });

  // Wallet scope: the customer manages their own saved methods. Answers are
  // sanitized: a browser never sees a permanent token.
  router.add("GET", "/v1/hosted-sessions/{}/payment-methods", either,
             [&api, &sessions](Call& call) {
               HostedSession session = open_session(call, sessions, Browser::kWallet);
               call.reply(200, method_list_json(value_or_throw(api.wallet.list_methods(
                                   session.account_uid, customer_uid_of(api, session)))));
             });
  router.add(
      "POST", "/v1/hosted-sessions/{}/payment-methods", either, [&api, &sessions](Call& call) {
        HostedSession session = open_session(call, sessions, Browser::kWallet);
        BodyReader body(call.body(), "");
        BodyReader method = body.required_object("payment_method");
        MethodClaim claim = read_method_claim(method);
        body.finish();
        SavedMethodView saved = value_or_throw(
            api.wallet.save_method(session.account_uid, customer_uid_of(api, session), claim));
        call.reply(201, sanitized_method_json(saved.method, saved.is_default));
      });
  router.add("DELETE", "/v1/hosted-sessions/{}/payment-methods/{}", either,
             [&api, &sessions](Call& call) {
               HostedSession session = open_session(call, sessions, Browser::kWallet);
               value_or_throw(api.wallet.delete_method(
                   session.account_uid, customer_uid_of(api, session), call.params[1]));
               call.no_content();
             });
  router.add("PUT", "/v1/hosted-sessions/{}/default-payment-method", either,
             [&api, &sessions](Call& call) {
               HostedSession session = open_session(call, sessions, Browser::kWallet);
               BodyReader body(call.body(), "");
               std::string method_uid = body.required_string("saved_payment_method_uid", 1, 255);
               body.finish();
               call.reply(200,
                          customer_json(value_or_throw(api.wallet.set_default(
                              session.account_uid, customer_uid_of(api, session), method_uid))));
             });
}

void add_session_confirm_route(Router& router, ApiContext& api, SessionService& sessions,
                               PaymentService& payments) {
  RouteOptions either{Auth::kPlatformOrSession, AccountScope::kRequired};
  // One confirm at a time: the check that the session is still unpaid, the
  // charge and the completion must not interleave with a second confirm, or
  // a double click would charge twice.
  auto confirming = std::make_shared<std::mutex>();
  router.add(
      "POST", "/v1/hosted-sessions/{}/confirm", either,
      [&api, &sessions, &payments, confirming](Call& call) {
        HostedSession session = open_session(call, sessions, Browser::kPayment);
        BodyReader body(call.body(), "");
        PaymentMethodRequest method = read_payment_method(body);
        const bool acknowledged = body.optional_bool("duplicate_acknowledged").value_or(false);
        body.finish();
        const Account& account = call.require_account();

        std::lock_guard<std::mutex> lock(*confirming);
        // Read again under the lock: a confirm that was running may have paid
        // it (or time may have expired it) since the first read.
        session = open_session(call, sessions, Browser::kPayment);
        if (session.status == "completed")
          throw ApiError(make_error(ErrorCode::kAlreadyConfirmed,
                                    "Session " + session.id + " was already paid (payment " +
                                        session.payment_uid + ")."));
        if (is_wallet(method.type)) {
          // Only the session's own customer's methods may pay it.
          auto saved = api.wallet.find_method(account.uid, method.saved_method_uid);
          if (!saved || session.customer_reference_id.empty() ||
              saved->customer_uid != customer_uid_of(api, session))
            throw ApiError(make_error(ErrorCode::kNotFound,
                                      "No saved payment method '" + method.saved_method_uid +
                                          "' for this session's customer.",
                                      "payment_method.wallet.saved_payment_method_uid"));
        }
        PaymentDraft draft;
        draft.base_amount = session.amount.value_or(0);
        draft.tax_amount = 0;
        draft.currency = session.currency;
        draft.reference_id = session.id;
        draft.method = std::move(method);
        Payment payment = value_or_throw(
            payments.pay(account, draft,
                         acknowledged ? DuplicatePolicy::kAcknowledged : DuplicatePolicy::kRefuse));
        json payment_out = payment_json(payment);
        HostedSession paid = session;
        paid.status = "completed";
        paid.payment_uid = payment.uid;
        json event = SessionService::to_json(paid, base_url_of(call));
        event["payment"] = payment_out;
        HostedSession completed = value_or_throw(sessions.complete(session.id, payment.uid, event));
        call.reply(200, json{{"session", SessionService::to_json(completed, base_url_of(call))},
                             {"payment", payment_out}});
      });
}

}  // namespace paysandbox
