#include "core/delivery.h"

#include <utility>

namespace paysandbox {
namespace {

// The one table of spellings.
constexpr std::pair<DeliveryStatus, const char*> kDeliveryStatuses[] = {
    {DeliveryStatus::kPending, "pending"},
    {DeliveryStatus::kDelivered, "delivered"},
    {DeliveryStatus::kFailed, "failed"},
    {DeliveryStatus::kNotConfigured, "not_configured"},
};

}  // namespace

const char* delivery_status_name(DeliveryStatus status) {
  for (const auto& [value, name] : kDeliveryStatuses)
    if (value == status) return name;
  return "pending";
}

std::optional<DeliveryStatus> delivery_status_from_name(std::string_view name) {
  for (const auto& [value, spelled] : kDeliveryStatuses)
    if (name == spelled) return value;
  return std::nullopt;
}

}  // namespace paysandbox
