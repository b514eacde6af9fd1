#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/thread_annotations.h"
#include "scenario/scenario.h"

namespace paysandbox {

// A scenario loaded into one account, with how far it has got.
struct LoadedScenario {
  std::string id;  // scn_...
  std::string account_uid;
  Scenario scenario;
  Millis loaded_at = 0;                  // on the account's clock
  std::vector<int> fired;                // per rule: how many requests it has fired for
  std::vector<bool> step_done;           // per timeline step
  std::vector<std::string> step_errors;  // per step: why it could not run, if it failed
};

// The request the rules look at.
struct ScenarioRequest {
  std::string method;
  std::string path;
  std::function<std::string(const std::string&)> header;  // case-insensitive lookup
  // Whether the JSON body has, at a dotted path, the value of the JSON text
  // given; unset when the body is not a JSON object.
  std::function<bool(const std::string& dotted, const std::string& expected_json)>
      body_field_equals;
};

// Holds every account's loaded scenarios (in memory: they are test setup,
// reloaded by serve --scenario, not merchant data). Rules are tried in load
// order, the first matching one with shots left fires. Timeline steps run in
// time order through the step runner, outside the lock.
class ScenarioEngine {
 public:
  // Runs one step; returns an error message, or empty on success.
  using StepRunner = std::function<std::string(const std::string& account_uid, const Step& step)>;
  void set_step_runner(StepRunner runner);

  LoadedScenario load(const std::string& account_uid, Scenario scenario, Millis now);
  std::vector<LoadedScenario> list(const std::string& account_uid) const;
  bool remove(const std::string& account_uid, const std::string& id);
  void clear(const std::string& account_uid);         // empty = every account
  bool active(const std::string& account_uid) const;  // has scenarios loaded

  // The action of the first rule that matches, counted as fired.
  std::optional<Action> take(const std::string& account_uid, const ScenarioRequest& request);

  // The chaos of the first delivery rule that matches a new event of
  // `event_type`, counted as fired (rules in load order, as for requests).
  std::optional<DeliveryChaos> take_delivery(const std::string& account_uid,
                                             const std::string& event_type);

  // Runs the account's steps that are due at `now`, oldest first.
  void run_due(const std::string& account_uid, Millis now);
  // Accounts that have scenarios loaded (for a clock advance of every account).
  std::vector<std::string> accounts() const;

 private:
  // Serializes run_due so a step runs exactly once; taken before mutex_.
  Mutex run_mutex_ ACQUIRED_BEFORE(mutex_);
  mutable Mutex mutex_;  // never held while a step runs
  std::map<std::string, std::vector<LoadedScenario>> loaded_ GUARDED_BY(mutex_);  // by account
  StepRunner runner_;
};

}  // namespace paysandbox
