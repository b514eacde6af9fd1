#include "store/wallet_store.h"

#include <sqlite3.h>

#include <unordered_map>

#include "core/payment.h"
#include "store/list_sql.h"
#include "store/rows.h"

namespace paysandbox {
namespace {

constexpr const char* kCustomerColumns =
    "uid, account_uid, reference_id, name, email, default_pm, created_at";

Customer read_customer(SQLite::Statement& s) {
  Customer c;
  c.uid = s.getColumn(0).getString();
  c.account_uid = s.getColumn(1).getString();
  c.reference_id = s.getColumn(2).getString();
  c.name = nullable_text(s.getColumn(3));
  c.email = nullable_text(s.getColumn(4));
  c.default_payment_method_uid = nullable_text(s.getColumn(5));
  c.created_at = s.getColumn(6).getInt64();
  return c;
}

// A saved method's row: its own columns, the bin, then the instrument's.
const std::string kMethodColumns =
    std::string(
        "uid, account_uid, customer_uid, kind, permanent_token, created_at, updated_at, "
        "bin, ") +
    kInstrumentColumns;

SavedMethod read_method(SQLite::Statement& s) {
  SavedMethod m;
  m.uid = s.getColumn(0).getString();
  m.account_uid = s.getColumn(1).getString();
  m.customer_uid = s.getColumn(2).getString();
  m.kind = method_kind_from_name(s.getColumn(3).getString()).value_or(MethodKind::kCredit);
  m.permanent_token = s.getColumn(4).getString();
  m.created_at = s.getColumn(5).getInt64();
  m.updated_at = s.getColumn(6).getInt64();
  m.card.bin = s.getColumn(7).getString();
  read_instrument(s, 8, m.card, m.ach, m.outcome);
  return m;
}

const std::string kUpdateMethod = "UPDATE saved_methods SET " + assignments_for(kMethodColumns) +
                                  " WHERE uid=?1 AND account_uid=?2";

void bind_method(SQLite::Statement& s, const SavedMethod& m) {
  s.bind(1, m.uid);
  s.bind(2, m.account_uid);
  s.bind(3, m.customer_uid);
  s.bind(4, method_kind_name(m.kind));
  s.bind(5, m.permanent_token);
  s.bind(6, static_cast<std::int64_t>(m.created_at));
  s.bind(7, static_cast<std::int64_t>(m.updated_at));
  s.bind(8, m.card.bin);
  bind_instrument(s, 9, m.kind, m.card, m.ach, m.outcome);
}

// A proxy token's row, laid out like a saved method's.
const std::string kTokenColumns =
    std::string("fingerprint, account_uid, kind, created_at, expires_at, bin, ") +
    kInstrumentColumns;

bool insert_customer_locked(Connection& c, const Customer& customer) {
  auto& s = c.prepared(
      "INSERT OR IGNORE INTO customers (uid, account_uid, reference_id, name, email, default_pm, "
      "created_at) VALUES (?,?,?,?,?,?,?)");
  s.bind(1, customer.uid);
  s.bind(2, customer.account_uid);
  s.bind(3, customer.reference_id);
  bind_nullable(s, 4, customer.name);
  bind_nullable(s, 5, customer.email);
  bind_nullable(s, 6, customer.default_payment_method_uid);
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
  return read_first_row(s, read_customer);
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
  return read_first_row(s, read_customer);
}

std::vector<SavedMethod> list_methods_locked(Connection& c, const std::string& account_uid,
                                             const std::string& customer_uid) {
  static const std::string sql = "SELECT " + kMethodColumns +
                                 " FROM saved_methods WHERE account_uid = ? AND customer_uid = ? "
                                 "AND deleted = 0 ORDER BY seq";
  auto& s = c.prepared(sql);
  s.bind(1, account_uid);
  s.bind(2, customer_uid);
  return read_rows(s, read_method);
}

bool insert_method_locked(Connection& c, const SavedMethod& method) {
  static const std::string sql = "INSERT INTO saved_methods (" + kMethodColumns + ") VALUES (" +
                                 placeholders_for(kMethodColumns) + ")";
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

// A customer and its live methods as last read, for the list that clients
// poll (GET /api/customers/{uid}/payment-methods): reading them again from
// SQLite was a third of that route's time. An entry is good only while the
// database is exactly as it was when the entry was read, which the stamp
// tells: the connection's count of changed rows (every write through it
// moves it, one rolled back later too) and, for a file, SQLite's data
// version (moved by a commit from any other connection to the file).
// Entries are made and used only outside a transaction, so none holds rows
// that a rollback would take back, or that a batch not yet committed wrote.
// When the stamp moves, every entry goes.
struct WalletStore::MethodsCache {
  struct Stamp {
    std::int64_t changes = -1;
    std::int64_t data_version = 0;
    bool operator==(const Stamp& other) const {
      return changes == other.changes && data_version == other.data_version;
    }
  };
  using Entry = std::optional<std::pair<Customer, std::vector<SavedMethod>>>;
  static constexpr std::size_t kMaxEntries = 4096;

  // The database's stamp now, or none inside a transaction (nothing is
  // cached or served from the cache there). Only a file can be written by
  // another connection; asking SQLite its data version (a statement) is
  // needed there alone.
  static std::optional<Stamp> stamp_of(Connection& c, bool file) {
    sqlite3* db = c.db().getHandle();
    if (sqlite3_get_autocommit(db) == 0) return std::nullopt;
    Stamp stamp;
    stamp.changes = c.total_changes();
    if (file) {
      auto& version = c.prepared("PRAGMA data_version");
      if (!version.executeStep()) return std::nullopt;
      stamp.data_version = version.getColumn(0).getInt64();
      version.reset();
    }
    return stamp;
  }

  Stamp stamp;
  std::unordered_map<std::string, Entry> entries;
};

WalletStore::~WalletStore() = default;

WalletStore::WalletStore(Store& store)
    : store_(store), methods_cache_(std::make_unique<MethodsCache>()) {
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
    c.exec("CREATE INDEX IF NOT EXISTS customers_by_account ON customers (account_uid, seq)");
    c.exec(
        "CREATE INDEX IF NOT EXISTS proxy_tokens_by_account ON proxy_tokens (account_uid, "
        "expires_at)");
  });
}

void WalletStore::insert_token(const ProxyToken& t) {
  store_.with([&](Connection& c) {
    static const std::string sql = "INSERT INTO proxy_tokens (" + kTokenColumns + ") VALUES (" +
                                   placeholders_for(kTokenColumns) + ")";
    auto& s = c.prepared(sql);
    s.bind(1, t.fingerprint);
    s.bind(2, t.account_uid);
    s.bind(3, method_kind_name(t.kind));
    s.bind(4, static_cast<std::int64_t>(t.created_at));
    s.bind(5, static_cast<std::int64_t>(t.expires_at));
    s.bind(6, t.card.bin);
    bind_instrument(s, 7, t.kind, t.card, t.ach, t.outcome);
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
    static const std::string sql =
        "SELECT " + kTokenColumns + " FROM proxy_tokens WHERE fingerprint = ? AND account_uid = ?";
    auto& s = c.prepared(sql);
    s.bind(1, fingerprint);
    s.bind(2, account_uid);
    if (!s.executeStep()) return std::nullopt;
    ProxyToken t;
    t.fingerprint = s.getColumn(0).getString();
    t.account_uid = s.getColumn(1).getString();
    t.kind = method_kind_from_name(s.getColumn(2).getString()).value_or(MethodKind::kCredit);
    t.created_at = s.getColumn(3).getInt64();
    t.expires_at = s.getColumn(4).getInt64();
    t.card.bin = s.getColumn(5).getString();
    read_instrument(s, 6, t.card, t.ach, t.outcome);
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
  static const std::string select =
      std::string("SELECT ") + kCustomerColumns + " FROM customers WHERE account_uid = ?";
  return list_page(store_, select, account_uid, query, read_customer);
}

void WalletStore::set_default_method(const std::string& account_uid,
                                     const std::string& customer_uid,
                                     const std::optional<std::string>& method_uid) {
  store_.with([&](Connection& c) {
    auto& s = c.prepared("UPDATE customers SET default_pm = ? WHERE account_uid = ? AND uid = ?");
    bind_nullable(s, 1, method_uid);
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
        "SELECT " + kMethodColumns +
        " FROM saved_methods WHERE account_uid = ? AND uid = ? AND deleted = 0";
    auto& s = c.prepared(sql);
    s.bind(1, account_uid);
    s.bind(2, uid);
    return read_first_row(s, read_method);
  });
}

std::vector<SavedMethod> WalletStore::list_methods(const std::string& account_uid,
                                                   const std::string& customer_uid) {
  return store_.with(
      [&](Connection& c) { return list_methods_locked(c, account_uid, customer_uid); });
}

std::optional<std::pair<Customer, std::vector<SavedMethod>>> WalletStore::find_customer_methods(
    const std::string& account_uid, const std::string& customer_uid) {
  return store_.with([&](Connection& c) -> MethodsCache::Entry {
    auto read = [&]() -> MethodsCache::Entry {
      auto customer = find_customer_locked(c, account_uid, customer_uid);
      if (!customer) return std::nullopt;
      return std::make_pair(std::move(*customer),
                            list_methods_locked(c, account_uid, customer_uid));
    };
    MethodsCache& cache = *methods_cache_;
    const auto stamp = MethodsCache::stamp_of(c, store_.persistent());
    if (!stamp) return read();
    if (!(*stamp == cache.stamp) || cache.entries.size() >= MethodsCache::kMaxEntries) {
      cache.entries.clear();
      cache.stamp = *stamp;
    }
    std::string key = account_uid;
    key += '\n';
    key += customer_uid;
    auto found = cache.entries.find(key);
    if (found != cache.entries.end()) return found->second;
    MethodsCache::Entry entry = read();
    cache.entries.emplace(std::move(key), entry);
    return entry;
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
        "SELECT " + kMethodColumns +
        " FROM saved_methods WHERE account_uid = ? AND deleted = 0 ORDER BY seq";
    auto& s = c.prepared(sql);
    s.bind(1, account_uid);
    return read_rows(s, read_method);
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
