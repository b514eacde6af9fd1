// Webhook settings (/api/webhooks/...) and the webhook controls of docs/control-api.md:
// deliveries, redelivery, trigger and NOC.
#include <algorithm>

#include "http/api/inputs.h"
#include "http/api/routes.h"
#include "http/body.h"
#include "http/field_paths.h"
#include "webhooks/dispatcher.h"
#include "webhooks/noc.h"
#include "webhooks/samples.h"

namespace paysandbox {
namespace {

std::string catalogue_names() {
  std::string out;
  for (const auto& type : event_catalogue())
    out += (out.empty() ? "" : ", ") + std::string(type.name);
  return out;
}

// The body's required "event_type"; a name outside the catalogue is a 400
// at its path whose message lists the catalogue. Empty when rejected.
std::optional<EventType> read_event_type(BodyReader& reader) {
  const std::string name = reader.required_string("event_type", 1, 64);
  if (!reader.ok()) return std::nullopt;
  if (auto type = event_type_from_name(name)) return type;
  Error error = validation_error(
      reader.path_of("event_type"),
      "Unknown event type '" + name + "'; expected one of " + catalogue_names() + ".");
  error.details.emplace_back("expected", catalogue_names());
  reader.reject(std::move(error));
  return std::nullopt;
}

json subscriptions_json(const Account& account) {
  json out = json::array();
  for (EventType type : all_event_types())
    out.push_back(
        {{"event_type", event_type_name(type)}, {"enabled", is_subscribed(account, type)}});
  return {{"subscriptions", out}};
}

json delivery_json(const DeliveryRecord& d) {
  return {{"webhook_id", d.webhook_id},
          {"event_type", event_type_name(d.event_type)},
          {"url", d.url},
          {"attempt", d.attempt},
          {"status_code", d.status_code ? json(*d.status_code) : json(nullptr)},
          {"error", d.error.empty() ? json(nullptr) : json(d.error)},
          {"duration_ms", d.duration_ms},
          {"at", format_rfc3339(d.at)},
          {"chaos", d.chaos.empty() ? json(nullptr) : json(d.chaos)}};
}

Result<NocUpdate> read_noc_update(const json& item, const std::string& param) {
  BodyReader body(item, param);
  NocUpdate update;
  update.saved_payment_method_uid =
      body.required_string("saved_payment_method_uid", 1, kMaxMethodUidLength);
  if (auto v = body.optional_integer("exp_month", kExpMonths.min, kExpMonths.max))
    update.exp_month = static_cast<int>(*v);
  if (auto v = body.optional_integer("exp_year", kExpYears.min, kExpYears.max))
    update.exp_year = static_cast<int>(*v);
  update.last4 = optional_digits(body, "last4", kLast4Digits);
  update.card_brand = body.optional_string("card_brand", kMaxBrandLength);
  if (auto error = blank_brand_error(body.path_of("card_brand"), update.card_brand))
    body.reject(std::move(*error));
  update.account_number_suffix =
      optional_digits(body, "account_number_suffix", kAccountSuffixDigits);
  update.routing_number = optional_digits(body, "routing_number", kRoutingNumberDigits);
  TRY(body.finish());
  if (auto error = nothing_set_error(param, update)) return *error;
  return update;
}

}  // namespace

void add_webhook_routes(Router& router, ApiContext& api, WebhookContext& webhooks) {
  RouteOptions platform{Auth::kPlatform, AccountScope::kNone};
  RouteOptions platform_account{Auth::kPlatform, AccountScope::kRequired};
  RouteOptions control_account{Auth::kControl, AccountScope::kRequired};

  router.add("GET", "/api/webhooks/types", platform, [](Call&) -> Result<Reply> {
    json out = json::array();
    for (const auto& type : event_catalogue())
      out.push_back({{"event_type", type.name}, {"description", type.description}});
    return reply(200, out);
  });

  // Points an existing account (pa_sandbox too) at a receiver, or turns its
  // webhooks off. A callback_url without webhook_enabled enables them when
  // it is a URL and disables them when it is "".
  router.add("PUT", "/_sandbox/accounts/{}/webhooks",
             RouteOptions{Auth::kControl, AccountScope::kNone},
             [&api](Call& call) -> Result<Reply> {
               auto account = api.accounts.find(call.params[0]);
               if (!account) return not_found("No payment account '" + call.params[0] + "'.");
               BodyReader body = call.reader();
               auto url = read_callback_url(body);
               auto enabled = body.optional_bool("webhook_enabled");
               TRY(body.finish());
               return reply(200, account_json(api.accounts.set_webhooks(*account, url, enabled)));
             });

  router.add("GET", "/api/webhooks/secret", platform_account, [](Call& call) -> Result<Reply> {
    return reply(200, json{{"secret", call.require_account().webhook_secret}});
  });

  router.add("GET", "/api/webhooks/subscriptions", platform_account,
             [](Call& call) -> Result<Reply> {
               return reply(200, subscriptions_json(call.require_account()));
             });

  router.add(
      "PUT", "/api/webhooks/subscriptions", platform_account, [&api](Call& call) -> Result<Reply> {
        BodyReader body = call.reader();
        const json& items = body.required_array("subscriptions", 100);
        TRY(body.finish());
        Account account = call.require_account();
        auto& off = account.disabled_event_types;
        for (size_t i = 0; i < items.size(); ++i) {
          const std::string param = "subscriptions[" + std::to_string(i) + "]";
          BodyReader item = body.nested(items[i], param);
          const std::optional<EventType> type = read_event_type(item);
          auto enabled = item.optional_bool("enabled");
          if (type && !enabled)
            item.reject(item.path_of("enabled"), "'" + item.path_of("enabled") +
                                                     "' is required: true to receive " +
                                                     event_type_name(*type) + ", false to stop.");
          TRY(item.finish());
          const EventType event_type = *type;
          off.erase(std::remove(off.begin(), off.end(), event_type), off.end());
          if (!*enabled) off.push_back(event_type);
        }
        api.accounts.update(account);
        return reply(200, subscriptions_json(account));
      });

  // ?webhook_id=<evt_>&limit=<1..1000>&wait_ms=<0..30000> (waits, when there
  // is no attempt yet, for the first one to be recorded)
  router.add("GET", "/_sandbox/webhooks/deliveries", control_account,
             [&webhooks](Call& call) -> Result<Reply> {
               ASSIGN_OR_RETURN(std::int64_t limit, read_query_integer(call, "limit", 1000, 1000));
               limit = std::max<std::int64_t>(1, limit);
               ASSIGN_OR_RETURN(const std::int64_t wait_ms,
                                read_query_integer(call, "wait_ms", 0, 30000));
               const std::string& account = call.require_account().uid;
               const std::string webhook_id = call.query("webhook_id").value_or("");
               json out = json::array();
               for (const auto& d :
                    wait_ms > 0 ? webhooks.dispatcher.wait_for_deliveries(
                                      account, webhook_id, static_cast<std::size_t>(limit), wait_ms)
                                : webhooks.dispatcher.deliveries(account, webhook_id,
                                                                 static_cast<std::size_t>(limit)))
                 out.push_back(delivery_json(d));
               return reply(200, out);
             });

  router.add("POST", "/_sandbox/events/{}/redeliver", control_account,
             [&api, &webhooks](Call& call) -> Result<Reply> {
               const std::string& account = call.require_account().uid;
               if (!plausible_id(call.params[0]))
                 return not_found("No event '" + call.params[0] + "' in this account.");
               TRY(call.no_body());
               ASSIGN_OR_RETURN(DeliveryRecord delivery,
                                webhooks.dispatcher.redeliver(account, call.params[0]));
               json out = delivery_json(delivery);
               if (auto event = api.events.find(account, call.params[0]))
                 out["event"] = event_json(*event);
               return reply(200, out);
             });

  router.add("POST", "/_sandbox/webhooks/trigger", control_account,
             [&api, &webhooks](Call& call) -> Result<Reply> {
               BodyReader body = call.reader();
               const std::optional<EventType> type = read_event_type(body);
               const json* data = body.raw("data");
               if (data != nullptr && !data->is_object())
                 body.reject("data",
                             "'data' must be an object (it becomes the envelope's data verbatim).");
               TRY(body.finish());
               const Account& account = call.require_account();
               const EventType event_type = *type;
               EventPayload payload =
                   data != nullptr ? EventPayload(GivenEventData{dump_json(*data)})
                                   : sample_event_payload(event_type, account, api.wallet,
                                                          webhooks.noc, api.accounts.clock());
               return reply(201, event_json(api.events.emit(account.uid, event_type, payload)));
             });

  router.add("POST", "/_sandbox/noc", control_account, [&webhooks](Call& call) -> Result<Reply> {
    BodyReader body = call.reader();
    const json& items = body.required_array("updates", 1000);
    TRY(body.finish());
    if (items.empty())
      return validation_error("updates", "'updates' must hold at least one update.");
    std::vector<NocUpdate> updates;
    for (size_t i = 0; i < items.size(); ++i) {
      ASSIGN_OR_RETURN(NocUpdate update, read_noc_update(items[i], "updates." + std::to_string(i)));
      updates.push_back(std::move(update));
    }
    ASSIGN_OR_RETURN(EventRecord event,
                     at_request_path(webhooks.noc.apply(call.require_account().uid, updates),
                                     {{"", "updates"}}));
    return reply(201, event_json(event));
  });
}

}  // namespace paysandbox
