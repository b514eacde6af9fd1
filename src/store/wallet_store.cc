#include "store/wallet_store.h"

#include "store/list_sql.h"

namespace paysandbox {
namespace {

const char* kind_name(MethodKind kind) { return kind == MethodKind::kAch ? "ach" : "credit"; }
MethodKind kind_from(const std::string& name) {
  return name == "ach" ? MethodKind::kAch : MethodKind::kCredit;
}

std::optional<std::string> optional_text(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getString();
}
void bind_optional(SQLite::Statement& s, int index, const std::optional<std::string>& value) {
  if (value)
    s.bind(index, *value);
  else
    s.bind(index);
}

constexpr const char* kCustomerColumns =
    "uid, account_uid, reference_id, name, email, default_pm, created_at";

Customer read_customer(SQLite::Statement& s) {
  Customer c;
  c.uid = s.getColumn(0).getString();
  c.account_uid = s.getColumn(1).getString();
  c.reference_id = s.getColumn(2).getString();
  c.name = optional_text(s.getColumn(3));
  c.email = optional_text(s.getColumn(4));
  c.default_payment_method_uid = optional_text(s.getColumn(5));
  c.created_at = s.getColumn(6).getInt64();
  return c;
}

constexpr const char* kMethodColumns =
    "uid, account_uid, customer_uid, kind, permanent_token, last4, bin, card_brand, exp_month, "
    "exp_year, holder_name, routing_number, account_number_suffix, account_type, bank_name, "
    "outcome, created_at, updated_at";

SavedMethod read_method(SQLite::Statement& s) {
  SavedMethod m;
  m.uid = s.getColumn(0).getString();
  m.account_uid = s.getColumn(1).getString();
  m.customer_uid = s.getColumn(2).getString();
  m.kind = kind_from(s.getColumn(3).getString());
  m.permanent_token = s.getColumn(4).getString();
  m.card.last4 = s.getColumn(5).getString();
  m.card.bin = s.getColumn(6).getString();
  m.card.card_brand = s.getColumn(7).getString();
  m.card.exp_month = s.getColumn(8).getInt();
  m.card.exp_year = s.getColumn(9).getInt();
  m.card.holder_name = s.getColumn(10).getString();
  m.ach.holder_name = m.card.holder_name;
  m.ach.routing_number = s.getColumn(11).getString();
  m.ach.account_number_suffix = s.getColumn(12).getString();
  m.ach.account_type = s.getColumn(13).getString();
  m.ach.bank_name = s.getColumn(14).getString();
  m.outcome = outcome_from_name(s.getColumn(15).getString()).value_or(Outcome::kApproved);
  m.created_at = s.getColumn(16).getInt64();
  m.updated_at = s.getColumn(17).getInt64();
  return m;
}

constexpr const char* kUpdateMethod =
    "UPDATE saved_methods SET uid=?1, account_uid=?2, customer_uid=?3, kind=?4, "
    "permanent_token=?5, last4=?6, bin=?7, card_brand=?8, exp_month=?9, exp_year=?10, "
    "holder_name=?11, routing_number=?12, account_number_suffix=?13, account_type=?14, "
    "bank_name=?15, outcome=?16, created_at=?17, updated_at=?18 WHERE uid=?1 AND "
    "account_uid=?2";

void bind_method(SQLite::Statement& s, const SavedMethod& m) {
  s.bind(1, m.uid);
  s.bind(2, m.account_uid);
  s.bind(3, m.customer_uid);
  s.bind(4, kind_name(m.kind));
  s.bind(5, m.permanent_token);
  s.bind(6, m.card.last4);
  s.bind(7, m.card.bin);
  s.bind(8, m.card.card_brand);
  s.bind(9, m.card.exp_month);
  s.bind(10, m.card.exp_year);
  s.bind(11, m.kind == MethodKind::kAch ? m.ach.holder_name : m.card.holder_name);
  s.bind(12, m.ach.routing_number);
  s.bind(13, m.ach.account_number_suffix);
  s.bind(14, m.ach.account_type);
  s.bind(15, m.ach.bank_name);
  s.bind(16, outcome_name(m.outcome));
  s.bind(17, static_cast<std::int64_t>(m.created_at));
  s.bind(18, static_cast<std::int64_t>(m.updated_at));
}

bool insert_customer_locked(Connection& c, const Customer& customer) {
  auto& s = c.prepared(
      "INSERT OR IGNORE INTO customers (uid, account_uid, reference_id, name, email, default_pm, "
      "created_at) VALUES (?,?,?,?,?,?,?)");
  s.bind(1, customer.uid);
  s.bind(2, customer.account_uid);
  s.bind(3, customer.reference_id);
  bind_optional(s, 4, customer.name);
  bind_optional(s, 5, customer.email);
  bind_optional(s, 6, customer.default_payment_method_uid);
  s.bind(7, static_cast<std::int64_t>(customer.created_at));
  return s.exec() == 1;
}

std::optional<Customer> find_customer_by_reference_locked(Connection& c,
                                                          const std::string& account_uid,
                                                          const std::string& reference_id) {
  static const std::string sql = std::string("SELECT ") + kCustomerColumns +
                                 " FROM customers WHERE account_uid = ? AND reference_id = ?";
  auto& s = c.prepared(sql);
  s.bind(1, account_uid);
  s.bind(2, reference_id);
  if (!s.executeStep()) return std::nullopt;
  return read_customer(s);
}

// The SQL of the hot lookups is built once: the text is the statement
// cache's key, and building it per call did so inside the store's lock.
std::optional<Customer> find_customer_locked(Connection& c, const std::string& account_uid,
                                             const std::string& uid) {
  static const std::string sql = std::string("SELECT ") + kCustomerColumns +
                                 " FROM customers WHERE account_uid = ? AND uid = ?";
  auto& s = c.prepared(sql);
  s.bind(1, account_uid);
  s.bind(2, uid);
  if (!s.executeStep()) return std::nullopt;
  return read_customer(s);
}

std::vector<SavedMethod> list_methods_locked(Connection& c, const std::string& account_uid,
                                             const std::string& customer_uid) {
  static const std::string sql = std::string("SELECT ") + kMethodColumns +
                                 " FROM saved_methods WHERE account_uid = ? AND customer_uid = ? "
                                 "AND deleted = 0 ORDER BY seq";
  auto& s = c.prepared(sql);
  s.bind(1, account_uid);
  s.bind(2, customer_uid);
  std::vector<SavedMethod> out;
  while (s.executeStep()) out.push_back(read_method(s));
  return out;
}

bool insert_method_locked(Connection& c, const SavedMethod& method) {
  static const std::string sql = std::string("INSERT INTO saved_methods (") + kMethodColumns +
                                 ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  auto& s = c.prepared(sql);
  bind_method(s, method);
  s.exec();
  auto& d = c.prepared(
      "UPDATE customers SET default_pm = ? WHERE account_uid = ? AND uid = ? AND default_pm IS "
      "NULL");
  d.bind(1, method.uid);
  d.bind(2, method.account_uid);
  d.bind(3, method.customer_uid);
  return d.exec() == 1;
}

}  // namespace

WalletStore::WalletStore(Store& store) : store_(store) {
  store_.declare_table(
      "proxy_tokens",
      "CREATE TABLE IF NOT EXISTS proxy_tokens (fingerprint TEXT PRIMARY KEY, account_uid TEXT "
      "NOT NULL, kind TEXT NOT NULL, last4 TEXT, bin TEXT, card_brand TEXT, exp_month INTEGER, "
      "exp_year INTEGER, holder_name TEXT, routing_number TEXT, account_number_suffix TEXT, "
      "account_type TEXT, bank_name TEXT, outcome TEXT NOT NULL, created_at INTEGER, expires_at "
      "INTEGER)",
      true);
  store_.declare_table(
      "customers",
      "CREATE TABLE IF NOT EXISTS customers (seq INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT "
      "NULL UNIQUE, account_uid TEXT NOT NULL, reference_id TEXT NOT NULL, name TEXT, email TEXT, "
      "default_pm TEXT, created_at INTEGER, UNIQUE (account_uid, reference_id))",
      true);
  store_.declare_table(
      "saved_methods",
      "CREATE TABLE IF NOT EXISTS saved_methods (seq INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT "
      "NOT NULL UNIQUE, account_uid TEXT NOT NULL, customer_uid TEXT NOT NULL, kind TEXT NOT "
      "NULL, permanent_token TEXT, last4 TEXT, bin TEXT, card_brand TEXT, exp_month INTEGER, "
      "exp_year INTEGER, holder_name TEXT, routing_number TEXT, account_number_suffix TEXT, "
      "account_type TEXT, bank_name TEXT, outcome TEXT, created_at INTEGER, updated_at INTEGER, "
      "deleted INTEGER NOT NULL DEFAULT 0)",
      true);
  store_.with([](Connection& c) {
    c.exec(
        "CREATE INDEX IF NOT EXISTS saved_methods_by_customer ON saved_methods (account_uid, "
        "customer_uid, deleted)");
    c.exec("CREATE INDEX IF NOT EXISTS customers_by_email ON customers (account_uid, email)");
  });
}

void WalletStore::insert_token(const ProxyToken& t) {
  store_.with([&](Connection& c) {
    auto& s = c.prepared(
        "INSERT INTO proxy_tokens (fingerprint, account_uid, kind, last4, bin, card_brand, "
        "exp_month, exp_year, holder_name, routing_number, account_number_suffix, account_type, "
        "bank_name, outcome, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, t.fingerprint);
    s.bind(2, t.account_uid);
    s.bind(3, kind_name(t.kind));
    s.bind(4, t.card.last4);
    s.bind(5, t.card.bin);
    s.bind(6, t.card.card_brand);
    s.bind(7, t.card.exp_month);
    s.bind(8, t.card.exp_year);
    s.bind(9, t.kind == MethodKind::kAch ? t.ach.holder_name : t.card.holder_name);
    s.bind(10, t.ach.routing_number);
    s.bind(11, t.ach.account_number_suffix);
    s.bind(12, t.ach.account_type);
    s.bind(13, t.ach.bank_name);
    s.bind(14, outcome_name(t.outcome));
    s.bind(15, static_cast<std::int64_t>(t.created_at));
    s.bind(16, static_cast<std::int64_t>(t.expires_at));
    s.exec();
  });
}

int WalletStore::expire_tokens(const std::string& account_uid, Millis now) {
  return store_.with([&](Connection& c) {
    auto& s = c.prepared(
        "UPDATE proxy_tokens SET expires_at = ? WHERE account_uid = ? AND expires_at > ?");
    s.bind(1, static_cast<std::int64_t>(now));
    s.bind(2, account_uid);
    s.bind(3, static_cast<std::int64_t>(now));
    return s.exec();
  });
}

std::optional<ProxyToken> WalletStore::find_token(const std::string& account_uid,
                                                  const std::string& fingerprint) {
  return store_.with([&](Connection& c) -> std::optional<ProxyToken> {
    auto& s = c.prepared(
        "SELECT fingerprint, account_uid, kind, last4, bin, card_brand, exp_month, exp_year, "
        "holder_name, routing_number, account_number_suffix, account_type, bank_name, outcome, "
        "created_at, expires_at FROM proxy_tokens WHERE fingerprint = ? AND account_uid = ?");
    s.bind(1, fingerprint);
    s.bind(2, account_uid);
    if (!s.executeStep()) return std::nullopt;
    ProxyToken t;
    t.fingerprint = s.getColumn(0).getString();
    t.account_uid = s.getColumn(1).getString();
    t.kind = kind_from(s.getColumn(2).getString());
    t.card.last4 = s.getColumn(3).getString();
    t.card.bin = s.getColumn(4).getString();
    t.card.card_brand = s.getColumn(5).getString();
    t.card.exp_month = s.getColumn(6).getInt();
    t.card.exp_year = s.getColumn(7).getInt();
    t.card.holder_name = s.getColumn(8).getString();
    t.ach.holder_name = t.card.holder_name;
    t.ach.routing_number = s.getColumn(9).getString();
    t.ach.account_number_suffix = s.getColumn(10).getString();
    t.ach.account_type = s.getColumn(11).getString();
    t.ach.bank_name = s.getColumn(12).getString();
    t.outcome = outcome_from_name(s.getColumn(13).getString()).value_or(Outcome::kApproved);
    t.created_at = s.getColumn(14).getInt64();
    t.expires_at = s.getColumn(15).getInt64();
    return t;
  });
}

bool WalletStore::insert_customer(const Customer& customer) {
  return store_.with([&](Connection& c) { return insert_customer_locked(c, customer); });
}

std::optional<Customer> WalletStore::find_customer(const std::string& account_uid,
                                                   const std::string& uid) {
  return store_.with([&](Connection& c) -> std::optional<Customer> {
    return find_customer_locked(c, account_uid, uid);
  });
}

std::optional<Customer> WalletStore::find_customer_by_reference(const std::string& account_uid,
                                                                const std::string& reference_id) {
  return store_.with([&](Connection& c) {
    return find_customer_by_reference_locked(c, account_uid, reference_id);
  });
}

std::vector<Customer> WalletStore::list_customers(const std::string& account_uid,
                                                  const ListQuery& query) {
  const std::string sql = std::string("SELECT ") + kCustomerColumns +
                          " FROM customers WHERE account_uid = ?" + list_sql_tail(query);
  return store_.with([&](Connection& c) {
    auto& s = c.prepared(sql);
    s.bind(1, account_uid);
    bind_list_tail(s, 2, query);
    std::vector<Customer> out;
    while (s.executeStep()) out.push_back(read_customer(s));
    return out;
  });
}

void WalletStore::set_default_method(const std::string& account_uid,
                                     const std::string& customer_uid,
                                     const std::optional<std::string>& method_uid) {
  store_.with([&](Connection& c) {
    auto& s = c.prepared("UPDATE customers SET default_pm = ? WHERE account_uid = ? AND uid = ?");
    bind_optional(s, 1, method_uid);
    s.bind(2, account_uid);
    s.bind(3, customer_uid);
    s.exec();
  });
}

bool WalletStore::insert_method(const SavedMethod& method) {
  return store_.transaction([&](Connection& c) { return insert_method_locked(c, method); });
}

std::optional<SavedMethod> WalletStore::find_method(const std::string& account_uid,
                                                    const std::string& uid) {
  return store_.with([&](Connection& c) -> std::optional<SavedMethod> {
    static const std::string sql =
        std::string("SELECT ") + kMethodColumns +
        " FROM saved_methods WHERE account_uid = ? AND uid = ? AND deleted = 0";
    auto& s = c.prepared(sql);
    s.bind(1, account_uid);
    s.bind(2, uid);
    if (!s.executeStep()) return std::nullopt;
    return read_method(s);
  });
}

std::vector<SavedMethod> WalletStore::list_methods(const std::string& account_uid,
                                                   const std::string& customer_uid) {
  return store_.with(
      [&](Connection& c) { return list_methods_locked(c, account_uid, customer_uid); });
}

std::optional<std::pair<Customer, std::vector<SavedMethod>>> WalletStore::find_customer_methods(
    const std::string& account_uid, const std::string& customer_uid) {
  return store_.with(
      [&](Connection& c) -> std::optional<std::pair<Customer, std::vector<SavedMethod>>> {
        auto customer = find_customer_locked(c, account_uid, customer_uid);
        if (!customer) return std::nullopt;
        return std::make_pair(std::move(*customer),
                              list_methods_locked(c, account_uid, customer_uid));
      });
}

void WalletStore::update_method(const SavedMethod& method) {
  store_.with([&](Connection& c) {
    auto& s = c.prepared(kUpdateMethod);
    bind_method(s, method);
    s.exec();
  });
}

std::vector<SavedMethod> WalletStore::list_account_methods(const std::string& account_uid) {
  return store_.with([&](Connection& c) {
    static const std::string sql =
        std::string("SELECT ") + kMethodColumns +
        " FROM saved_methods WHERE account_uid = ? AND deleted = 0 ORDER BY seq";
    auto& s = c.prepared(sql);
    s.bind(1, account_uid);
    std::vector<SavedMethod> out;
    while (s.executeStep()) out.push_back(read_method(s));
    return out;
  });
}

void WalletStore::update_methods(const std::vector<SavedMethod>& methods) {
  store_.transaction([&](Connection& c) {
    for (const auto& method : methods) {
      auto& s = c.prepared(kUpdateMethod);
      bind_method(s, method);
      s.exec();
    }
  });
}

bool WalletStore::delete_method(const std::string& account_uid, const std::string& customer_uid,
                                const std::string& uid) {
  return store_.transaction([&](Connection& c) {
    auto& s = c.prepared(
        "UPDATE saved_methods SET deleted = 1 WHERE account_uid = ? AND customer_uid = ? AND uid "
        "= ? AND deleted = 0");
    s.bind(1, account_uid);
    s.bind(2, customer_uid);
    s.bind(3, uid);
    if (s.exec() != 1) return false;
    auto& d = c.prepared(
        "UPDATE customers SET default_pm = NULL WHERE account_uid = ? AND uid = ? AND default_pm "
        "= ?");
    d.bind(1, account_uid);
    d.bind(2, customer_uid);
    d.bind(3, uid);
    d.exec();
    return true;
  });
}

std::vector<WalletStore::ImportOutcome> WalletStore::import_batch(std::vector<ImportItem>& items) {
  return store_.transaction([&](Connection& c) {
    std::vector<ImportOutcome> out;
    out.reserve(items.size());
    for (auto& item : items) {
      auto existing = find_customer_by_reference_locked(c, item.customer.account_uid,
                                                        item.customer.reference_id);
      if (existing) {
        item.method.customer_uid = existing->uid;
      } else {
        insert_customer_locked(c, item.customer);
        item.method.customer_uid = item.customer.uid;
      }
      insert_method_locked(c, item.method);
      out.push_back({item.method.customer_uid, item.method.uid});
    }
    return out;
  });
}

}  // namespace paysandbox
