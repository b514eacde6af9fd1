#pragma once

#include <functional>
#include <optional>

#include "core/status.h"

namespace paysandbox {

// A thread about to wait for other threads' work (a durable write waiting for
// the COMMIT it shares with other writes) says so with a Waiting scope. If the
// thread belongs to a pool that listens (the HTTP server's workers do), the
// pool can run another request in its place until the wait ends, so that
// waiting writers add to the next shared COMMIT instead of leaving the cores
// idle.
class WaitListener {
 public:
  virtual void waiting_began() = 0;
  virtual void waiting_ended() = 0;

 protected:
  ~WaitListener() = default;
};

// The listener told about the calling thread's waits (none: nobody is told).
void set_wait_listener(WaitListener* listener);

class Waiting {
 public:
  Waiting();
  ~Waiting();
  Waiting(const Waiting&) = delete;
  Waiting& operator=(const Waiting&) = delete;

 private:
  WaitListener* listener_;
};

// A wait handed over instead of blocking: a request whose answer only waits
// for a durable COMMIT it shares with other writes need not hold a thread
// meanwhile. Whoever runs a request and can send its answer later (the HTTP
// server's workers, through Router::answer) opens an accepting Deferral scope
// around it; the request's unit of work, committing in a file store
// (Store::Transaction::commit_or_defer), then leaves its wait in the scope
// and returns at once. Without an accepting scope it waits as before.
class Deferral {
 public:
  // What a deferred commit leaves behind, set by the store.
  struct Wait {
    // Calls `wake` once the COMMIT is done or failed: at once when it already
    // is, else later on whichever thread settles it, which may hold the
    // store's locks. So `wake` must only hand the rest over (a queue and a
    // wake-up), never touch the store or take a lock a store user holds.
    std::function<void(std::function<void()> wake)> when_settled;
    // After the wake, on a thread holding no locks: the COMMIT's failure, if
    // it failed; otherwise runs what waited for it (after-commit actions) and
    // returns nothing. Called once.
    std::function<std::optional<Error>()> settle;
  };

  explicit Deferral(bool accepting);
  ~Deferral();
  Deferral(const Deferral&) = delete;
  Deferral& operator=(const Deferral&) = delete;

  // The calling thread's innermost scope, if it accepts a wait and has none
  // yet; null otherwise.
  static Deferral* open();
  void defer(Wait wait) { wait_ = std::move(wait); }
  bool deferred() const { return static_cast<bool>(wait_.when_settled); }
  Wait take() { return std::move(wait_); }

 private:
  Deferral* outer_;
  bool accepting_;
  Wait wait_;
};

}  // namespace paysandbox
