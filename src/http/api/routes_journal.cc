#include "core/time.h"
#include "http/api/inputs.h"
#include "http/api/routes.h"
#include "http/errors.h"
#include "http/journal.h"

namespace paysandbox {

json journal_entry_json(const JournalEntry& entry) {
  json out = {{"sequence", entry.sequence},
              {"request_id", entry.request_id},
              {"at", format_rfc3339(entry.at)},
              {"method", entry.method},
              {"path", entry.path},
              {"query", entry.query},
              {"account", entry.account.empty() ? json(nullptr) : json(entry.account)},
              {"idempotency_key",
               entry.idempotency_key.empty() ? json(nullptr) : json(entry.idempotency_key)},
              {"status", entry.status},
              {"dropped", entry.dropped},
              {"error_code", entry.error_code.empty() ? json(nullptr) : json(entry.error_code)},
              {"duration_ms", entry.duration_ms},
              {"request_body", entry.request_body},
              {"request_body_truncated", entry.request_body_truncated},
              {"response_body", entry.response_body},
              {"response_body_truncated", entry.response_body_truncated}};
  return out;
}

void add_journal_routes(Router& router, RequestJournal& journal) {
  RouteOptions control{Auth::kControl, AccountScope::kNone};

  // ?account=&method=&path_prefix=&status=&limit= ; the newest matches,
  // oldest first. The account filter is a plain query parameter (not the
  // account header) so one call can look across accounts.
  router.add("GET", "/_sandbox/requests", control, [&journal](Call& call) -> Result<Reply> {
    JournalFilter filter;
    filter.account = call.query("account").value_or("");
    filter.method = call.query("method").value_or("");
    filter.path_prefix = call.query("path_prefix").value_or("");
    if (call.query("status")) {
      ASSIGN_OR_RETURN(const std::int64_t status, read_query_integer(call, "status", 0, 599));
      filter.status = static_cast<int>(status);
    }
    ASSIGN_OR_RETURN(
        const std::int64_t limit,
        read_query_integer(call, "limit", 100, static_cast<std::int64_t>(journal.capacity())));
    filter.limit = static_cast<std::size_t>(limit);
    json out = json::array();
    for (const auto& entry : journal.list(filter)) out.push_back(journal_entry_json(entry));
    return reply(200, out);
  });
}

}  // namespace paysandbox
