#include "wire/scenario_json.h"

#include <algorithm>

#include "wire/json.h"

namespace paysandbox {
namespace {

// Thrown inside the parser only; parse_scenario() turns it into an Error.
struct Invalid {
  std::string path;
  std::string message;
};

[[noreturn]] void fail(const std::string& path, const std::string& message) {
  throw Invalid{path, message};
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string child(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

// Reads one JSON object's fields by name; rejects fields it was not asked about.
class Fields {
 public:
  Fields(const json& value, std::string path) : value_(value), path_(std::move(path)) {
    if (!value_.is_object())
      fail(path_.empty() ? "$" : path_, "expected an object, got " + describe(value_));
  }

  static std::string describe(const json& value) {
    std::string text = value.dump();
    if (text.size() > 40) text = text.substr(0, 37) + "...";
    return std::string(value.type_name()) + " " + text;
  }

  const json* find(const std::string& key) {
    known_.push_back(key);
    auto it = value_.find(key);
    return it == value_.end() || it->is_null() ? nullptr : &*it;
  }

  std::string path(const std::string& key) const { return child(path_, key); }

  std::optional<std::string> string(const std::string& key, size_t max_length = 255) {
    const json* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string() || v->get_ref<const std::string&>().empty() ||
        v->get_ref<const std::string&>().size() > max_length)
      fail(path(key), "expected a string of 1 to " + std::to_string(max_length) +
                          " characters, got " + describe(*v));
    return v->get<std::string>();
  }

  std::optional<std::int64_t> integer(const std::string& key, std::int64_t min, std::int64_t max) {
    const json* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number_integer() || v->get<std::int64_t>() < min || v->get<std::int64_t>() > max)
      fail(path(key), "expected an integer from " + std::to_string(min) + " to " +
                          std::to_string(max) + ", got " + describe(*v));
    return v->get<std::int64_t>();
  }

  std::string one_of(const std::string& key, const std::vector<std::string>& allowed) {
    auto value = string(key, 64);
    if (!value) fail(path(key), "is required: one of " + join(allowed));
    if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end())
      fail(path(key), "expected one of " + join(allowed) + ", got '" + *value + "'");
    return *value;
  }

  const json* array(const std::string& key) {
    const json* v = find(key);
    if (v != nullptr && !v->is_array()) fail(path(key), "expected an array, got " + describe(*v));
    return v;
  }

  void finish() const {
    for (auto it = value_.begin(); it != value_.end(); ++it)
      if (std::find(known_.begin(), known_.end(), it.key()) == known_.end())
        fail(path(it.key()), "unknown field; expected one of " + join(known_));
  }

