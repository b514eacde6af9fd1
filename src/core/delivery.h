#pragma once

#include <optional>
#include <string_view>

namespace paysandbox {

// Where an event stands with the account's webhook receiver.
//   pending        -> delivered | failed (retries used up)
//   not_configured:   no receiver (or the type unsubscribed) when recorded,
//                     or webhooks turned off before the first attempt
enum class DeliveryStatus { kPending, kDelivered, kFailed, kNotConfigured };

// The wire and storage spelling ("not_configured").
const char* delivery_status_name(DeliveryStatus status);
std::optional<DeliveryStatus> delivery_status_from_name(std::string_view name);

}  // namespace paysandbox
