#pragma once

#include <string>

#include "wire/json.h"

namespace paysandbox {

// Where services report what happened (payment.completed, ...). Services
// sit below webhooks/, so they see only this interface; the event log in
// webhooks/ implements it and the composition root wires the two together.
class EventSink {
 public:
  virtual ~EventSink() = default;
  // Records one event for the account; never blocks on delivery.
  virtual void emit_event(const std::string& account_uid, const std::string& event_type,
                          json data) = 0;
};

}  // namespace paysandbox
