#include "store/event_store.h"

#include "store/rows.h"

namespace paysandbox {
namespace {

constexpr const char* kEventColumns =
    "seq, id, account_uid, event_type, timestamp, data, delivery_status, attempts, "
    "next_attempt_at, scheduled_attempts";

EventRecord read_event(SQLite::Statement& s) {
  EventRecord e;
  e.seq = s.getColumn(0).getInt64();
  e.id = s.getColumn(1).getString();
  e.account_uid = s.getColumn(2).getString();
  e.event_type = stored_event_type(s.getColumn(3));
  e.timestamp = s.getColumn(4).getInt64();
  e.data = s.getColumn(5).getString();
  e.delivery_status =
      delivery_status_from_name(s.getColumn(6).getString()).value_or(DeliveryStatus::kPending);
  e.attempts = s.getColumn(7).getInt();
  e.next_attempt_at = s.getColumn(8).getInt64();
  e.scheduled_attempts = s.getColumn(9).getInt();
  return e;
}

}  // namespace

EventStore::EventStore(Store& store) : store_(store) {
  store_.declare_table(
      "events",
      "CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL "
      "UNIQUE, account_uid TEXT NOT NULL, event_type TEXT NOT NULL, timestamp INTEGER NOT NULL, "
      "data TEXT NOT NULL, delivery_status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, "
      "next_attempt_at INTEGER NOT NULL DEFAULT 0, scheduled_attempts INTEGER NOT NULL DEFAULT 0)",
      true);
  store_.with([](Connection& c) {
    c.exec("CREATE INDEX IF NOT EXISTS events_by_account ON events (account_uid, seq)");
    // pending() at start-up: only the events still to deliver, not all of them.
    c.exec("CREATE INDEX IF NOT EXISTS events_by_delivery_status ON events (delivery_status)");
  });
}

void EventStore::insert(EventRecord& e) {
  store_.with([&](Connection& c) {
    auto& s = c.prepared(
        "INSERT INTO events (id, account_uid, event_type, timestamp, data, delivery_status, "
        "attempts, next_attempt_at, scheduled_attempts) VALUES (?,?,?,?,?,?,?,?,?)");
    s.bind(1, e.id);
    s.bind(2, e.account_uid);
    s.bind(3, event_type_name(e.event_type));
    s.bind(4, static_cast<std::int64_t>(e.timestamp));
    s.bind(5, e.data);
    s.bind(6, delivery_status_name(e.delivery_status));
    s.bind(7, e.attempts);
    s.bind(8, static_cast<std::int64_t>(e.next_attempt_at));
    s.bind(9, e.scheduled_attempts);
    s.exec();
    e.seq = c.db().getLastInsertRowid();
  });
  store_.crash_point(CrashPoint::kAfterEventInsert);
}

std::optional<EventRecord> EventStore::find(const std::string& account_uid, const std::string& id) {
  return store_.with([&](Connection& c) -> std::optional<EventRecord> {
    auto& s = c.prepared(std::string("SELECT ") + kEventColumns +
                         " FROM events WHERE account_uid = ? AND id = ?");
    s.bind(1, account_uid);
    s.bind(2, id);
    return read_first_row(s, read_event);
  });
}

std::vector<EventRecord> EventStore::list(const std::string& account_uid, std::int64_t after_seq,
                                          std::optional<EventType> event_type, std::size_t limit) {
  return store_.with([&](Connection& c) {
    auto& s = c.prepared(std::string("SELECT ") + kEventColumns +
                         " FROM events WHERE account_uid = ?1 AND seq > ?2 AND (?3 = '' OR "
                         "event_type = ?3) ORDER BY seq LIMIT ?4");
    s.bind(1, account_uid);
    s.bind(2, static_cast<std::int64_t>(after_seq));
    s.bind(3, event_type ? event_type_name(*event_type) : "");
    s.bind(4, static_cast<std::int64_t>(limit));
    return read_rows(s, read_event);
  });
}

void EventStore::update_delivery(const EventRecord& e) {
  store_.with([&](Connection& c) {
    auto& s = c.prepared(
        "UPDATE events SET delivery_status = ?, attempts = ?, next_attempt_at = ?, "
        "scheduled_attempts = ? WHERE id = ?");
    s.bind(1, delivery_status_name(e.delivery_status));
    s.bind(2, e.attempts);
    s.bind(3, static_cast<std::int64_t>(e.next_attempt_at));
    s.bind(4, e.scheduled_attempts);
    s.bind(5, e.id);
    s.exec();
  });
}

std::vector<EventRecord> EventStore::pending() {
  return store_.with([&](Connection& c) {
    auto& s = c.prepared(std::string("SELECT ") + kEventColumns +
                         " FROM events WHERE delivery_status = ? ORDER BY seq");
    s.bind(1, delivery_status_name(DeliveryStatus::kPending));
    return read_rows(s, read_event);
  });
}

}  // namespace paysandbox
