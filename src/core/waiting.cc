#include "core/waiting.h"

namespace paysandbox {

namespace {
thread_local WaitListener* this_thread_listener = nullptr;
}  // namespace

void set_wait_listener(WaitListener* listener) { this_thread_listener = listener; }

Waiting::Waiting() : listener_(this_thread_listener) {
  if (listener_) listener_->waiting_began();
}

Waiting::~Waiting() {
  if (listener_) listener_->waiting_ended();
}

}  // namespace paysandbox
