#include "store/delivery_store.h"

#include "store/rows.h"

namespace paysandbox {

DeliveryStore::DeliveryStore(Store& store) : store_(store) {
  store_.declare_table(
      "webhook_deliveries",
      "CREATE TABLE IF NOT EXISTS webhook_deliveries (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
      "account_uid TEXT NOT NULL, webhook_id TEXT NOT NULL, event_type TEXT NOT NULL, url TEXT "
      "NOT NULL, attempt INTEGER NOT NULL, status_code INTEGER, error TEXT, duration_ms REAL NOT "
      "NULL, at INTEGER NOT NULL)",
      true);
  // Beside the log rather than a column of it, so existing files need no
  // migration: one row per attempt a scenario shaped.
  store_.declare_table("webhook_delivery_chaos",
                       "CREATE TABLE IF NOT EXISTS webhook_delivery_chaos (delivery_seq INTEGER "
                       "PRIMARY KEY, account_uid TEXT NOT NULL, chaos TEXT NOT NULL)",
                       true);
  store_.with([](Connection& c) {
    c.exec(
        "CREATE INDEX IF NOT EXISTS deliveries_by_account ON webhook_deliveries (account_uid, "
        "seq)");
    c.exec(
        "CREATE INDEX IF NOT EXISTS delivery_chaos_by_account ON webhook_delivery_chaos "
        "(account_uid)");
  });
}

void DeliveryStore::insert(DeliveryRecord& d) {
  store_.with([&](Connection& c) {
    auto& s = c.prepared(
        "INSERT INTO webhook_deliveries (account_uid, webhook_id, event_type, url, attempt, "
        "status_code, error, duration_ms, at) VALUES (?,?,?,?,?,?,?,?,?)");
    s.bind(1, d.account_uid);
    s.bind(2, d.webhook_id);
    s.bind(3, event_type_name(d.event_type));
    s.bind(4, d.url);
    s.bind(5, d.attempt);
    bind_nullable(s, 6, d.status_code);
    if (d.error.empty())
      s.bind(7);
    else
      s.bind(7, d.error);
    s.bind(8, d.duration_ms);
    s.bind(9, static_cast<std::int64_t>(d.at));
    s.exec();
    d.seq = c.db().getLastInsertRowid();
    if (!d.chaos.empty()) {
      auto& chaos = c.prepared(
          "INSERT INTO webhook_delivery_chaos (delivery_seq, account_uid, chaos) VALUES (?,?,?)");
      chaos.bind(1, static_cast<std::int64_t>(d.seq));
      chaos.bind(2, d.account_uid);
      chaos.bind(3, d.chaos);
      chaos.exec();
    }
  });
}

std::vector<DeliveryRecord> DeliveryStore::list(const std::string& account_uid,
                                                const std::string& webhook_id, std::size_t limit) {
  return store_.with([&](Connection& c) {
    auto& s = c.prepared(
        "SELECT d.seq, d.account_uid, d.webhook_id, d.event_type, d.url, d.attempt, "
        "d.status_code, d.error, d.duration_ms, d.at, x.chaos FROM webhook_deliveries d LEFT "
        "JOIN webhook_delivery_chaos x ON x.delivery_seq = d.seq WHERE d.account_uid = ?1 AND "
        "(?2 = '' OR d.webhook_id = ?2) ORDER BY d.seq LIMIT ?3");
    s.bind(1, account_uid);
    s.bind(2, webhook_id);
    s.bind(3, static_cast<std::int64_t>(limit));
    std::vector<DeliveryRecord> out;
    while (s.executeStep()) {
      DeliveryRecord d;
      d.seq = s.getColumn(0).getInt64();
      d.account_uid = s.getColumn(1).getString();
      d.webhook_id = s.getColumn(2).getString();
      d.event_type = stored_event_type(s.getColumn(3));
      d.url = s.getColumn(4).getString();
      d.attempt = s.getColumn(5).getInt();
      if (!s.getColumn(6).isNull()) d.status_code = s.getColumn(6).getInt();
      if (!s.getColumn(7).isNull()) d.error = s.getColumn(7).getString();
      d.duration_ms = s.getColumn(8).getDouble();
      d.at = s.getColumn(9).getInt64();
      if (!s.getColumn(10).isNull()) d.chaos = s.getColumn(10).getString();
      out.push_back(std::move(d));
    }
    return out;
  });
}

}  // namespace paysandbox
