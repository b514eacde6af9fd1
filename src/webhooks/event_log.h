#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/event_type.h"
#include "core/status.h"
#include "service/event_sink.h"
#include "store/event_store.h"

namespace paysandbox {

class AccountService;

// The event types a merchant can receive (docs/webhooks.md), with what each means,
// from the table of core/event_type.h.
struct EventTypeInfo {
  const char* name;
  const char* description;
};
const std::vector<EventTypeInfo>& event_catalogue();

// The one log every event of an account goes through, delivered or not.
// Services call emit(); the dispatcher (webhooks/) is told through the
// listener; tests read it with list() and wait for the next with wait_after().
class EventLog : public EventSink {
 public:
  EventLog(EventStore& store, AccountService& accounts, SandboxClock& clock);

  // Records an event and returns it. Its delivery_status is kPending when
  // the account has webhooks enabled, a callback_url and the type
  // subscribed, else kNotConfigured.
  EventRecord emit(const std::string& account_uid, EventType type, const EventPayload& payload);
  void emit_event(const std::string& account_uid, EventType type, EventPayload payload) override {
    emit(account_uid, type, payload);
  }

  // Newest last. `after_id` empty = from the start; an unknown id is a 400
  // naming "after_id".
  Result<std::vector<EventRecord>> list(const std::string& account_uid, const std::string& after_id,
                                        std::optional<EventType> event_type, std::size_t limit);
  // Like list(), but when nothing is there yet waits up to wait_ms for an
  // event to arrive (long-poll); returns an empty list on timeout.
  Result<std::vector<EventRecord>> wait_after(const std::string& account_uid,
                                              const std::string& after_id,
                                              std::optional<EventType> event_type,
                                              std::size_t limit, Millis wait_ms);
  std::optional<EventRecord> find(const std::string& account_uid, const std::string& id);
  void update_delivery(const EventRecord& event);
  EventStore& store() { return store_; }

  // Called (outside any lock) with each new event once it is committed.
  using Listener = std::function<void(const EventRecord&)>;
  void on_emit(Listener listener);

  // The envelope exactly as delivered: {webhook_id, event_type, timestamp, data}.
  static std::string envelope(const EventRecord& event);

 private:
  EventStore& store_;
  AccountService& accounts_;
  SandboxClock& clock_;
  // Protects listeners_ and committed_, and pairs with arrived_. Never held
  // while calling the store.
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<Listener> listeners_;
  std::uint64_t committed_ = 0;  // events committed so far
};

}  // namespace paysandbox
