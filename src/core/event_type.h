#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace paysandbox {

// The event types a merchant can receive (SPEC §7). Adding one: a row in the
// table in event_type.cc, sample data in webhooks/samples.cc, and the emit
// where it happens.
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
