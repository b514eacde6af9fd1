#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "webhooks/chaos.h"
#include "wire/json.h"

namespace paysandbox {

// Which requests a rule applies to. Empty fields match anything.
struct RequestMatcher {
  std::string method;  // "POST"
  std::string path;    // "/api/payments/*/capture"; '*' matches any run of characters
  std::vector<std::pair<std::string, std::string>> headers;  // name (any case) = exact value
  std::vector<std::pair<std::string, json>> body;            // dotted path = JSON value
};

enum class ActionType {
  kError,             // answer with an error instead of running the route
  kDelay,             // wait, then run the route
  kDropConnection,    // close the connection without running the route or answering
  kCommitThenDrop,    // run the route (its writes stay), then close without answering
  kConcurrentCreate,  // another request creates the same customer first: this one gets 409
};

struct Action {
  ActionType type = ActionType::kError;
  int status = 503;  // kError
  std::string code;  // kError; wire error code, e.g. "processing_error"
  std::string message;
  int delay_ms = 0;  // kDelay
};

// What a rule looks at: requests (the default) or webhook deliveries.
enum class RuleOn { kRequest, kDelivery };

struct Rule {
  RuleOn on = RuleOn::kRequest;
  RequestMatcher match;  // kRequest
  Action action;         // kRequest
  // kDelivery: the event types it applies to ('*' as in paths; empty = all)
  // and what it does to a matching event's first delivery.
  std::string event_type;
  DeliveryChaos chaos;
  std::optional<int> times;  // how many requests (events) it fires for; unset = every match
};

enum class StepType {
  kExpireTokens,    // every live proxynized token of the account expires now
  kTriggerWebhook,  // emits event_type with data
  kNoc,             // a network update of the account's saved methods
  kExpireSession,   // one hosted session, or every active one, expires now
};

struct Step {
  Millis at = 0;  // offset from when the scenario was loaded, on the account's clock
  StepType type = StepType::kExpireTokens;
  std::string event_type;        // kTriggerWebhook
  std::optional<json> data;      // kTriggerWebhook
  std::string methods;           // kNoc: "all_cards", "all_ach", or one saved method uid
  json fields = json::object();  // kNoc: the new values (exp_month, exp_year, last4, ...)
  std::string session_id;        // kExpireSession: one session; empty = every active one
};

struct Scenario {
  std::string name;
  std::string description;
  std::string account;  // for serve --scenario; POST /_sandbox/scenarios uses the header
  std::vector<Rule> rules;
  std::vector<Step> timeline;  // in document order; steps run in time order
  json source;                 // the document as loaded, shown back by GET
};

// Parses and checks a scenario document. An error's `param` is the JSON path
// of the value at fault ("rules[0].action.status") and its message says what
// was expected there. A trigger_webhook step may name any catalogue event.
Result<Scenario> parse_scenario(const std::string& text);

// '*' matches any run of characters (including '/').
bool path_matches(const std::string& pattern, const std::string& path);

}  // namespace paysandbox
