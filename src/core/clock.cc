#include "core/clock.h"

namespace paysandbox {

SandboxClock::SandboxClock(TimeSource real_time) : real_time_(std::move(real_time)) {}

Millis SandboxClock::server_now() const { return real_time_() + server_offset(); }

Millis SandboxClock::account_now(const std::string& account_uid) const {
  return real_time_() + account_offset(account_uid);
}

Millis SandboxClock::server_offset() const {
  MutexLock lock(mutex_);
  return server_offset_;
}

Millis SandboxClock::account_offset(const std::string& account_uid) const {
  MutexLock lock(mutex_);
  auto it = account_offsets_.find(account_uid);
  return it == account_offsets_.end() ? 0 : it->second;
}

void SandboxClock::advance_all(Millis by) {
  MutexLock lock(mutex_);
  server_offset_ += by;
  for (auto& entry : account_offsets_) entry.second += by;
}

void SandboxClock::advance_account(const std::string& account_uid, Millis by) {
  MutexLock lock(mutex_);
  account_offsets_[account_uid] += by;
}

void SandboxClock::set_server_offset(Millis offset) {
  MutexLock lock(mutex_);
  server_offset_ = offset;
}

void SandboxClock::set_account_offset(const std::string& account_uid, Millis offset) {
  MutexLock lock(mutex_);
  account_offsets_[account_uid] = offset;
}

void SandboxClock::forget_account(const std::string& account_uid) {
  MutexLock lock(mutex_);
  account_offsets_.erase(account_uid);
}

void SandboxClock::clear_accounts() {
  MutexLock lock(mutex_);
  account_offsets_.clear();
}

}  // namespace paysandbox
