#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/payment.h"
#include "core/session.h"
#include "core/time.h"
#include "core/types.h"

namespace paysandbox {

// What an event carries, as types. Each is turned into the event's `data`
// JSON in one place only (wire/event_json.cc); nothing below wire/ builds it.

// payment.completed, payment.failed, payment.refunded: the payment as the
// API answers it.
struct PaymentEventData {
  Payment payment;
};

// checkout_session.completed / .expired: the session and, for a completed
// one, the payment it made and the method the browser named (card | ach |
// apple_pay).
struct SessionEventData {
  HostedSession session;
  std::optional<Payment> payment;
  std::string method;
};

// One field a network update changed on a saved method (provider.noc).
struct NocFieldChange {
  using Value = std::variant<std::int64_t, std::string>;
  std::string field;  // exp_month, exp_year, last4, card_brand, account_number_suffix, ...
  Value from;
  Value to;
};

struct NocMethodChange {
  std::string saved_payment_method_uid;
  std::string customer_uid;
  std::vector<NocFieldChange> fields;  // empty: named, not changed
};

// provider.noc: every method the update touched, with its changed fields.
struct NocEventData {
  std::vector<NocMethodChange> methods;
};

// An event whose data the merchant's test gave (POST /_sandbox/webhooks/trigger
// with data, a scenario's trigger_webhook step): that data as JSON text,
// sent as given.
struct GivenEventData {
  std::string json_text = "{}";
};

// A sample payment's status: the payment statuses a sample shows, and what
// the network did to a completed one (an ACH return, a reversal).
enum class SampleStatus { kCompleted, kFailed, kRefunded, kReturned, kReversed };
// Its spelling, from the one table in core/event_type.cc.
const char* sample_status_name(SampleStatus status);

// A realistic payment made up for POST /_sandbox/webhooks/trigger without
// data (webhooks/samples.cc). Optional members appear only when set.
struct SamplePayment {
  std::string uid;
  SampleStatus status = SampleStatus::kCompleted;
  std::int64_t base_amount = 0;
  std::int64_t tax_amount = 0;
  std::int64_t processing_fee_amount = 0;
  std::int64_t total_amount = 0;
  std::string currency = "USD";
  std::string reference_id;
  // The account's saved method it was paid with; none: a sandbox card.
  std::optional<SavedMethod> method;
  Millis created_at = 0;
  std::optional<std::string> transaction_id;
  std::optional<Millis> captured_at;
  // What the event type adds.
  std::optional<std::string> failure_code;
  std::optional<std::string> failure_message;
  std::optional<std::int64_t> refunded_amount;
  std::optional<std::int64_t> reversed_amount;
  std::optional<std::string> return_code;
  std::optional<std::string> return_reason;
  std::optional<std::string> channel;  // bank_bill_pay | ivr
  struct Chargeback {
    std::string uid;
    std::int64_t amount = 0;
    std::string reason;
    Millis created_at = 0;
  };
  std::optional<Chargeback> chargeback;
};

// A sample checkout_session.* event: a short session summary, with the
// payment when completed.
struct SampleSession {
  std::string session_id;
  SessionStatus status = SessionStatus::kCompleted;
  SessionScope scope = SessionScope::kPayment;
  std::int64_t amount = 0;
  std::string currency = "USD";
  std::optional<SamplePayment> payment;
};

// Every payload an event can carry. Adding a payload struct: add it here;
// the serializer's visitor in wire/event_json.cc then fails to compile until
// it has an overload for it.
using EventPayload = std::variant<PaymentEventData, SessionEventData, NocEventData, GivenEventData,
                                  SamplePayment, SampleSession>;

}  // namespace paysandbox
