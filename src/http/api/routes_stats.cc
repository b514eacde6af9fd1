// GET /_sandbox/stats: what a shared sandbox holds and how it is loaded, so a
// team that shares one can see it (the dashboard polls it too).
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "http/api/routes.h"
#include "http/journal.h"
#include "store/connection.h"

namespace paysandbox {
namespace {

// Resident memory of this process in bytes, from /proc/self/statm (its
// second field, in pages); 0 where /proc is not there.
std::int64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::int64_t size = 0;
  std::int64_t resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * static_cast<std::int64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace

void add_stats_route(Router& router, Store& store, RequestJournal& journal,
                     const ServerCounters& server) {
  RouteOptions control{Auth::kControl, AccountScope::kNone};
  const auto started = std::chrono::steady_clock::now();
  router.add(
      "GET", "/_sandbox/stats", control,
      [&router, &store, &journal, server, started](Call&) -> Result<Reply> {
        const Store::Footprint footprint = store.footprint();
        json objects = json::object();
        for (const auto& [table, rows] : footprint.rows) objects[table] = rows;
        auto rows_of = [&footprint](const std::string& table) -> std::int64_t {
          for (const auto& [name, rows] : footprint.rows)
            if (name == table) return rows;
          return 0;
        };
        json routes = json::array();
        for (const auto& r : router.latencies())
          routes.push_back(json{
              {"route", r.route}, {"count", r.count}, {"p50_ms", r.p50_ms}, {"p99_ms", r.p99_ms}});
        const double uptime =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return reply(
            200,
            json{{"store",
                  {{"kind", store.persistent() ? "file" : "memory"},
                   {"path", store.path()},
                   {"database_bytes", footprint.database_bytes},
                   {"wal_bytes", footprint.wal_bytes},
                   {"objects", objects}}},
                 {"journal",
                  {{"entries", journal.size()},
                   {"bytes", journal.bytes()},
                   {"capacity", journal.capacity()}}},
                 {"event_log",
                  {{"events", rows_of("events")}, {"deliveries", rows_of("webhook_deliveries")}}},
                 {"process", {{"rss_bytes", resident_bytes()}, {"uptime_seconds", uptime}}},
                 {"connections", {{"open", server.open_connections()}}},
                 {"requests_served", server.requests_served()},
                 {"routes", routes}});
      });
}

}  // namespace paysandbox
