#pragma once

#include <cstdint>
#include <string>

#include "core/events.h"

namespace paysandbox {

// The one place an event's payload becomes its `data` JSON (compact, keys
// sorted as everywhere on the wire). Free of nlohmann so the layers below
// wire/ can call it.
std::string event_data_json(const EventPayload& payload);

// The envelope exactly as delivered: {webhook_id, event_type, timestamp,
// data}, with `data_json` written byte for byte as given.
std::string event_envelope(const std::string& webhook_id, const std::string& event_type,
                           std::int64_t timestamp, const std::string& data_json);

}  // namespace paysandbox
