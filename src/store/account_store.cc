#include "store/account_store.h"

#include <sstream>

#include "store/list_sql.h"

namespace paysandbox {
namespace {

std::string join_lines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out.push_back('\n');
    out += item;
  }
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(line);
  return out;
}

constexpr const char* kAccountColumns =
    "uid, client_id, name, processor, external_account_id, external_merchant_id, active, "
    "enable_ach, enable_credit_card, minimum_payment_amount, maximum_payment_amount, "
    "callback_url, webhook_enabled, fee_credit_bps, fee_credit_fixed, fee_ach_bps, "
    "fee_ach_fixed, allowed_origins, disabled_event_types, webhook_secret, created_at, "
    "client_uid, branding";

// Branding's four optional texts in one column: each "1<text>" or "0",
// separated by \x1e (a page message may hold newlines).
std::string encode_branding(const Branding& b) {
  std::string out;
  for (const auto* field :
       {&b.logo_url, &b.accent_color, &b.merchant_display_name, &b.page_message}) {
    if (field != &b.logo_url) out.push_back('\x1e');
    out += *field ? "1" + **field : std::string("0");
  }
  return out;
}

Branding decode_branding(const std::string& text) {
  Branding b;
  std::optional<std::string>* fields[] = {&b.logo_url, &b.accent_color, &b.merchant_display_name,
                                          &b.page_message};
  size_t start = 0;
  for (auto* field : fields) {
    if (start > text.size()) break;
    size_t end = text.find('\x1e', start);
    if (end == std::string::npos) end = text.size();
    if (end > start && text[start] == '1') *field = text.substr(start + 1, end - start - 1);
    start = end + 1;
  }
  return b;
}

Account read_account(SQLite::Statement& s) {
  Account a;
  a.uid = s.getColumn(0).getString();
  a.client_id = s.getColumn(1).getString();
  a.name = s.getColumn(2).getString();
  a.processor = s.getColumn(3).getString();
  a.external_account_id = s.getColumn(4).getString();
  a.external_merchant_id = s.getColumn(5).getString();
  a.active = s.getColumn(6).getInt() != 0;
  a.enable_ach = s.getColumn(7).getInt() != 0;
  a.enable_credit_card = s.getColumn(8).getInt() != 0;
  a.minimum_payment_amount = s.getColumn(9).getInt64();
  a.maximum_payment_amount = s.getColumn(10).getInt64();
  a.callback_url = s.getColumn(11).getString();
  a.webhook_enabled = s.getColumn(12).getInt() != 0;
  a.fee_rules.credit.percent_bps = s.getColumn(13).getInt64();
  a.fee_rules.credit.fixed = s.getColumn(14).getInt64();
  a.fee_rules.ach.percent_bps = s.getColumn(15).getInt64();
  a.fee_rules.ach.fixed = s.getColumn(16).getInt64();
  a.allowed_origins = split_lines(s.getColumn(17).getString());
  // A name no longer in the catalogue turns off nothing, so it is dropped.
  for (const auto& name : split_lines(s.getColumn(18).getString()))
    if (auto type = event_type_from_name(name)) a.disabled_event_types.push_back(*type);
  a.webhook_secret = s.getColumn(19).getString();
  a.created_at = s.getColumn(20).getInt64();
  if (!s.getColumn(21).isNull()) a.client_uid = s.getColumn(21).getString();
  if (!s.getColumn(22).isNull()) a.branding = decode_branding(s.getColumn(22).getString());
  return a;
}

void bind_account(SQLite::Statement& s, const Account& a) {
  s.bind(1, a.uid);
  s.bind(2, a.client_id);
  s.bind(3, a.name);
  s.bind(4, a.processor);
  s.bind(5, a.external_account_id);
  s.bind(6, a.external_merchant_id);
  s.bind(7, a.active ? 1 : 0);
  s.bind(8, a.enable_ach ? 1 : 0);
  s.bind(9, a.enable_credit_card ? 1 : 0);
  s.bind(10, static_cast<std::int64_t>(a.minimum_payment_amount));
  s.bind(11, static_cast<std::int64_t>(a.maximum_payment_amount));
  s.bind(12, a.callback_url);
  s.bind(13, a.webhook_enabled ? 1 : 0);
  s.bind(14, static_cast<std::int64_t>(a.fee_rules.credit.percent_bps));
  s.bind(15, static_cast<std::int64_t>(a.fee_rules.credit.fixed));
  s.bind(16, static_cast<std::int64_t>(a.fee_rules.ach.percent_bps));
  s.bind(17, static_cast<std::int64_t>(a.fee_rules.ach.fixed));
  s.bind(18, join_lines(a.allowed_origins));
  std::vector<std::string> disabled;
  for (EventType type : a.disabled_event_types) disabled.emplace_back(event_type_name(type));
  s.bind(19, join_lines(disabled));
  s.bind(20, a.webhook_secret);
  s.bind(21, static_cast<std::int64_t>(a.created_at));
  s.bind(22, a.client_uid);
  s.bind(23, encode_branding(a.branding));
}

}  // namespace

