#include "http/api/inputs.h"
#include "http/api/routes.h"
#include "http/field_paths.h"
#include "webhooks/event_log.h"

namespace paysandbox {

json event_json(const EventRecord& event) {
  return {{"webhook_id", event.id},
          {"event_type", event_type_name(event.event_type)},
          {"timestamp", event.timestamp},
          {"data", json::parse(event.data)},
          {"delivery_status", delivery_status_name(event.delivery_status)},
          {"attempts", event.attempts}};
}

namespace {

// The list as dump_json(array of event_json) writes it, byte for byte (keys
// in order, no spaces), built by hand: `data` is stored as the JSON text
// dump_json made, so it goes in as it is instead of being parsed and written
// again, which took most of a 100-event page's time.
std::string event_list_body(const std::vector<EventRecord>& events) {
  std::string out = "[";
  out.reserve(2 + events.size() * 1200);
  for (const auto& e : events) {
    if (out.size() > 1) out += ',';
    out += "{\"attempts\":";
    out += std::to_string(e.attempts);
    out += ",\"data\":";
    out += e.data;
    out += ",\"delivery_status\":";
    append_json_string(out, delivery_status_name(e.delivery_status));
    out += ",\"event_type\":";
    append_json_string(out, event_type_name(e.event_type));
    out += ",\"timestamp\":";
    out += std::to_string(e.timestamp);
    out += ",\"webhook_id\":";
    append_json_string(out, e.id);
    out += '}';
  }
  out += ']';
  return out;
}

}  // namespace

void add_event_routes(Router& router, ApiContext& api) {
  RouteOptions control_account{Auth::kControl, AccountScope::kRequired};

  // ?type=<event_type>&after=<evt_id>&wait_ms=<0..30000>&limit=<1..1000>
  router.add("GET", "/_sandbox/events", control_account, [&api](Call& call) -> Result<Reply> {
    const std::string name = call.query("type").value_or(call.query("event_type").value_or(""));
    const std::optional<EventType> type = name.empty() ? std::nullopt : event_type_from_name(name);
    if (!name.empty() && !type)
      return validation_error("type",
                              "Unknown event type '" + name + "'; see GET /api/webhooks/types.");
    ASSIGN_OR_RETURN(const std::int64_t wait_ms, read_query_integer(call, "wait_ms", 0, 30000));
    ASSIGN_OR_RETURN(std::int64_t limit, read_query_integer(call, "limit", 1000, 1000));
    limit = std::max<std::int64_t>(1, limit);
    const std::string after = call.query("after").value_or("");
    const std::string& account = call.require_account().uid;
    auto events =
        wait_ms > 0
            ? api.events.wait_after(account, after, type, static_cast<std::size_t>(limit), wait_ms)
            : api.events.list(account, after, type, static_cast<std::size_t>(limit));
    ASSIGN_OR_RETURN(auto listed, at_request_path(std::move(events), {{"after_id", "after"}}));
    return reply_raw(200, event_list_body(listed));
  });
}

}  // namespace paysandbox
