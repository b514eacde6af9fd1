#pragma once

#include <string>

#include "core/event_type.h"
#include "core/events.h"

namespace paysandbox {

// Where services report what happened (payment.completed, ...). Services
// sit below webhooks/, so they see only this interface; the event log in
// webhooks/ implements it and the composition root wires the two together.
// The payload is typed; wire/event_json.cc alone turns it into JSON.
class EventSink {
 public:
  virtual ~EventSink() = default;
  // Records one event for the account; never blocks on delivery.
  virtual void emit_event(const std::string& account_uid, EventType type, EventPayload payload) = 0;
};

}  // namespace paysandbox
