#include "webhooks/dispatcher.h"

#include <algorithm>
#include <chrono>

#include "service/accounts.h"
#include "webhooks/event_log.h"
#include "webhooks/signer.h"

#ifndef PAYSANDBOX_VERSION
#define PAYSANDBOX_VERSION "0.0.0"
#endif

namespace paysandbox {
namespace {

constexpr int kScheduledAttempts = 8;

}  // namespace

const std::vector<Millis>& Dispatcher::retry_intervals() {
  static const std::vector<Millis> kIntervals = {1 * kMinute, 5 * kMinute, 30 * kMinute, 2 * kHour,
                                                 6 * kHour,   12 * kHour,  24 * kHour};
  return kIntervals;
}

Dispatcher::Dispatcher(EventLog& events, DeliveryStore& deliveries, AccountService& accounts,
                       SandboxClock& clock, DispatcherConfig config)
    : events_(events),
      deliveries_(deliveries),
      accounts_(accounts),
      clock_(clock),
      config_(config) {}

Dispatcher::~Dispatcher() { stop(); }

void Dispatcher::start() {
  auto pending = events_.store().pending();
  MutexLock lock(mutex_);
  for (auto& event : pending) {
    Queue& queue = queue_for(event.account_uid);
    queue.pending.emplace(event.seq, std::move(event));
    ensure_running(queue);
  }
}

void Dispatcher::stop() {
  MutexLock lock(mutex_);
  stopping_ = true;
  for (auto& [uid, queue] : queues_) {
    for (auto& redelivery : queue->redeliveries) {
      redelivery->result = make_error(ErrorCode::kNetworkError, "The sandbox is shutting down.");
      redelivery->done = true;
    }
    queue->redeliveries.clear();
    queue->wake.notify_all();
  }
  settled_.notify_all();
  // A post may be between taking its connection and opening the socket when
  // the first stop() lands, so keep cutting until every worker has left.
  while (true) {
    bool any_running = false;
    for (auto& [uid, queue] : queues_) {
      if (!queue->running) continue;
      any_running = true;
      queue->sender.stop();
      queue->wake.notify_all();
    }
    if (!any_running) break;
    settled_.wait_for(mutex_, std::chrono::milliseconds(20));
  }
  for (auto& [uid, queue] : queues_)
    if (queue->thread.joinable()) queue->thread.join();
}

Dispatcher::Queue& Dispatcher::queue_for(const std::string& account_uid) {
  auto it = queues_.find(account_uid);
  if (it == queues_.end())
    it = queues_.emplace(account_uid, std::make_unique<Queue>(account_uid, config_.timeout_ms))
             .first;
  return *it->second;
}

void Dispatcher::ensure_running(Queue& queue) {
  if (queue.running || stopping_) return;
  // A worker that went idle has already left its loop; joining it is quick.
  if (queue.thread.joinable()) queue.thread.join();
  queue.running = true;
  queue.thread = std::thread([this, &queue] { work(queue); });
}

bool Dispatcher::has_due(const Queue& queue, Millis by) const {
  return std::any_of(queue.pending.begin(), queue.pending.end(), [&](const auto& entry) {
    return entry.second.next_attempt_at <= by && queue.held.count(entry.first) == 0;
  });
}

std::map<std::int64_t, EventRecord>::iterator Dispatcher::next_due(Queue& queue, Millis by) {
  return std::find_if(queue.pending.begin(), queue.pending.end(), [&](const auto& entry) {
    return entry.second.next_attempt_at <= by && queue.held.count(entry.first) == 0;
  });
}

void Dispatcher::enqueue(const EventRecord& event) {
  if (event.delivery_status != DeliveryStatus::kPending) return;
  // Asked outside mutex_: the scenario engine has its own lock.
  std::optional<DeliveryChaos> chaos;
  if (chaos_source_) chaos = chaos_source_(event);
  MutexLock lock(mutex_);
  if (stopping_) return;  // stays pending in the store for the next start
  Queue& queue = queue_for(event.account_uid);
  EventRecord scheduled = event;
  if (chaos) {
    queue.chaos[event.seq] = *chaos;
    if (chaos->type == ChaosType::kDelay) scheduled.next_attempt_at += chaos->delay;
    if (chaos->type == ChaosType::kReorder) queue.held.insert(event.seq);
  }
  queue.pending.emplace(event.seq, std::move(scheduled));
  ensure_running(queue);
  queue.wake.notify_one();
}

void Dispatcher::run_due(const std::string& account_uid) {
  MutexLock lock(mutex_);
  struct Target {
    Queue* queue;
    Millis by;
    std::uint64_t generation;
  };
  std::vector<Target> targets;
  for (auto& [uid, queue] : queues_) {
    if (!account_uid.empty() && uid != account_uid) continue;
    // A busy queue counts even with nothing pending: its attempt has taken
    // the event off `pending` before the attempt is recorded (see attempt()).
    if (queue->pending.empty() && !queue->busy) continue;
    targets.push_back({queue.get(), clock_.account_now(uid), queue->generation});
    ensure_running(*queue);
    queue->wake.notify_one();
  }
  // Until every target has settled: reset since, or idle with nothing due.
  for (std::size_t settled = 0; !stopping_ && settled < targets.size();) {
    const Target& t = targets[settled];
    if (t.queue->generation != t.generation || (!t.queue->busy && !has_due(*t.queue, t.by))) {
      ++settled;
      continue;
    }
    settled_.wait(mutex_);
    settled = 0;  // look at them all again
  }
}

Result<DeliveryRecord> Dispatcher::redeliver(const std::string& account_uid,
                                             const std::string& event_id) {
  if (!events_.find(account_uid, event_id))
    return not_found("No event '" + event_id + "' in this account; see GET /_sandbox/events.");
  auto account = accounts_.find(account_uid);
  if (!account || account->callback_url.empty() || !account->webhook_enabled)
    return make_error(ErrorCode::kConflict,
                      "The account has no callback_url with webhooks enabled, so there is "
                      "nowhere to deliver to; create the account with a callback_url.");
  auto redelivery = std::make_shared<Redelivery>();
  redelivery->event_id = event_id;
  MutexLock lock(mutex_);
  if (stopping_) return make_error(ErrorCode::kNetworkError, "The sandbox is shutting down.");
  Queue& queue = queue_for(account_uid);
  queue.redeliveries.push_back(redelivery);
  ensure_running(queue);
  queue.wake.notify_one();
  while (!redelivery->done) settled_.wait(mutex_);
  return redelivery->result;
}

void Dispatcher::forget(const std::string& account_uid) {
  MutexLock lock(mutex_);
  for (auto& [uid, queue] : queues_) {
    if (!account_uid.empty() && uid != account_uid) continue;
    queue->pending.clear();
    queue->chaos.clear();
    queue->held.clear();
    ++queue->generation;
    for (auto& redelivery : queue->redeliveries) {
      redelivery->result = not_found("The event was removed by a reset.");
      redelivery->done = true;
    }
    queue->redeliveries.clear();
    queue->wake.notify_all();
  }
  settled_.notify_all();
}

void Dispatcher::reload(const std::string& account_uid) {
  forget(account_uid);
  auto pending = events_.store().pending();
  MutexLock lock(mutex_);
  if (stopping_) return;
  for (auto& event : pending) {
    if (!account_uid.empty() && event.account_uid != account_uid) continue;
    Queue& queue = queue_for(event.account_uid);
    queue.pending.emplace(event.seq, std::move(event));
    ensure_running(queue);
    queue.wake.notify_one();
  }
}

std::vector<DeliveryRecord> Dispatcher::deliveries(const std::string& account_uid,
                                                   const std::string& webhook_id,
                                                   std::size_t limit) {
  return deliveries_.list(account_uid, webhook_id, limit);
}

std::vector<DeliveryRecord> Dispatcher::wait_for_deliveries(const std::string& account_uid,
                                                            const std::string& webhook_id,
                                                            std::size_t limit, Millis wait_ms) {
  // A real-time wait, like the events long-poll. Every attempt is recorded
  // before attempt() takes mutex_ to signal settled_, so holding mutex_ while
  // listing cannot miss one.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  MutexLock lock(mutex_);
  while (true) {
    auto found = deliveries_.list(account_uid, webhook_id, limit);
    if (!found.empty() || stopping_) return found;
    if (!settled_.wait_until(mutex_, deadline))
      return deliveries_.list(account_uid, webhook_id, limit);
  }
}

void Dispatcher::work(Queue& queue) {
  MutexLock lock(mutex_);
  while (!stopping_) {
    if (!queue.redeliveries.empty()) {
      auto redelivery = queue.redeliveries.front();
      queue.redeliveries.pop_front();
      attempt(queue, EventRecord{}, std::move(redelivery));
      continue;
    }
    const Millis now = clock_.account_now(queue.account_uid);
    auto due = next_due(queue, now);
    if (due != queue.pending.end()) {
      attempt(queue, due->second, nullptr);
      continue;
    }
    if (queue.pending.empty()) break;  // idle: the next enqueue starts a new worker
    std::optional<Millis> next;
    for (const auto& entry : queue.pending)
      if (queue.held.count(entry.first) == 0)
        next = std::min(next.value_or(entry.second.next_attempt_at), entry.second.next_attempt_at);
    if (!next) {
      // Only held-back events: the next enqueue (or stop) wakes us.
      queue.wake.wait(mutex_);
      continue;
    }
    // Real time runs the account clock too; an advance wakes us sooner.
    queue.wake.wait_for(mutex_, std::chrono::milliseconds(std::max<Millis>(1, *next - now)));
  }
  queue.running = false;
  settled_.notify_all();
}

void Dispatcher::settle(Queue& queue, const std::shared_ptr<Redelivery>& redelivery,
                        Result<DeliveryRecord> result) {
  mutex_.lock();
  queue.busy = false;
  if (redelivery) {
    redelivery->result = std::move(result);
    redelivery->done = true;
  }
  settled_.notify_all();
}

void Dispatcher::attempt(Queue& queue, EventRecord event, std::shared_ptr<Redelivery> redelivery) {
  queue.busy = true;
  std::optional<DeliveryChaos> chaos;
  if (!redelivery) {
    auto shaped = queue.chaos.find(event.seq);
    if (shaped != queue.chaos.end()) {
      chaos = shaped->second;
      queue.chaos.erase(shaped);
    }
  }
  const std::uint64_t generation = queue.generation;
  const std::string uid = queue.account_uid;
  mutex_.unlock();

  if (redelivery) {
    // Read now rather than when it was asked for, so back-to-back
    // redeliveries count attempts right.
    auto stored = events_.find(uid, redelivery->event_id);
    if (!stored)
      return settle(queue, redelivery, not_found("No event '" + redelivery->event_id + "'."));
    event = *stored;
  }
  auto account = accounts_.find(uid);
  if (!account || account->callback_url.empty() || !account->webhook_enabled) {
    if (!redelivery) {
      // Webhooks were turned off since the event was recorded.
      event.delivery_status = DeliveryStatus::kNotConfigured;
      events_.update_delivery(event);
      mutex_.lock();
      if (queue.generation == generation) queue.pending.erase(event.seq);
      mutex_.unlock();
    }
    return settle(
        queue, redelivery,
        make_error(ErrorCode::kConflict, "The account has no callback_url with webhooks enabled."));
  }

  const std::string body = EventLog::envelope(event);
  const Millis at = clock_.account_now(uid);
  const bool wrong_secret = chaos && chaos->type == ChaosType::kBadSignature;
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"X-Webhook-Signature", webhook_signature(wrong_secret ? "whsec_" + account->webhook_secret
                                                             : account->webhook_secret,
                                                event.timestamp, body)},
      {"X-Webhook-Id", event.id},
      {"User-Agent", "payment-sandbox/" PAYSANDBOX_VERSION}};
  // A dropped attempt never reaches the receiver; a duplicated one reaches
  // it `copies` times, each recorded.
  std::vector<SendOutcome> outcomes;
  const int sends = chaos && chaos->type == ChaosType::kDuplicate ? chaos->copies : 1;
  for (int i = 0; i < sends; ++i) {
    SendOutcome outcome;
    if (chaos && chaos->type == ChaosType::kDrop)
      outcome.error = "dropped";
    else
      outcome = queue.sender.post(account->callback_url, body, headers);
    if (outcome.aborted)
      return settle(queue, redelivery,
                    make_error(ErrorCode::kNetworkError, "The sandbox is shutting down."));
    outcomes.push_back(std::move(outcome));
  }
  const bool delivered = std::any_of(outcomes.begin(), outcomes.end(),
                                     [](const SendOutcome& o) { return o.delivered(); });
  const SendOutcome& outcome = outcomes.front();

  DeliveryRecord delivery;
  delivery.account_uid = uid;
  delivery.webhook_id = event.id;
  delivery.event_type = event.event_type;
  delivery.url = account->callback_url;
  delivery.status_code = outcome.status_code;
  delivery.error = outcome.error;
  delivery.duration_ms = outcome.duration_ms;
  delivery.at = at;
  if (chaos) delivery.chaos = chaos_name(chaos->type);
  std::vector<DeliveryRecord> records;

  mutex_.lock();
  if (queue.generation != generation) {  // reset while in flight: the event is gone
    mutex_.unlock();
    return settle(queue, redelivery, not_found("The event was removed by a reset."));
  }
  auto live = queue.pending.find(event.seq);
  if (live != queue.pending.end()) event = live->second;  // the schedule's own copy
  for (const auto& sent : outcomes) {
    DeliveryRecord record = delivery;
    record.status_code = sent.status_code;
    record.error = sent.error;
    record.duration_ms = sent.duration_ms;
    event.attempts += 1;
    record.attempt = event.attempts;
    records.push_back(std::move(record));
  }
  delivery = records.front();
  if (delivered) {
    event.delivery_status = DeliveryStatus::kDelivered;
    queue.pending.erase(event.seq);
    // Reordered events wait for a later one: it is here, so they go next.
    if (!redelivery)
      for (auto held = queue.held.begin(); held != queue.held.end() && *held < event.seq;)
        held = queue.held.erase(held);
  } else if (!redelivery) {
    event.scheduled_attempts += 1;
    if (event.scheduled_attempts >= kScheduledAttempts) {
      event.delivery_status = DeliveryStatus::kFailed;
      queue.pending.erase(event.seq);
    } else {
      event.next_attempt_at = at + retry_intervals()[event.scheduled_attempts - 1];
      queue.pending[event.seq] = event;
    }
  } else if (live != queue.pending.end()) {
    live->second.attempts = event.attempts;
  }
  mutex_.unlock();
  // Recorded before busy clears, so whoever waits in run_due() then reads it;
  // the attempts' log entries first, so a reader that sees the event's new
  // status also finds the attempt that set it.
  for (auto& record : records) deliveries_.insert(record);
  events_.update_delivery(event);
  settle(queue, redelivery, records.front());
}

}  // namespace paysandbox
