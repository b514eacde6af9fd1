#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace paysandbox {

// The event types a merchant can receive (docs/webhooks.md). Adding one touches four
// places and nothing else:
//   1. the enum: a value here and its row (spelling, description) in the
//      table in event_type.cc; the catalogue (GET /api/webhooks/types),
//      subscriptions, /_sandbox/webhooks/trigger and scenario files all read
//      that table;
//   2. its payload struct in core/events.h (or an existing one), listed in
//      EventPayload;
//   3. its serializer: the payload's overload in wire/event_json.cc (the
//      only place event data becomes JSON; it fails to compile without one);
//   4. the place that emits it: EventSink::emit_event(account, type, payload).
// A triggered event with no data gets a sample from webhooks/samples.cc:
// a completed payment unless the type is special-cased there.
enum class EventType {
  kCheckoutSessionCompleted,
  kCheckoutSessionExpired,
  kPaymentCompleted,
  kPaymentFailed,
  kPaymentRefunded,
  kProviderChargeback,
  kProviderNsf,
  kProviderNoc,
  kProviderReversal,
  kProviderBankBillPay,
  kIvrCompleted,
};

// The wire spelling ("payment.completed").
const char* event_type_name(EventType type);
// What the event means, for GET /api/webhooks/types.
const char* event_type_description(EventType type);
std::optional<EventType> event_type_from_name(std::string_view name);
// Every type, in catalogue order.
const std::vector<EventType>& all_event_types();

}  // namespace paysandbox