 private:
  const json& value_;
  std::string path_;
  std::vector<std::string> known_;
};

const std::vector<std::string> kActionTypes = {"error", "delay", "drop_connection",
                                               "commit_then_drop", "concurrent_create"};
const std::vector<std::string> kStepTypes = {"expire_tokens", "trigger_webhook", "noc",
                                             "expire_session"};

RequestMatcher read_matcher(const json& value, const std::string& path) {
  Fields f(value, path);
  RequestMatcher m;
  m.method = f.string("method", 16).value_or("");
  if (!m.method.empty() && m.method != "GET" && m.method != "POST" && m.method != "PUT" &&
      m.method != "PATCH" && m.method != "DELETE")
    fail(f.path("method"), "expected one of GET, POST, PUT, PATCH, DELETE, got '" + m.method + "'");
  m.path = f.string("path", 1024).value_or("");
  if (!m.path.empty() && m.path[0] != '/')
    fail(f.path("path"), "expected a path starting with '/', got '" + m.path + "'");
  if (const json* headers = f.find("headers")) {
    Fields h(*headers, f.path("headers"));
    for (auto it = headers->begin(); it != headers->end(); ++it)
      m.headers.emplace_back(it.key(), h.string(it.key(), 4096).value_or(""));
  }
  if (const json* body = f.find("body")) {
    Fields b(*body, f.path("body"));
    for (auto it = body->begin(); it != body->end(); ++it) {
      b.find(it.key());
      m.body.emplace_back(it.key(), dump_json(it.value()));
    }
  }
  f.finish();
  return m;
}

Action read_action(const json& value, const std::string& path) {
  Fields f(value, path);
  Action a;
  std::string type = f.one_of("type", kActionTypes);
  if (type == "error") {
    a.type = ActionType::kError;
    a.status = static_cast<int>(f.integer("status", 400, 599).value_or(503));
    a.code = f.string("code", 64).value_or("");
    a.message = f.string("message", 1024).value_or("");
  } else if (type == "delay") {
    a.type = ActionType::kDelay;
    auto ms = f.integer("ms", 0, 60000);
    if (!ms) fail(f.path("ms"), "is required for a delay: milliseconds from 0 to 60000");
    a.delay_ms = static_cast<int>(*ms);
  } else if (type == "drop_connection") {
    a.type = ActionType::kDropConnection;
  } else if (type == "commit_then_drop") {
    a.type = ActionType::kCommitThenDrop;
  } else {
    a.type = ActionType::kConcurrentCreate;
  }
  f.finish();
  return a;
}

// A delivery rule: {"on": "delivery", "match": {"event_type"}, "action":
// {"type", "copies"?, "seconds"?}, "times"?}.
Rule read_delivery_rule(Fields& f, const std::vector<std::string>& known_event_types) {
  Rule rule;
  rule.on = RuleOn::kDelivery;
  if (const json* match = f.find("match")) {
    Fields m(*match, f.path("match"));
    rule.event_type = m.string("event_type", 64).value_or("");
    if (!rule.event_type.empty() &&
        std::none_of(known_event_types.begin(), known_event_types.end(),
                     [&](const std::string& name) { return path_matches(rule.event_type, name); }))
      fail(m.path("event_type"), "expected an event type of the catalogue (" +
                                     join(known_event_types) + ") or a pattern with '*', got '" +
                                     rule.event_type + "'");
    m.finish();
  }
  const json* action = f.find("action");
  if (action == nullptr)
    fail(f.path("action"), "is required: an object with a 'type', one of " + join(chaos_names()));
  Fields a(*action, f.path("action"));
  rule.chaos.type = *chaos_from_name(a.one_of("type", chaos_names()));
  if (rule.chaos.type == ChaosType::kDuplicate) {
    rule.chaos.copies = static_cast<int>(a.integer("copies", 2, 10).value_or(2));
  } else if (rule.chaos.type == ChaosType::kDelay) {
    auto seconds = a.integer("seconds", 1, 7LL * 24 * 3600);
    if (!seconds)
      fail(a.path("seconds"),
           "is required for a delay: seconds of the account's clock, 1 to "
           "604800");
    rule.chaos.delay = *seconds * kSecond;
  }
  a.finish();
  if (auto times = f.integer("times", 1, 1000000)) rule.times = static_cast<int>(*times);
  f.finish();
  return rule;
}

Rule read_rule(const json& value, const std::string& path,
               const std::vector<std::string>& known_event_types) {
  Fields f(value, path);
  if (const json* on = f.find("on");
      on != nullptr && !(on->is_string() && on->get<std::string>() == "request")) {
    if (!on->is_string() || on->get<std::string>() != "delivery")
      fail(f.path("on"), "expected one of request, delivery, got " + Fields::describe(*on));
    return read_delivery_rule(f, known_event_types);
  }
  Rule rule;
  if (const json* match = f.find("match")) rule.match = read_matcher(*match, f.path("match"));
  const json* action = f.find("action");
  if (action == nullptr) fail(f.path("action"), "is required: an object with a 'type'");
  rule.action = read_action(*action, f.path("action"));
  if (auto times = f.integer("times", 1, 1000000)) rule.times = static_cast<int>(*times);
  if (rule.action.type == ActionType::kConcurrentCreate &&
      ((!rule.match.method.empty() && rule.match.method != "POST") ||
       (!rule.match.path.empty() && !path_matches(rule.match.path, "/api/customers"))))
    fail(f.path("match"), "a concurrent_create rule applies to POST /api/customers only");
  f.finish();
  return rule;
}

Step read_step(const json& value, const std::string& path,
               const std::vector<std::string>& known_event_types) {
  Fields f(value, path);
  Step step;
  auto at = f.integer("at_seconds", 0, 10LL * 365 * 24 * 3600);
  if (!at) fail(f.path("at_seconds"), "is required: seconds after the scenario is loaded");
  step.at = *at * kSecond;
  std::string type = f.one_of("step", kStepTypes);
  if (type == "expire_tokens") {
    step.type = StepType::kExpireTokens;
  } else if (type == "trigger_webhook") {
    step.type = StepType::kTriggerWebhook;
    auto event_type = f.string("event_type", 64);
    if (!event_type) fail(f.path("event_type"), "is required: one of " + join(known_event_types));
    if (std::find(known_event_types.begin(), known_event_types.end(), *event_type) ==
        known_event_types.end())
      fail(f.path("event_type"),
           "expected one of " + join(known_event_types) + ", got '" + *event_type + "'");
    step.event_type = *event_type_from_name(*event_type);
    if (const json* data = f.find("data")) {
      if (!data->is_object())
        fail(f.path("data"), "expected an object, got " + Fields::describe(*data));
      step.data = dump_json(*data);
    }
  } else if (type == "expire_session") {
    step.type = StepType::kExpireSession;
    step.session_id = f.string("session_id", 255).value_or("");
    if (!step.session_id.empty() && step.session_id.rfind("cs_", 0) != 0)
      fail(f.path("session_id"),
           "expected a hosted session id (cs_...), got '" + step.session_id + "'");
  } else {
    step.type = StepType::kNoc;
    step.methods = f.string("methods", 128).value_or("all_cards");
    const json* fields = f.find("set");
    if (fields == nullptr) fail(f.path("set"), "is required: the new values of the methods");
    Fields s(*fields, f.path("set"));
    MethodFieldSet& set = step.set;
    if (auto v = s.integer("exp_month", 1, 12)) set.exp_month = static_cast<int>(*v);
    if (auto v = s.integer("exp_year", 2000, 2099)) set.exp_year = static_cast<int>(*v);
    for (auto [key, target] : {std::pair{"last4", &set.last4},
                               std::pair{"account_number_suffix", &set.account_number_suffix}}) {
      *target = s.string(key, 4);
      if (*target && ((*target)->size() != 4 ||
                      (*target)->find_first_not_of("0123456789") != std::string::npos))
        fail(s.path(key), "expected 4 digits, got '" + **target + "'");
    }
    set.routing_number = s.string("routing_number", 9);
    if (set.routing_number &&
        (set.routing_number->size() != 9 ||
         set.routing_number->find_first_not_of("0123456789") != std::string::npos))
      fail(s.path("routing_number"), "expected 9 digits, got '" + *set.routing_number + "'");
    set.card_brand = s.string("card_brand", 32);
    s.finish();
    if (fields->empty()) fail(f.path("set"), "expected at least one field to change");
  }
  f.finish();
  return step;
}

}  // namespace

