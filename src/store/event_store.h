#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/delivery.h"
#include "core/event_type.h"
#include "core/time.h"
#include "store/connection.h"

namespace paysandbox {

// One event of an account's log, with its delivery state.
struct EventRecord {
  std::int64_t seq = 0;  // order within the whole log
  std::string id;        // evt_...
  std::string account_uid;
  EventType event_type = EventType::kPaymentCompleted;
  std::int64_t timestamp = 0;  // Unix seconds, wall clock at creation
  std::string data;            // JSON text of the envelope's data
  DeliveryStatus delivery_status = DeliveryStatus::kPending;
  int attempts = 0;            // every attempt, redeliveries included
  int scheduled_attempts = 0;  // attempts on the retry schedule (redeliveries not counted)
  Millis next_attempt_at = 0;  // account clock; meaningful while pending
};

class EventStore {
 public:
  explicit EventStore(Store& store);

  // Assigns seq. Inside a unit of work the row commits with it.
  void insert(EventRecord& event);
  // Runs `action` once the event just inserted is committed (Store::after_commit).
  void after_commit(std::function<void()> action) { store_.after_commit(std::move(action)); }
  std::optional<EventRecord> find(const std::string& account_uid, const std::string& id);
  // Events after `after_seq` (0 = from the start), oldest first, optionally of
  // one type.
  std::vector<EventRecord> list(const std::string& account_uid, std::int64_t after_seq,
                                std::optional<EventType> event_type, std::size_t limit);
  void update_delivery(const EventRecord& event);
  // Pending events of every account, oldest first (dispatcher start-up).
  std::vector<EventRecord> pending();

 private:
  Store& store_;
};

}  // namespace paysandbox
