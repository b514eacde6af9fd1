#pragma once

#include <string>

#include "scenario/scenario.h"

namespace paysandbox {

class EventLog;
class NocService;
class SessionService;
class WalletService;

// Runs one timeline step of a scenario (docs/scenarios.md) against the services: the
// ScenarioEngine decides when a step is due, this decides what it does.
class TimelineSteps {
 public:
  TimelineSteps(WalletService& wallet, EventLog& events, SessionService& sessions, NocService& noc);

  // Returns why the step failed, or empty.
  std::string run(const std::string& account_uid, const Step& step);

 private:
  WalletService& wallet_;
  EventLog& events_;
  SessionService& sessions_;
  NocService& noc_;
};

}  // namespace paysandbox
