#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>

#include "core/clock.h"
#include "core/thread_annotations.h"
#include "store/idempotency_store.h"

namespace paysandbox {

// Idempotency-Key (docs/api/README.md#conventions): the first answer per (tenant, key) is kept
// for 24 hours of the tenant's clock and replayed to the same request; a
// different request with the key, or a second one while the first runs, is
// refused. The HTTP layer (one interceptor) decides what a request and an
// answer are; this class decides what happens to them.
class IdempotencyService {
 public:
  static constexpr Millis kRetention = 24 * kHour;

  IdempotencyService(IdempotencyStore& store, SandboxClock& clock);

  enum class Decision {
    kProceed,   // run the request, record() its answer, then release()
    kReplay,    // answer with `stored`
    kMismatch,  // the key was used for another request
    kInFlight,  // the first request with the key is still running
  };
  struct Claim {
    Decision decision = Decision::kProceed;
    StoredResponse stored;
  };

  // `clock_account` names the clock the retention runs on (empty = the
  // server clock, for routes without an account). After kProceed the caller
  // holds the key until release(). Called outside any unit of work.
  Claim begin(const std::string& tenant, const std::string& clock_account, const std::string& key,
              const std::string& request_fingerprint);
  // Writes the answer for the key, inside the caller's unit of work on
  // store(), so it commits with the request's own writes or not at all.
  void record(const std::string& tenant, const std::string& clock_account, const std::string& key,
              const std::string& request_fingerprint, StoredResponse answer);
  // Releases the key, once the unit of work has committed or rolled back.
  void release(const std::string& tenant, const std::string& key);
  // record() when there is an answer, then release(): for a caller without
  // a unit of work, where the answer commits on its own.
  void finish(const std::string& tenant, const std::string& clock_account, const std::string& key,
              const std::string& request_fingerprint, std::optional<StoredResponse> answer);

  // The store a request's unit of work runs on.
  Store& store() { return store_.store(); }

  // Whether an answer with this status is kept: the route ran its business
  // logic (2xx, 402, 404, 409). Validation errors, auth failures, rate limits
  // and server faults are not, so a corrected retry goes through.
  static bool worth_storing(int status);

 private:
  Millis now(const std::string& clock_account) const;

  IdempotencyStore& store_;
  SandboxClock& clock_;
  // Protects in_flight_ and looking_up_. A key is released only after its
  // answer is committed, so a duplicate sees either the running request or
  // its stored answer, never neither. begin() reads the store without mutex_
  // (the read may wait for a batch's commit, see store/connection.h, and other
  // keys need not wait with it), with the key marked in looking_up_ so no
  // other begin() for it decides meanwhile. Never taken by a thread that
  // holds the store (the key is released after the unit of work has let go
  // of it).
  Mutex mutex_;
  CondVar looked_up_;
  std::set<std::pair<std::string, std::string>> in_flight_ GUARDED_BY(mutex_);  // (tenant, key)
  std::set<std::pair<std::string, std::string>> looking_up_ GUARDED_BY(mutex_);
};

}  // namespace paysandbox
