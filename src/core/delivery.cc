#include "core/delivery.h"

#include "core/enum_names.h"

namespace paysandbox {
namespace {

// The one table of spellings.
constexpr EnumName<DeliveryStatus> kDeliveryStatuses[] = {
    {DeliveryStatus::kPending, "pending"},
    {DeliveryStatus::kDelivered, "delivered"},
    {DeliveryStatus::kFailed, "failed"},
    {DeliveryStatus::kNotConfigured, "not_configured"},
};

}  // namespace

const char* delivery_status_name(DeliveryStatus status) {
  return name_in(kDeliveryStatuses, status);
}

std::optional<DeliveryStatus> delivery_status_from_name(std::string_view name) {
  return value_in(kDeliveryStatuses, name);
}

}  // namespace paysandbox
