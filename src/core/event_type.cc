#include "core/event_type.h"

#include "core/enum_names.h"
#include "core/events.h"

namespace paysandbox {
namespace {

struct EventTypeRow {
  EventType value;
  const char* name;
  const char* description;
};

// The one table: each type's spelling and meaning, in catalogue order.
constexpr EventTypeRow kEventTypes[] = {
    {EventType::kCheckoutSessionCompleted, "checkout_session.completed",
     "A hosted checkout session was paid."},
    {EventType::kCheckoutSessionExpired, "checkout_session.expired",
     "A hosted checkout session passed its expiry unpaid."},
    {EventType::kPaymentCompleted, "payment.completed",
     "A payment was captured and approved by the processor."},
    {EventType::kPaymentFailed, "payment.failed", "The processor declined a payment at capture."},
    {EventType::kPaymentRefunded, "payment.refunded",
     "A payment was refunded, in part or in full."},
    {EventType::kProviderChargeback, "provider.chargeback",
     "The cardholder disputed a payment with their bank."},
    {EventType::kProviderNsf, "provider.nsf", "An ACH debit bounced for non-sufficient funds."},
    {EventType::kProviderNoc, "provider.noc",
     "The network changed saved payment methods (new expiry, reissued card, new account "
     "details); re-fetch each of data.saved_payment_method_ids."},
    {EventType::kProviderReversal, "provider.reversal",
     "The processor reversed a settled payment."},
    {EventType::kProviderBankBillPay, "provider.bankbillpay",
     "A payment arrived through the payer's bank bill-pay service."},
    {EventType::kIvrCompleted, "ivr.completed", "A payment taken over the phone (IVR) completed."},
};

}  // namespace

const char* event_type_name(EventType type) { return name_in(kEventTypes, type); }

const char* event_type_description(EventType type) { return row_in(kEventTypes, type).description; }

std::optional<EventType> event_type_from_name(std::string_view name) {
  return value_in(kEventTypes, name);
}

const std::vector<EventType>& all_event_types() {
  static const std::vector<EventType> types = [] {
    std::vector<EventType> out;
    for (const auto& row : kEventTypes) out.push_back(row.value);
    return out;
  }();
  return types;
}

namespace {
constexpr EnumName<SampleStatus> kSampleStatuses[] = {
    {SampleStatus::kCompleted, "completed"}, {SampleStatus::kFailed, "failed"},
    {SampleStatus::kRefunded, "refunded"},   {SampleStatus::kReturned, "returned"},
    {SampleStatus::kReversed, "reversed"},
};
}  // namespace

const char* sample_status_name(SampleStatus status) { return name_in(kSampleStatuses, status); }

}  // namespace paysandbox
