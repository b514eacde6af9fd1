#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/event_type.h"
#include "core/time.h"
#include "store/connection.h"

namespace paysandbox {

// One attempt to deliver an event to an account's callback_url.
struct DeliveryRecord {
  std::int64_t seq = 0;
  std::string account_uid;
  std::string webhook_id;  // evt_...
  EventType event_type = EventType::kPaymentCompleted;
  std::string url;
  int attempt = 0;                 // 1-based, counting redeliveries
  std::optional<int> status_code;  // the receiver's answer, when there was one
  std::string error;               // refused | timeout | reset | tls | bad_url; empty = none
  double duration_ms = 0;
  Millis at = 0;  // account clock when the attempt started
  // What a scenario's delivery rule made of it: duplicate, reorder, delay,
  // drop or bad_signature; empty = an ordinary attempt.
  std::string chaos;
};

// The delivery log: every attempt, kept per account (cleared by its reset).
class DeliveryStore {
 public:
  explicit DeliveryStore(Store& store);

  void insert(DeliveryRecord& delivery);
  // Oldest first; `webhook_id` empty = every event.
  std::vector<DeliveryRecord> list(const std::string& account_uid, const std::string& webhook_id,
                                   std::size_t limit);

 private:
  Store& store_;
};

}  // namespace paysandbox
