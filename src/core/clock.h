#pragma once

#include <functional>
#include <string>
#include <unordered_map>

#include "core/thread_annotations.h"
#include "core/time.h"

namespace paysandbox {

// The sandbox clocks. Every clock reads real time plus an offset that starts
// at 0 and only ever moves forward when a test advances it. There is one
// server-wide clock (bearer tokens live on it) and one clock per account
// (everything an account owns lives on its own clock).
//
// Real time comes from the injected source, so this class never reads the
// system clock itself; sandbox.cc injects the wall clock, unit tests inject a
// fixed one. Thread-safe.
class SandboxClock {
 public:
  using TimeSource = std::function<Millis()>;
  explicit SandboxClock(TimeSource real_time);

  Millis real_now() const { return real_time_(); }
  Millis server_now() const;
  Millis account_now(const std::string& account_uid) const;

  Millis server_offset() const;
  Millis account_offset(const std::string& account_uid) const;

  // Moves the server clock and every account clock known to it.
  void advance_all(Millis by);
  void advance_account(const std::string& account_uid, Millis by);
  // Used when loading state and on reset.
  void set_server_offset(Millis offset);
  void set_account_offset(const std::string& account_uid, Millis offset);
  void forget_account(const std::string& account_uid);
  void clear_accounts();

 private:
  TimeSource real_time_;
  mutable Mutex mutex_;
  Millis server_offset_ GUARDED_BY(mutex_) = 0;
  std::unordered_map<std::string, Millis> account_offsets_ GUARDED_BY(mutex_);
};

}  // namespace paysandbox
