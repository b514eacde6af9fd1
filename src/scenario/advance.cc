#include "scenario/advance.h"

#include <vector>

#include "scenario/engine.h"
#include "service/accounts.h"
#include "service/sessions.h"
#include "webhooks/dispatcher.h"

namespace paysandbox {

ClockAdvance::ClockAdvance(AccountService& accounts, SessionService& sessions,
                           ScenarioEngine& scenarios, Dispatcher& dispatcher)
    : accounts_(accounts), sessions_(sessions), scenarios_(scenarios), dispatcher_(dispatcher) {}

void ClockAdvance::advance(const std::string& account_uid, Millis by) {
  accounts_.advance(account_uid, by);
  run_due(account_uid);
}

void ClockAdvance::run_due(const std::string& account_uid) {
  // 1. Hosted sessions past their expiry.
  sessions_.expire_due(account_uid);
  // 2. Scenario timeline steps, each on its own account's clock.
  const auto due =
      account_uid.empty() ? scenarios_.accounts() : std::vector<std::string>{account_uid};
  for (const auto& uid : due) scenarios_.run_due(uid, accounts_.clock().account_now(uid));
  // 3. Webhook deliveries (and retries) now due, including those for the
  // events steps 1 and 2 emitted; returns once they have been attempted.
  dispatcher_.run_due(account_uid);
}

}  // namespace paysandbox
