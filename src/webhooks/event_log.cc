#include "webhooks/event_log.h"

#include <chrono>

#include "core/ids.h"
#include "service/accounts.h"
#include "wire/event_json.h"

namespace paysandbox {

const std::vector<EventTypeInfo>& event_catalogue() {
  static const std::vector<EventTypeInfo> kTypes = [] {
    std::vector<EventTypeInfo> out;
    for (EventType type : all_event_types())
      out.push_back({event_type_name(type), event_type_description(type)});
    return out;
  }();
  return kTypes;
}

EventLog::EventLog(EventStore& store, AccountService& accounts, SandboxClock& clock)
    : store_(store), accounts_(accounts), clock_(clock) {}

EventRecord EventLog::emit(const std::string& account_uid, EventType type,
                           const EventPayload& payload) {
  EventRecord event;
  event.id = new_id("evt_");
  event.account_uid = account_uid;
  event.event_type = type;
  event.timestamp = clock_.real_now() / kSecond;
  event.data = event_data_json(payload);
  event.delivery_status = DeliveryStatus::kNotConfigured;
  if (auto account = accounts_.find(account_uid)) {
    if (account->webhook_enabled && !account->callback_url.empty() &&
        is_subscribed(*account, type)) {
      event.delivery_status = DeliveryStatus::kPending;
      event.next_attempt_at = clock_.account_now(account_uid);
    }
  }
  store_.insert(event);
  // The dispatcher and long-polls hear of the event once it is committed:
  // with the request's unit of work, or now when there is none. A request
  // that rolls back emits nothing.
  store_.after_commit([this, event] {
    std::vector<Listener> listeners;
    {
      MutexLock lock(mutex_);
      ++committed_;
      listeners = listeners_;
    }
    arrived_.notify_all();
    for (const auto& listener : listeners) listener(event);
  });
  return event;
}

Result<std::vector<EventRecord>> EventLog::list(const std::string& account_uid,
                                                const std::string& after_id,
                                                std::optional<EventType> event_type,
                                                std::size_t limit) {
  std::int64_t after_seq = 0;
  if (!after_id.empty()) {
    auto anchor = store_.find(account_uid, after_id);
    if (!anchor)
      return validation_error("after_id", "No event '" + after_id +
                                              "' in this account; pass the webhook_id of an event "
                                              "from GET /_sandbox/events.");
    after_seq = anchor->seq;
  }
  return store_.list(account_uid, after_seq, event_type, limit);
}

Result<std::vector<EventRecord>> EventLog::wait_after(const std::string& account_uid,
                                                      const std::string& after_id,
                                                      std::optional<EventType> event_type,
                                                      std::size_t limit, Millis wait_ms) {
  // A real-time wait: long-polling is how a test waits without sleeping.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  // The store is read without mutex_ held: a unit of work holding the store
  // takes mutex_ in its after-commit action, so holding mutex_ while waiting
  // for the store could deadlock. The counter catches an event committed
  // between the read and the wait.
  while (true) {
    std::uint64_t seen;
    {
      MutexLock lock(mutex_);
      seen = committed_;
    }
    auto events = list(account_uid, after_id, event_type, limit);
    if (!events || !events->empty()) return events;
    MutexLock lock(mutex_);
    while (committed_ == seen && arrived_.wait_until(mutex_, deadline)) {
    }
    if (committed_ == seen) {  // the time ran out
      lock.unlock();
      return list(account_uid, after_id, event_type, limit);
    }
  }
}

std::optional<EventRecord> EventLog::find(const std::string& account_uid, const std::string& id) {
  return store_.find(account_uid, id);
}

void EventLog::update_delivery(const EventRecord& event) { store_.update_delivery(event); }

void EventLog::on_emit(Listener listener) {
  MutexLock lock(mutex_);
  listeners_.push_back(std::move(listener));
}

std::string EventLog::envelope(const EventRecord& event) {
  return event_envelope(event.id, event_type_name(event.event_type), event.timestamp, event.data);
}

}  // namespace paysandbox
