#include "store/crash_point.h"

#ifdef PAYSANDBOX_CRASH_POINTS
#include <unistd.h>

#include <cstdlib>
#endif

namespace paysandbox {

#ifdef PAYSANDBOX_CRASH_POINTS
namespace {

const char* name_of(CrashPoint point) {
  switch (point) {
    case CrashPoint::kAfterDomainWrite:
      return "after_domain_write";
    case CrashPoint::kAfterEventInsert:
      return "after_event_insert";
    case CrashPoint::kBeforeCommit:
      return "before_commit";
    case CrashPoint::kAfterCommitBeforeAnswer:
      return "after_commit_before_answer";
  }
  return "";
}

std::string variable(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

}  // namespace

bool crash_armed_for(const std::string& idempotency_key) {
  static const std::string step = variable("PAYSANDBOX_CRASH_AT");
  static const std::string key = variable("PAYSANDBOX_CRASH_KEY");
  return !step.empty() && (key.empty() || key == idempotency_key);
}

void crash_at(CrashPoint point) {
  static const std::string step = variable("PAYSANDBOX_CRASH_AT");
  // _exit: no destructors, no atexit handlers, no flushing, no SQLite
  // rollback; as close to kill -9 at this line as a test can ask for.
  if (step == name_of(point)) _exit(kCrashExitCode);
}

#else

bool crash_armed_for(const std::string&) { return false; }
void crash_at(CrashPoint) {}

#endif

}  // namespace paysandbox
