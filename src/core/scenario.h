#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/chaos.h"
#include "core/event_type.h"
#include "core/time.h"
#include "core/types.h"

namespace paysandbox {

// A scenario document as types (docs/scenarios.md). wire/scenario_json.h reads it;
// nothing here holds JSON other than as text.

// Which requests a rule applies to. Empty fields match anything.
struct RequestMatcher {
  std::string method;  // "POST"
  std::string path;    // "/api/payments/*/capture"; '*' matches any run of characters
  std::vector<std::pair<std::string, std::string>> headers;  // name (any case) = exact value
  // Dotted path = the expected JSON value, as canonical JSON text.
  std::vector<std::pair<std::string, std::string>> body;
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
  EventType event_type = EventType::kPaymentCompleted;  // kTriggerWebhook
  std::string data = "{}";  // kTriggerWebhook: the event's data, canonical JSON text
  std::string methods;      // kNoc: "all_cards", "all_ach", or one saved method uid
  MethodFieldSet set;       // kNoc: the new values
  std::string session_id;   // kExpireSession: one session; empty = every active one
};

struct Scenario {
  std::string name;
  std::string description;
  std::string account;  // for serve --scenario; POST /_sandbox/scenarios uses the header
  std::vector<Rule> rules;
  std::vector<Step> timeline;  // in document order; steps run in time order
  // The document as loaded, shown back by GET: canonical JSON text of each
  // rule and each step, in document order.
  std::vector<std::string> rule_sources;
  std::vector<std::string> step_sources;
};

// '*' matches any run of characters (including '/').
bool path_matches(const std::string& pattern, const std::string& path);

}  // namespace paysandbox
