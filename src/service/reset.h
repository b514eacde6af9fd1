#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/thread_annotations.h"
#include "service/accounts.h"
#include "store/connection.h"

namespace paysandbox {

// Global and per-account reset. Stored rows go through the Store's table
// registry; modules that keep state in memory (in-flight idempotency keys,
// delivery queues) register a hook.
class ResetService {
 public:
  ResetService(Store& store, AccountService& accounts);

  // Everything back to the fixtures alone: accounts made since are gone.
  void reset_all();
  // Removes the account's customers, methods, payments, tokens, events,
  // idempotency keys and scenarios and sets its clock offset to 0; keeps the
  // account, its secret, fee rules and settings.
  void reset_account(const std::string& account_uid);

  // Called after a reset; `account_uid` is empty for a global reset.
  using Hook = std::function<void(const std::string& account_uid)>;
  void on_reset(Hook hook);

 private:
  void run_hooks(const std::string& account_uid);

  Store& store_;
  AccountService& accounts_;
  Mutex hooks_mutex_;
  std::vector<Hook> hooks_ GUARDED_BY(hooks_mutex_);
};

}  // namespace paysandbox
