#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace paysandbox {

// What a scenario's delivery rule does to one event's first delivery
// (docs/scenarios.md#webhook-chaos, issue 14). Retries and redeliveries are never touched.
enum class ChaosType {
  kDuplicate,     // the same envelope (same webhook_id, same signature) `copies` times
  kReorder,       // held back until the account's next event has been delivered
  kDelay,         // sent `delay` later on the account's clock
  kDrop,          // not sent: recorded as failed with error "dropped", retried on schedule
  kBadSignature,  // signed with a wrong secret, so the receiver's check must refuse it
};

struct DeliveryChaos {
  ChaosType type = ChaosType::kDuplicate;
  int copies = 2;    // kDuplicate: how many times the envelope is sent in all
  Millis delay = 0;  // kDelay
};

// The name the delivery log and scenario files use: "duplicate", "reorder",
// "delay", "drop", "bad_signature".
const char* chaos_name(ChaosType type);
std::optional<ChaosType> chaos_from_name(std::string_view name);
// Every spelling, in table order.
std::vector<std::string> chaos_names();

}  // namespace paysandbox
