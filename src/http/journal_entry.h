#pragma once

// The request journal's rows and filter, apart from the journal itself so
// that the nlohmann-free adapter header (http/adapter.h) can hand them out.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/time.h"

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

}  // namespace paysandbox
