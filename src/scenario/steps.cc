#include "scenario/steps.h"

#include "service/sessions.h"
#include "service/wallet.h"
#include "webhooks/event_log.h"
#include "webhooks/noc.h"

namespace paysandbox {

TimelineSteps::TimelineSteps(WalletService& wallet, EventLog& events, SessionService& sessions,
                             NocService& noc)
    : wallet_(wallet), events_(events), sessions_(sessions), noc_(noc) {}

std::string TimelineSteps::run(const std::string& account_uid, const Step& step) {
  switch (step.type) {
    case StepType::kExpireTokens:
      wallet_.expire_tokens(account_uid);
      return {};
    case StepType::kTriggerWebhook:
      events_.emit(account_uid, step.event_type, GivenEventData{step.data});
      return {};
    case StepType::kExpireSession:
      if (sessions_.expire_active(account_uid, step.session_id) == 0 && !step.session_id.empty())
        return "session " + step.session_id + " is not an active session of this account";
      return {};
    case StepType::kNoc: {
      auto event = noc_.apply_step(account_uid, step.methods, step.set);
      return event ? std::string() : event.error().message;
    }
  }
  return {};
}

}  // namespace paysandbox
