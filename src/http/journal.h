#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "core/thread_annotations.h"
#include "core/time.h"
#include "http/journal_entry.h"
#include "http/router.h"

namespace paysandbox {

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
  mutable Mutex mutex_;
  std::deque<JournalEntry> entries_ GUARDED_BY(mutex_);
  std::size_t bytes_ GUARDED_BY(mutex_) = 0;  // sum of footprint() over entries_
  std::uint64_t next_sequence_ GUARDED_BY(mutex_) = 1;
};

}  // namespace paysandbox
