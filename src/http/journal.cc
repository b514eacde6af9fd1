#include "http/journal.h"

#include "wire/json.h"

namespace paysandbox {
namespace {

// The heap an entry holds: the struct and its strings' buffers.
std::size_t footprint(const JournalEntry& e) {
  return sizeof(JournalEntry) + e.request_id.capacity() + e.method.capacity() + e.path.capacity() +
         e.query.capacity() + e.account.capacity() + e.idempotency_key.capacity() +
         e.error_code.capacity() + e.request_body.capacity() + e.response_body.capacity();
}

}  // namespace

RequestJournal::RequestJournal(std::size_t capacity) : capacity_(capacity) {}

void RequestJournal::record(const HttpRequest& request, const HttpResponse& response, Millis at,
                            double duration_ms) {
  if (capacity_ == 0) return;
  JournalEntry entry;
  entry.request_id = response.header("X-Request-Id");
  entry.at = at;
  entry.method = request.method;
  entry.path = request.path;
  for (const auto& [name, value] : request.query)
    entry.query += (entry.query.empty() ? "" : "&") + name + "=" + value;
  entry.account = request.header("X-Payment-Account-Uid");
  entry.idempotency_key = request.header("Idempotency-Key");
  entry.status = response.status;
  entry.dropped = response.drop_connection;
  entry.duration_ms = duration_ms;
  entry.request_body_truncated = request.body.size() > kBodyLimit;
  entry.request_body = request.body.substr(0, kBodyLimit);
  entry.request_body.shrink_to_fit();
  if (response.content_type.rfind("application/json", 0) == 0) {
    entry.response_body_truncated = response.body.size() > kBodyLimit;
    entry.response_body = response.body.substr(0, kBodyLimit);
    entry.response_body.shrink_to_fit();
  }
  if (response.status >= 400) {
    // Error bodies are ours and always carry a code; parse only those.
    json body = json::parse(response.body, nullptr, false);
    if (body.is_object() && body.contains("code") && body["code"].is_string())
      entry.error_code = body["code"].get<std::string>();
  }
  MutexLock lock(mutex_);
  entry.sequence = next_sequence_++;
  const std::size_t cost = footprint(entry);
  while (!entries_.empty() && (entries_.size() >= capacity_ || bytes_ + cost > kByteLimit)) {
    bytes_ -= footprint(entries_.front());
    entries_.pop_front();
  }
  bytes_ += cost;
  entries_.push_back(std::move(entry));
}

std::vector<JournalEntry> RequestJournal::list(const JournalFilter& filter) const {
  auto wanted = [&filter](const JournalEntry& entry) {
    if (!filter.account.empty() && entry.account != filter.account) return false;
    if (!filter.method.empty() && entry.method != filter.method) return false;
    if (filter.status && entry.status != *filter.status) return false;
    return entry.path.compare(0, filter.path_prefix.size(), filter.path_prefix) == 0;
  };
  std::vector<JournalEntry> newest_first;
  MutexLock lock(mutex_);
  for (auto it = entries_.rbegin(); it != entries_.rend() && newest_first.size() < filter.limit;
       ++it)
    if (wanted(*it)) newest_first.push_back(*it);
  return {newest_first.rbegin(), newest_first.rend()};
}

void RequestJournal::clear() {
  MutexLock lock(mutex_);
  entries_.clear();
  bytes_ = 0;
}

std::size_t RequestJournal::size() const {
  MutexLock lock(mutex_);
  return entries_.size();
}

std::size_t RequestJournal::bytes() const {
  MutexLock lock(mutex_);
  return bytes_;
}

}  // namespace paysandbox
