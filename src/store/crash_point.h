#pragma once

#include <string>

namespace paysandbox {

// Test-only crash points, for the crash tests (tests/http/crash_test.cc). In
// a build configured with PAYSANDBOX_CRASH_POINTS=ON, a process started with
// PAYSANDBOX_CRASH_AT=<step> ends with _exit(kCrashExitCode) when a unit of
// work reaches that step, as if killed there; with PAYSANDBOX_CRASH_KEY=<key>
// too, only the request sent with that Idempotency-Key does. Without the
// option (a release build) both functions do nothing and read no variable.
enum class CrashPoint {
  kAfterDomainWrite,         // the route wrote, before its key is recorded
  kAfterEventInsert,         // an event row was inserted, before the commit
  kBeforeCommit,             // the key's answer is written, COMMIT not yet run
  kAfterCommitBeforeAnswer,  // committed; the answer has not been sent
};

constexpr int kCrashExitCode = 86;

// Whether a unit of work for a request with this Idempotency-Key (empty when
// it has none) may crash.
bool crash_armed_for(const std::string& idempotency_key);

// Ends the process when `point` is the configured step.
void crash_at(CrashPoint point);

}  // namespace paysandbox
