#include "service/reset.h"

namespace paysandbox {

ResetService::ResetService(Store& store, AccountService& accounts)
    : store_(store), accounts_(accounts) {}

void ResetService::reset_all() {
  store_.transaction([&](Connection& c) { store_.delete_all_rows(c); });
  accounts_.reset_all_clocks();
  accounts_.load();
  run_hooks("");
}

void ResetService::reset_account(const std::string& account_uid) {
  store_.transaction([&](Connection& c) { store_.delete_account_rows(c, account_uid); });
  accounts_.reset_account_clock(account_uid);
  run_hooks(account_uid);
}

void ResetService::on_reset(Hook hook) {
  MutexLock lock(hooks_mutex_);
  hooks_.push_back(std::move(hook));
}

void ResetService::run_hooks(const std::string& account_uid) {
  std::vector<Hook> hooks;
  {
    MutexLock lock(hooks_mutex_);
    hooks = hooks_;
  }
  for (const auto& hook : hooks) hook(account_uid);
}

}  // namespace paysandbox
