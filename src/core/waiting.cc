#include "core/waiting.h"

namespace paysandbox {

namespace {
thread_local WaitListener* this_thread_listener = nullptr;
thread_local Deferral* this_thread_deferral = nullptr;
}  // namespace

void set_wait_listener(WaitListener* listener) { this_thread_listener = listener; }

Waiting::Waiting() : listener_(this_thread_listener) {
  if (listener_) listener_->waiting_began();
}

Waiting::~Waiting() {
  if (listener_) listener_->waiting_ended();
}

Deferral::Deferral(bool accepting) : outer_(this_thread_deferral), accepting_(accepting) {
  this_thread_deferral = this;
}

Deferral::~Deferral() { this_thread_deferral = outer_; }

Deferral* Deferral::open() {
  Deferral* innermost = this_thread_deferral;
  return innermost && innermost->accepting_ && !innermost->deferred() ? innermost : nullptr;
}

}  // namespace paysandbox