Result<Scenario> parse_scenario(const std::string& text) {
  std::vector<std::string> known_event_types;
  for (EventType type : all_event_types()) known_event_types.emplace_back(event_type_name(type));
  json document = json::parse(text, nullptr, false);
  if (document.is_discarded())
    return validation_error("$", "expected a JSON document (the file does not parse as JSON)");
  try {
    Fields f(document, "");
    Scenario scenario;
    auto name = f.string("name", 100);
    if (!name) fail("name", "is required: a short name for the scenario");
    scenario.name = *name;
    scenario.description = f.string("description", 4096).value_or("");
    scenario.account = f.string("account", 128).value_or("");
    if (const json* rules = f.array("rules"))
      for (size_t i = 0; i < rules->size(); ++i) {
        scenario.rules.push_back(
            read_rule((*rules)[i], "rules[" + std::to_string(i) + "]", known_event_types));
        scenario.rule_sources.push_back(dump_json((*rules)[i]));
      }
    if (const json* timeline = f.array("timeline"))
      for (size_t i = 0; i < timeline->size(); ++i) {
        scenario.timeline.push_back(
            read_step((*timeline)[i], "timeline[" + std::to_string(i) + "]", known_event_types));
        scenario.step_sources.push_back(dump_json((*timeline)[i]));
      }
    f.finish();
    if (scenario.rules.empty() && scenario.timeline.empty())
      fail("rules", "a scenario needs at least one rule or one timeline step");
    return scenario;
  } catch (const Invalid& invalid) {
    return validation_error(invalid.path, invalid.path + ": " + invalid.message);
  }
}

}  // namespace paysandbox
