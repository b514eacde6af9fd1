#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/chaos.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/delivery_store.h"
#include "store/event_store.h"
#include "webhooks/sender.h"

namespace paysandbox {

class AccountService;
class EventLog;

struct DispatcherConfig {
  // How long a receiver has to answer (connect, send, read) before the
  // attempt counts as a timeout. Default 10 s (docs/webhooks.md).
  Millis timeout_ms = 10 * kSecond;
};

// Delivers pending events to each account's callback_url, signed, and retries
// the ones that fail on the account's sandbox clock.
//
// Guarantees:
// - enqueue() never waits for a receiver: the request that emitted the event
//   answers at once.
// - Each account has its own queue, worker thread and connection, so a slow
//   or dead receiver delays only its own account. Within an account, due
//   events go out one at a time, oldest first.
// - A failed attempt is retried with the same body after 1 min, 5 min,
//   30 min, 2 h, 6 h, 12 h and 24 h of the account's clock, each counted from
//   the attempt before; after the 8th scheduled attempt the event is failed.
// - run_due() (called on every clock advance) returns only once every
//   attempt that fell due by then has been made and recorded.
// - Pending events live in the store, so with --db they carry on after a
//   restart (start() reloads them).
class Dispatcher {
 public:
  Dispatcher(EventLog& events, DeliveryStore& deliveries, AccountService& accounts,
             SandboxClock& clock, DispatcherConfig config);
  ~Dispatcher();  // stop()
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Picks up the store's pending events (a restart on a --db file).
  void start();
  // Stops every worker, cutting in-flight posts short; an attempt cut short
  // is not recorded, so it is made again after a restart. Idempotent.
  void stop();

  // Decides the chaos (if any) of each newly enqueued event (scenario
  // delivery rules). Set before start(); not synchronized.
  using ChaosSource = std::function<std::optional<DeliveryChaos>(const EventRecord&)>;
  void set_chaos_source(ChaosSource source) { chaos_source_ = std::move(source); }

  // A freshly emitted event; ignored unless its delivery_status is pending.
  // Its chaos applies to its first scheduled attempt only; each attempt it
  // shapes is recorded with `chaos` set. A reordered event is not due (not
  // even for run_due) until a later event of the account has been delivered.
  void enqueue(const EventRecord& event);
  // Makes every attempt due on the account's clock now (`account_uid` empty:
  // every account) and returns when they are recorded.
  void run_due(const std::string& account_uid);
  // Sends the event again now, through the account's worker, and returns the
  // attempt. Adds one attempt and leaves the retry schedule as it was; a 2xx
  // marks the event delivered. 404 for an unknown event, 409 when the account
  // has no callback_url or webhooks are disabled.
  Result<DeliveryRecord> redeliver(const std::string& account_uid, const std::string& event_id);
  // Drops the in-memory queue of an account after its reset (empty: all).
  void forget(const std::string& account_uid);
  // Replaces the account's queue (empty: every queue) with the store's
  // pending events, after a snapshot restore or a fork rewrote its rows.
  void reload(const std::string& account_uid);

  std::vector<DeliveryRecord> deliveries(const std::string& account_uid,
                                         const std::string& webhook_id, std::size_t limit);
  // As deliveries(), but when there are none yet waits up to wait_ms of real
  // time for an attempt to be recorded (the long-poll a test waits on).
  std::vector<DeliveryRecord> wait_for_deliveries(const std::string& account_uid,
                                                  const std::string& webhook_id, std::size_t limit,
                                                  Millis wait_ms);

  // The waits before the 2nd..8th scheduled attempts.
  static const std::vector<Millis>& retry_intervals();

 private:
  struct Redelivery {
    std::string event_id;
    bool done = false;
    Result<DeliveryRecord> result = Error{};
  };
  struct Queue {
    explicit Queue(std::string uid, Millis timeout)
        : account_uid(std::move(uid)), sender(timeout) {}
    std::string account_uid;
    // Guarded by Dispatcher::mutex_:
    std::map<std::int64_t, EventRecord> pending;  // by seq: oldest first
    std::deque<std::shared_ptr<Redelivery>> redeliveries;
    std::map<std::int64_t, DeliveryChaos> chaos;  // by seq: for the first attempt
    std::set<std::int64_t> held;                  // reordered, waiting for a later delivery
    bool busy = false;                            // an attempt is in flight or being recorded
    bool running = false;                         // the worker thread is live
    std::uint64_t generation = 0;  // bumped by forget(): results of older attempts are dropped
    std::condition_variable wake;
    std::thread thread;
    WebhookSender sender;  // used by the worker only (stop() from anywhere)
  };

  Queue& queue_for(const std::string& account_uid);   // mutex_ held
  void ensure_running(Queue& queue);                  // mutex_ held
  bool has_due(const Queue& queue, Millis by) const;  // mutex_ held
  // The oldest event not held back and due by `by`, or end().
  std::map<std::int64_t, EventRecord>::iterator next_due(Queue& queue, Millis by);  // mutex_ held
  void work(Queue& queue);
  // One attempt; takes and gives back the lock around the network call.
  void attempt(Queue& queue, std::unique_lock<std::mutex>& lock, EventRecord event,
               std::shared_ptr<Redelivery> redelivery);

  EventLog& events_;
  DeliveryStore& deliveries_;
  AccountService& accounts_;
  SandboxClock& clock_;
  DispatcherConfig config_;
  ChaosSource chaos_source_;

  std::mutex mutex_;                 // protects queues_, stopping_ and every Queue's state
  std::condition_variable settled_;  // an attempt finished, a worker exited
  std::map<std::string, std::unique_ptr<Queue>> queues_;  // by account uid; never erased
  bool stopping_ = false;
};

}  // namespace paysandbox
