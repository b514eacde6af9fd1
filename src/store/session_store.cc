#include "store/session_store.h"

#include "store/rows.h"

namespace paysandbox {
namespace {

constexpr const char* kSessionColumns =
    "id, client_secret, account_uid, scope, amount, currency, success_url, cancel_url, "
    "customer_reference_id, line_items, status, payment_uid, created_at, expires_at, "
    "completed_at, options";

HostedSession read_session(SQLite::Statement& s, const SessionOptionsCodec& codec) {
  HostedSession h;
  h.id = s.getColumn(0).getString();
  h.client_secret = s.getColumn(1).getString();
  h.account_uid = s.getColumn(2).getString();
  h.scope = session_scope_from_name(s.getColumn(3).getString()).value_or(SessionScope::kPayment);
  if (!s.getColumn(4).isNull()) h.amount = s.getColumn(4).getInt64();
  h.currency = s.getColumn(5).getString();
  h.success_url = s.getColumn(6).getString();
  h.cancel_url = s.getColumn(7).getString();
  h.customer_reference_id = s.getColumn(8).getString();
  h.line_items = s.getColumn(9).getString();
  h.status = session_status_from_name(s.getColumn(10).getString()).value_or(SessionStatus::kActive);
  h.payment_uid = s.getColumn(11).getString();
  h.created_at = s.getColumn(12).getInt64();
  h.expires_at = s.getColumn(13).getInt64();
  h.completed_at = s.getColumn(14).getInt64();
  const std::string options = s.getColumn(15).getString();
  if (codec.decode != nullptr) h.options = codec.decode(options);
  return h;
}

// Binds every column in kSessionColumns order.
void bind_session(SQLite::Statement& s, const HostedSession& h, const SessionOptionsCodec& codec) {
  s.bind(1, h.id);
  s.bind(2, h.client_secret);
  s.bind(3, h.account_uid);
  s.bind(4, session_scope_name(h.scope));
  bind_nullable(s, 5, h.amount);
  s.bind(6, h.currency);
  s.bind(7, h.success_url);
  s.bind(8, h.cancel_url);
  s.bind(9, h.customer_reference_id);
  s.bind(10, h.line_items);
  s.bind(11, session_status_name(h.status));
  s.bind(12, h.payment_uid);
  s.bind(13, static_cast<std::int64_t>(h.created_at));
  s.bind(14, static_cast<std::int64_t>(h.expires_at));
  s.bind(15, static_cast<std::int64_t>(h.completed_at));
  s.bind(16, codec.encode != nullptr ? codec.encode(h.options) : std::string("{}"));
}

}  // namespace

HostedSession SessionStore::read(SQLite::Statement& s) const { return read_session(s, codec_); }

void SessionStore::bind(SQLite::Statement& s, const HostedSession& h) const {
  bind_session(s, h, codec_);
}

SessionStore::SessionStore(Store& store) : store_(store) {
  store_.declare_table(
      "hosted_sessions",
      "CREATE TABLE IF NOT EXISTS hosted_sessions (id TEXT PRIMARY KEY, client_secret TEXT NOT "
      "NULL, account_uid TEXT NOT NULL, scope TEXT NOT NULL, amount INTEGER, currency TEXT NOT "
      "NULL, success_url TEXT NOT NULL, cancel_url TEXT NOT NULL, customer_reference_id TEXT NOT "
      "NULL, line_items TEXT NOT NULL, status TEXT NOT NULL, payment_uid TEXT NOT NULL, "
      "created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, completed_at INTEGER NOT NULL, "
      "options TEXT NOT "
      "NULL DEFAULT '{}')",
      true);
  store_.with([](Connection& c) {
    c.exec(
        "CREATE INDEX IF NOT EXISTS hosted_sessions_by_expiry ON hosted_sessions (account_uid, "
        "status, expires_at)");
    c.exec(
        "CREATE INDEX IF NOT EXISTS hosted_sessions_by_status ON hosted_sessions (status, "
        "account_uid)");
  });
}

void SessionStore::insert(const HostedSession& h) {
  store_.with([&](Connection& c) {
    static const std::string sql = std::string("INSERT INTO hosted_sessions (") + kSessionColumns +
                                   ") VALUES (" + placeholders_for(kSessionColumns) + ")";
    auto& s = c.prepared(sql);
    bind(s, h);
    s.exec();
  });
}

std::optional<HostedSession> SessionStore::find(const std::string& id) {
  return store_.with([&](Connection& c) -> std::optional<HostedSession> {
    auto& s =
        c.prepared(std::string("SELECT ") + kSessionColumns + " FROM hosted_sessions WHERE id = ?");
    s.bind(1, id);
    return read_first_row(s, [this](SQLite::Statement& row) { return read(row); });
  });
}

void SessionStore::update(const HostedSession& h) {
  store_.with([&](Connection& c) {
    static const std::string sql = std::string("UPDATE hosted_sessions SET ") +
                                   assignments_for(kSessionColumns) + " WHERE id = ?1";
    auto& s = c.prepared(sql);
    bind(s, h);
    s.exec();
  });
}

std::vector<HostedSession> SessionStore::due_for_expiry(const std::string& account_uid,
                                                        Millis now) {
  return store_.with([&](Connection& c) {
    auto& s = c.prepared(std::string("SELECT ") + kSessionColumns +
                         " FROM hosted_sessions WHERE account_uid = ? AND status = ? AND "
                         "expires_at <= ? ORDER BY expires_at");
    s.bind(1, account_uid);
    s.bind(2, session_status_name(SessionStatus::kActive));
    s.bind(3, static_cast<std::int64_t>(now));
    return read_rows(s, [this](SQLite::Statement& row) { return read(row); });
  });
}

std::vector<HostedSession> SessionStore::list_for_account(const std::string& account_uid) {
  return store_.with([&](Connection& c) {
    auto& s = c.prepared(std::string("SELECT ") + kSessionColumns +
                         " FROM hosted_sessions WHERE account_uid = ? ORDER BY created_at, id");
    s.bind(1, account_uid);
    return read_rows(s, [this](SQLite::Statement& row) { return read(row); });
  });
}

std::vector<std::string> SessionStore::accounts_with_active() {
  return store_.with([&](Connection& c) {
    auto& s = c.prepared("SELECT DISTINCT account_uid FROM hosted_sessions WHERE status = ?");
    s.bind(1, session_status_name(SessionStatus::kActive));
    std::vector<std::string> out;
    while (s.executeStep()) out.push_back(s.getColumn(0).getString());
    return out;
  });
}

}  // namespace paysandbox