AccountStore::AccountStore(Store& store) : store_(store) {
  store_.declare_table("clients",
                       "CREATE TABLE IF NOT EXISTS clients (client_id TEXT PRIMARY KEY, "
                       "client_secret TEXT NOT NULL)",
                       false);
  store_.declare_table(
      "accounts",
      "CREATE TABLE IF NOT EXISTS accounts (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
      "uid TEXT NOT NULL UNIQUE, client_id TEXT NOT NULL, name TEXT NOT NULL, processor TEXT, "
      "external_account_id TEXT, external_merchant_id TEXT, active INTEGER, enable_ach INTEGER, "
      "enable_credit_card INTEGER, minimum_payment_amount INTEGER, maximum_payment_amount "
      "INTEGER, callback_url TEXT, webhook_enabled INTEGER, fee_credit_bps INTEGER, "
      "fee_credit_fixed INTEGER, fee_ach_bps INTEGER, fee_ach_fixed INTEGER, allowed_origins "
      "TEXT, disabled_event_types TEXT, webhook_secret TEXT, created_at INTEGER, clock_offset "
      "INTEGER NOT NULL DEFAULT 0, client_uid TEXT, branding TEXT)",
      false);
  store_.declare_table("access_tokens",
                       "CREATE TABLE IF NOT EXISTS access_tokens (token TEXT PRIMARY KEY, "
                       "client_id TEXT NOT NULL, scope TEXT, expires_at INTEGER NOT NULL)",
                       false, /*kept_on_global_reset=*/true);
}

void AccountStore::upsert_client(const Client& client) {
  store_.with([&](Connection& c) {
    auto& s = c.prepared(
        "INSERT INTO clients (client_id, client_secret) VALUES (?, ?) "
        "ON CONFLICT(client_id) DO UPDATE SET client_secret = excluded.client_secret");
    s.bind(1, client.client_id);
    s.bind(2, client.client_secret);
    s.exec();
  });
}

std::optional<Client> AccountStore::find_client(const std::string& client_id) {
  return store_.with([&](Connection& c) -> std::optional<Client> {
    auto& s = c.prepared("SELECT client_id, client_secret FROM clients WHERE client_id = ?");
    s.bind(1, client_id);
    if (!s.executeStep()) return std::nullopt;
    return Client{s.getColumn(0).getString(), s.getColumn(1).getString()};
  });
}

bool AccountStore::insert_account(const Account& account) {
  return store_.with([&](Connection& c) {
    static const std::string sql = std::string("INSERT OR IGNORE INTO accounts (") +
                                   kAccountColumns + ") VALUES (" +
                                   placeholders_for(kAccountColumns) + ")";
    auto& s = c.prepared(sql);
    bind_account(s, account);
    return s.exec() == 1;
  });
}

void AccountStore::update_account(const Account& account) {
  store_.with([&](Connection& c) {
    static const std::string sql =
        std::string("UPDATE accounts SET ") + assignments_for(kAccountColumns) + " WHERE uid=?1";
    auto& s = c.prepared(sql);
    bind_account(s, account);
    s.exec();
  });
}

std::optional<Account> AccountStore::find_account(const std::string& uid) {
  return store_.with([&](Connection& c) -> std::optional<Account> {
    auto& s = c.prepared(std::string("SELECT ") + kAccountColumns + " FROM accounts WHERE uid = ?");
    s.bind(1, uid);
    return read_first_row(s, read_account);
  });
}

std::vector<Account> AccountStore::list_accounts(const std::string& client_id,
                                                 const ListQuery& query) {
  static const std::string select =
      std::string("SELECT ") + kAccountColumns + " FROM accounts WHERE client_id = ?";
  return list_page(store_, select, client_id, query, read_account);
}

std::vector<Account> AccountStore::all_accounts() {
  return store_.with([&](Connection& c) {
    auto& s = c.prepared(std::string("SELECT ") + kAccountColumns + " FROM accounts ORDER BY seq");
    return read_rows(s, read_account);
  });
}

void AccountStore::insert_access_token(const AccessToken& token) {
  store_.with([&](Connection& c) {
    auto& s = c.prepared(
        "INSERT INTO access_tokens (token, client_id, scope, expires_at) VALUES (?,?,?,?)");
    s.bind(1, token.token);
    s.bind(2, token.client_id);
    s.bind(3, token.scope);
    s.bind(4, static_cast<std::int64_t>(token.expires_at));
    s.exec();
  });
}

std::optional<AccessToken> AccountStore::find_access_token(const std::string& token) {
  return store_.with([&](Connection& c) -> std::optional<AccessToken> {
    auto& s =
        c.prepared("SELECT token, client_id, scope, expires_at FROM access_tokens WHERE token = ?");
    s.bind(1, token);
    if (!s.executeStep()) return std::nullopt;
    return AccessToken{s.getColumn(0).getString(), s.getColumn(1).getString(),
                       s.getColumn(2).getString(), s.getColumn(3).getInt64()};
  });
}

void AccountStore::save_server_offset(Millis offset) {
  store_.with([&](Connection& c) {
    auto& s = c.prepared(
        "INSERT INTO meta (key, value) VALUES ('server_clock_offset', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    s.bind(1, std::to_string(offset));
    s.exec();
  });
}

Millis AccountStore::load_server_offset() {
  return store_.with([&](Connection& c) -> Millis {
    auto& s = c.prepared("SELECT value FROM meta WHERE key = 'server_clock_offset'");
    if (!s.executeStep()) return 0;
    return std::stoll(s.getColumn(0).getString());
  });
}

void AccountStore::save_account_offset(const std::string& account_uid, Millis offset) {
  store_.with([&](Connection& c) {
    auto& s = c.prepared("UPDATE accounts SET clock_offset = ? WHERE uid = ?");
    s.bind(1, static_cast<std::int64_t>(offset));
    s.bind(2, account_uid);
    s.exec();
  });
}

std::vector<std::pair<std::string, Millis>> AccountStore::load_account_offsets() {
  return store_.with([&](Connection& c) {
    auto& s = c.prepared("SELECT uid, clock_offset FROM accounts");
    std::vector<std::pair<std::string, Millis>> out;
    while (s.executeStep()) out.emplace_back(s.getColumn(0).getString(), s.getColumn(1).getInt64());
    return out;
  });
}

}  // namespace paysandbox
