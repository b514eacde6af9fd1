#pragma once

#include <string>

#include "core/clock.h"

namespace paysandbox {

class AccountService;
class Dispatcher;
class ScenarioEngine;
class SessionService;

// One clock advance, end to end. The order is the contract: sessions expire
// first (a scenario step may look for active sessions, and the expiry emits
// events), then the scenario steps that fell due run (they emit events and
// change data), and deliveries run last, so that every event the first two
// emitted has been delivered, or has failed and been rescheduled, before the
// advance answers.
class ClockAdvance {
 public:
  ClockAdvance(AccountService& accounts, SessionService& sessions, ScenarioEngine& scenarios,
               Dispatcher& dispatcher);

  // Moves the account's clock (`account_uid` empty = every clock) by `by`,
  // then runs what fell due.
  void advance(const std::string& account_uid, Millis by);
  // Runs what is due on the clocks as they stand, in the order above.
  void run_due(const std::string& account_uid);

 private:
  AccountService& accounts_;
  SessionService& sessions_;
  ScenarioEngine& scenarios_;
  Dispatcher& dispatcher_;
};

}  // namespace paysandbox
