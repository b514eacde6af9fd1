#include "service/idempotency.h"

namespace paysandbox {

IdempotencyService::IdempotencyService(IdempotencyStore& store, SandboxClock& clock)
    : store_(store), clock_(clock) {}

Millis IdempotencyService::now(const std::string& clock_account) const {
  return clock_account.empty() ? clock_.server_now() : clock_.account_now(clock_account);
}

bool IdempotencyService::worth_storing(int status) {
  return (status >= 200 && status < 300) || status == 402 || status == 404 || status == 409;
}

IdempotencyService::Claim IdempotencyService::begin(const std::string& tenant,
                                                    const std::string& clock_account,
                                                    const std::string& key,
                                                    const std::string& request_fingerprint) {
  const std::pair<std::string, std::string> id{tenant, key};
  {
    MutexLock lock(mutex_);
    while (looking_up_.count(id) > 0) looked_up_.wait(mutex_);
    if (in_flight_.count(id) > 0) return Claim{Decision::kInFlight, {}};
    looking_up_.insert(id);
  }
  // The key is neither running nor being looked up elsewhere: what the store
  // holds for it cannot change before the decision below.
  struct LookedUp {
    IdempotencyService& self;
    const std::pair<std::string, std::string>& id;
    bool claim = false;
    ~LookedUp() {
      {
        MutexLock lock(self.mutex_);
        self.looking_up_.erase(id);
        if (claim) self.in_flight_.insert(id);
      }
      self.looked_up_.notify_all();
    }
  } looked_up{*this, id};
  auto stored = store_.find(tenant, key);
  if (stored && now(clock_account) - stored->created_at < kRetention) {
    if (stored->request_fingerprint != request_fingerprint)
      return Claim{Decision::kMismatch, std::move(*stored)};
    return Claim{Decision::kReplay, std::move(*stored)};
  }
  looked_up.claim = true;
  return Claim{Decision::kProceed, {}};
}

void IdempotencyService::record(const std::string& tenant, const std::string& clock_account,
                                const std::string& key, const std::string& request_fingerprint,
                                StoredResponse answer) {
  answer.request_fingerprint = request_fingerprint;
  answer.created_at = now(clock_account);
  store_.put(tenant, key, answer);
}

void IdempotencyService::release(const std::string& tenant, const std::string& key) {
  MutexLock lock(mutex_);
  in_flight_.erase({tenant, key});
}

void IdempotencyService::finish(const std::string& tenant, const std::string& clock_account,
                                const std::string& key, const std::string& request_fingerprint,
                                std::optional<StoredResponse> answer) {
  if (answer) record(tenant, clock_account, key, request_fingerprint, std::move(*answer));
  release(tenant, key);
}

}  // namespace paysandbox
