// Read-only control routes that show an account's state from the control
// side, without a platform bearer: what the dashboard (GET /_sandbox/ui)
// lists, and what a test may read to see everything an account holds.
#include <map>

#include "http/api/inputs.h"
#include "http/api/routes.h"
#include "service/payments.h"
#include "service/sessions.h"
#include "webhooks/event_log.h"
#include "wire/payment_json.h"
#include "wire/session_json.h"

namespace paysandbox {
namespace {

json inspected_account_json(ApiContext& api, const Account& account) {
  json out = account_json(account);
  auto& clock = api.accounts.clock();
  out["clock"] = {{"now", format_rfc3339(clock.account_now(account.uid))},
                  {"offset_seconds", clock.account_offset(account.uid) / kSecond}};
  return out;
}

// Every change a payment went through after its validation, from the
// payment events of its account (each carries the payment as it then was).
std::map<std::string, json> payment_histories(ApiContext& api, const std::string& account_uid) {
  std::map<std::string, json> out;
  auto events = api.events.list(account_uid, "", std::nullopt, 1000000);
  if (!events) return out;
  for (const auto& event : *events) {
    const std::string type = event_type_name(event.event_type);
    if (type.rfind("payment.", 0) != 0) continue;
    json data = json::parse(event.data, nullptr, false);
    if (!data.is_object() || !data.contains("uid") || !data["uid"].is_string()) continue;
    json step = {{"status", data.value("status", "")},
                 {"at", data.value("updated_at", "")},
                 {"event_id", event.id},
                 {"event_type", type}};
    if (data.contains("refunded_amount")) step["refunded_amount"] = data["refunded_amount"];
    if (data.contains("failure_code")) step["failure_code"] = data["failure_code"];
    out[data["uid"].get<std::string>()].push_back(std::move(step));
  }
  return out;
}

}  // namespace

void add_inspect_routes(Router& router, ApiContext& api, PaymentService& payments,
                        SessionService& sessions) {
  RouteOptions control{Auth::kControl, AccountScope::kNone};
  RouteOptions control_account{Auth::kControl, AccountScope::kRequired};

  // Every account of every client, each with its clock.
  router.add("GET", "/_sandbox/accounts", control, [&api](Call&) -> Result<Reply> {
    json out = json::array();
    for (const auto& account : api.accounts.list_all())
      out.push_back(inspected_account_json(api, account));
    return reply(200, out);
  });

  router.add("GET", "/_sandbox/accounts/{}", control, [&api](Call& call) -> Result<Reply> {
    auto account = api.accounts.find(call.params[0]);
    if (!account) return not_found("No payment account '" + call.params[0] + "'.");
    return reply(200, inspected_account_json(api, *account));
  });

  // The account's customers, each with its wallet (sanitized, as
  // GET /api/customers/{uid}/payment-methods lists it).
  router.add("GET", "/_sandbox/customers", control_account, [&api](Call& call) -> Result<Reply> {
    const std::string& account_uid = call.require_account().uid;
    ASSIGN_OR_RETURN(ListQuery query, read_list_query(call, {"reference_id", "email"}));
    json out = json::array();
    for (const auto& customer : api.wallet.list_customers(account_uid, query)) {
      json item = customer_json(customer);
      auto methods = api.wallet.list_methods(account_uid, customer.uid);
      item["payment_methods"] = methods ? method_list_json(*methods) : json::array();
      out.push_back(std::move(item));
    }
    return reply(200, out);
  });

  // The account's payments, each with status_history: its validation, then
  // one step per payment event (completed, failed, refunded).
  router.add("GET", "/_sandbox/payments", control_account,
             [&api, &payments](Call& call) -> Result<Reply> {
               const std::string& account_uid = call.require_account().uid;
               ASSIGN_OR_RETURN(ListQuery query, read_list_query(call, {"reference_id", "status"}));
               auto histories = payment_histories(api, account_uid);
               json out = json::array();
               for (const auto& payment : payments.list(account_uid, query)) {
                 json item = payment_json(payment);
                 json history = json::array();
                 history.push_back({{"status", payment_status_name(PaymentStatus::kValidated)},
                                    {"at", format_rfc3339(payment.created_at)}});
                 auto found = histories.find(payment.uid);
                 if (found != histories.end())
                   for (const auto& step : found->second) history.push_back(step);
                 item["status_history"] = std::move(history);
                 out.push_back(std::move(item));
               }
               return reply(200, out);
             });

  // The event catalogue, as GET /api/webhooks/types lists it, for the
  // control side (what POST /_sandbox/webhooks/trigger accepts).
  router.add("GET", "/_sandbox/webhooks/types", control, [](Call&) -> Result<Reply> {
    json out = json::array();
    for (const auto& type : event_catalogue())
      out.push_back({{"event_type", type.name}, {"description", type.description}});
    return reply(200, out);
  });

  // The account's hosted sessions, oldest first, without their client_secret.
  router.add("GET", "/_sandbox/sessions", control_account,
             [&sessions](Call& call) -> Result<Reply> {
               std::string host = call.request.header("Host");
               std::string base_url = host.empty() ? std::string() : "http://" + host;
               json out = json::array();
               for (const auto& session : sessions.list(call.require_account().uid)) {
                 json item = session_json(session, base_url);
                 item.erase("client_secret");
                 out.push_back(std::move(item));
               }
               return reply(200, out);
             });
}

}  // namespace paysandbox
