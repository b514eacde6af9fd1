#include "scenario/engine.h"

#include "core/ids.h"

namespace paysandbox {
namespace {

bool matches(const Rule& rule, const ScenarioRequest& request) {
  if (rule.on != RuleOn::kRequest) return false;
  const RequestMatcher& m = rule.match;
  if (rule.action.type == ActionType::kConcurrentCreate &&
      (request.method != "POST" || request.path != "/api/customers"))
    return false;
  if (!m.method.empty() && m.method != request.method) return false;
  if (!m.path.empty() && !path_matches(m.path, request.path)) return false;
  for (const auto& [name, value] : m.headers)
    if (request.header(name) != value) return false;
  for (const auto& [dotted, expected] : m.body)
    if (!request.body_field_equals || !request.body_field_equals(dotted, expected)) return false;
  return true;
}

// The first rule, in load order, that `fits` and has firings left, counted
// as fired; null when none. The caller holds the engine's mutex.
template <typename Fits>
const Rule* fire_first_rule(std::vector<LoadedScenario>& scenarios, Fits fits) {
  for (auto& loaded : scenarios) {
    for (size_t i = 0; i < loaded.scenario.rules.size(); ++i) {
      const Rule& rule = loaded.scenario.rules[i];
      if (rule.times && loaded.fired[i] >= *rule.times) continue;
      if (!fits(rule)) continue;
      ++loaded.fired[i];
      return &rule;
    }
  }
  return nullptr;
}

}  // namespace

void ScenarioEngine::set_step_runner(StepRunner runner) { runner_ = std::move(runner); }

LoadedScenario ScenarioEngine::load(const std::string& account_uid, Scenario scenario, Millis now) {
  LoadedScenario loaded;
  loaded.id = new_id("scn_");
  loaded.account_uid = account_uid;
  loaded.loaded_at = now;
  loaded.fired.assign(scenario.rules.size(), 0);
  loaded.step_done.assign(scenario.timeline.size(), false);
  loaded.step_errors.assign(scenario.timeline.size(), "");
  loaded.scenario = std::move(scenario);
  MutexLock lock(mutex_);
  loaded_[account_uid].push_back(loaded);
  return loaded;
}

std::vector<LoadedScenario> ScenarioEngine::list(const std::string& account_uid) const {
  MutexLock lock(mutex_);
  auto it = loaded_.find(account_uid);
  return it == loaded_.end() ? std::vector<LoadedScenario>{} : it->second;
}

bool ScenarioEngine::remove(const std::string& account_uid, const std::string& id) {
  MutexLock lock(mutex_);
  auto it = loaded_.find(account_uid);
  if (it == loaded_.end()) return false;
  auto& list = it->second;
  for (auto s = list.begin(); s != list.end(); ++s) {
    if (s->id == id) {
      list.erase(s);
      return true;
    }
  }
  return false;
}

void ScenarioEngine::clear(const std::string& account_uid) {
  MutexLock lock(mutex_);
  if (account_uid.empty())
    loaded_.clear();
  else
    loaded_.erase(account_uid);
}

bool ScenarioEngine::active(const std::string& account_uid) const {
  MutexLock lock(mutex_);
  return loaded_.count(account_uid) != 0;
}

std::optional<Action> ScenarioEngine::take(const std::string& account_uid,
                                           const ScenarioRequest& request) {
  MutexLock lock(mutex_);
  auto it = loaded_.find(account_uid);
  if (it == loaded_.end()) return std::nullopt;
  const Rule* rule =
      fire_first_rule(it->second, [&](const Rule& r) { return matches(r, request); });
  if (!rule) return std::nullopt;
  return rule->action;
}

std::optional<DeliveryChaos> ScenarioEngine::take_delivery(const std::string& account_uid,
                                                           const std::string& event_type) {
  MutexLock lock(mutex_);
  auto it = loaded_.find(account_uid);
  if (it == loaded_.end()) return std::nullopt;
  const Rule* rule = fire_first_rule(it->second, [&](const Rule& r) {
    return r.on == RuleOn::kDelivery &&
           (r.event_type.empty() || path_matches(r.event_type, event_type));
  });
  if (!rule) return std::nullopt;
  return rule->chaos;
}

void ScenarioEngine::run_due(const std::string& account_uid, Millis now) {
  {
    // Fast path for every request: nothing due, no serialization.
    MutexLock lock(mutex_);
    auto it = loaded_.find(account_uid);
    if (it == loaded_.end()) return;
    bool due = false;
    for (const auto& loaded : it->second)
      for (size_t i = 0; i < loaded.scenario.timeline.size() && !due; ++i)
        due = !loaded.step_done[i] && loaded.loaded_at + loaded.scenario.timeline[i].at <= now;
    if (!due) return;
  }
  MutexLock running(run_mutex_);
  while (true) {
    // Pick the earliest due step across the account's scenarios.
    std::optional<Step> step;
    std::string scenario_id;
    size_t index = 0;
    {
      MutexLock lock(mutex_);
      auto it = loaded_.find(account_uid);
      if (it == loaded_.end()) return;
      Millis earliest = 0;
      for (const auto& loaded : it->second) {
        for (size_t i = 0; i < loaded.scenario.timeline.size(); ++i) {
          const Step& candidate = loaded.scenario.timeline[i];
          const Millis due = loaded.loaded_at + candidate.at;
          if (loaded.step_done[i] || due > now) continue;
          if (!step || due < earliest) {
            step = candidate;
            scenario_id = loaded.id;
            index = i;
            earliest = due;
          }
        }
      }
      if (!step) return;
    }
    std::string error = runner_ ? runner_(account_uid, *step) : "no step runner";
    MutexLock lock(mutex_);
    auto it = loaded_.find(account_uid);
    if (it == loaded_.end()) return;
    for (auto& loaded : it->second) {
      if (loaded.id != scenario_id) continue;
      // One step could run twice only if two run_due calls raced; run_mutex_ prevents it.
      loaded.step_done[index] = true;
      loaded.step_errors[index] = error;
    }
  }
}

std::vector<std::string> ScenarioEngine::accounts() const {
  MutexLock lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [account, list] : loaded_) out.push_back(account);
  return out;
}

}  // namespace paysandbox
