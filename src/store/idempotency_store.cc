#include "store/idempotency_store.h"

namespace paysandbox {

IdempotencyStore::IdempotencyStore(Store& store) : store_(store) {
  store_.declare_table(
      "idempotency_keys",
      "CREATE TABLE IF NOT EXISTS idempotency_keys (account_uid TEXT NOT NULL, key TEXT NOT NULL, "
      "fingerprint TEXT NOT NULL, status INTEGER NOT NULL, content_type TEXT NOT NULL, body BLOB "
      "NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (account_uid, key))",
      true);
}

std::optional<StoredResponse> IdempotencyStore::find(const std::string& tenant,
                                                     const std::string& key) {
  return store_.with([&](Connection& c) -> std::optional<StoredResponse> {
    auto& s = c.prepared(
        "SELECT fingerprint, status, content_type, body, created_at FROM idempotency_keys WHERE "
        "account_uid = ? AND key = ?");
    s.bind(1, tenant);
    s.bind(2, key);
    if (!s.executeStep()) return std::nullopt;
    StoredResponse r;
    r.request_fingerprint = s.getColumn(0).getString();
    r.status = s.getColumn(1).getInt();
    r.content_type = s.getColumn(2).getString();
    // A blob keeps the body byte for byte, whatever it holds.
    const auto& body = s.getColumn(3);
    r.body.assign(static_cast<const char*>(body.getBlob()), body.getBytes());
    r.created_at = s.getColumn(4).getInt64();
    return r;
  });
}

void IdempotencyStore::put(const std::string& tenant, const std::string& key,
                           const StoredResponse& r) {
  store_.with([&](Connection& c) {
    auto& s = c.prepared(
        "INSERT OR REPLACE INTO idempotency_keys (account_uid, key, fingerprint, status, "
        "content_type, body, created_at) VALUES (?,?,?,?,?,?,?)");
    s.bind(1, tenant);
    s.bind(2, key);
    s.bind(3, r.request_fingerprint);
    s.bind(4, r.status);
    s.bind(5, r.content_type);
    s.bind(6, static_cast<const void*>(r.body.data()), static_cast<int>(r.body.size()));
    s.bind(7, static_cast<std::int64_t>(r.created_at));
    s.exec();
  });
}

}  // namespace paysandbox
