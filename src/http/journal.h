#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "http/router.h"

namespace paysandbox {

// One served request, as GET /_sandbox/requests shows it.
struct JournalEntry {
  std::uint64_t sequence = 0;  // 1, 2, ... in the order requests finished
  std::string request_id;
  Millis at = 0;  // wall clock when it finished
  std::string method;
  std::string path;
  std::string query;    // as received, re-encoded as name=value pairs
  std::string account;  // X-Payment-Account-Uid, empty when absent
  std::string idempotency_key;
  int status = 0;          // 0 when a scenario dropped the connection before the route ran
  bool dropped = false;    // the client got no answer (drop_connection, commit_then_drop)
  std::string error_code;  // the error body's code for 4xx/5xx answers
  double duration_ms = 0;
  std::string request_body;  // at most kBodyLimit bytes
  bool request_body_truncated = false;
  std::string response_body;  // JSON answers only, at most kBodyLimit bytes
  bool response_body_truncated = false;
};

struct JournalFilter {
  std::string account;
  std::string method;
  std::string path_prefix;
  std::optional<int> status;
  std::size_t limit = 100;  // the newest `limit` matches, oldest first
};

// A bounded ring of the requests the router served, so a test can ask what
// its code actually sent (and what it got back) without a proxy. Bounded by
// entries (--journal-size) and by bytes (kByteLimit, what its entries hold,
// bodies included): the oldest entries go first when either is reached, so
// a ring of large bodies cannot grow to capacity x kBodyLimit.
class RequestJournal {
 public:
  static constexpr std::size_t kBodyLimit = 4096;
  static constexpr std::size_t kByteLimit = 4u << 20;  // 4 MiB

  // capacity 0 turns the journal off.
  explicit RequestJournal(std::size_t capacity);

  void record(const HttpRequest& request, const HttpResponse& response, Millis at,
              double duration_ms);
  std::vector<JournalEntry> list(const JournalFilter& filter) const;
  void clear();
  std::size_t capacity() const { return capacity_; }
  // What the entries held now take, as counted against kByteLimit.
  std::size_t bytes() const;
  // The entries held now.
  std::size_t size() const;

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;  // protects entries_, bytes_ and next_sequence_
  std::deque<JournalEntry> entries_;
  std::size_t bytes_ = 0;  // sum of footprint() over entries_
  std::uint64_t next_sequence_ = 1;
};

}  // namespace paysandbox
