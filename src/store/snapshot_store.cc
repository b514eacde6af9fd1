#include "store/snapshot_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace paysandbox {
namespace {

constexpr const char* kAttached = "snap";
constexpr int kImageVersion = 1;

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// Attaches an empty in-memory database as `snap` for as long as it lives.
// ATTACH and DETACH cannot run inside a transaction, so the scope wraps it
// (in Store::outside_transaction, which commits a batch left open).
class Attached {
 public:
  explicit Attached(Connection& c) : c_(c) { c_.exec("ATTACH DATABASE ':memory:' AS snap"); }
  ~Attached() {
    c_.release_statements();
    try {
      c_.exec("DETACH DATABASE snap");
    } catch (const std::exception&) {
      // Only fails while a statement still reads it; nothing to do here.
    }
  }
  Attached(const Attached&) = delete;
  Attached& operator=(const Attached&) = delete;

 private:
  Connection& c_;
};

std::vector<std::string> columns(Connection& c, const std::string& schema,
                                 const std::string& table) {
  SQLite::Statement s(c.db(), "PRAGMA " + schema + ".table_info(" + table + ")");
  std::vector<std::string> out;
  while (s.executeStep()) out.push_back(s.getColumn(1).getString());
  return out;
}

bool has_table(Connection& c, const std::string& schema, const std::string& table) {
  SQLite::Statement s(
      c.db(), "SELECT 1 FROM " + schema + ".sqlite_master WHERE type = 'table' AND name = ?");
  s.bind(1, table);
  return s.executeStep();
}

std::string joined(const std::vector<std::string>& names, const std::string& prefix = {}) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + prefix + name;
  return out;
}

std::int64_t count_rows(Connection& c, const std::string& table) {
  SQLite::Statement s(c.db(), "SELECT count(*) FROM snap." + table);
  s.executeStep();
  return s.getColumn(0).getInt64();
}

// The rows of `table` the image holds for `account_uid` (empty: all).
std::string owner_filter(const std::string& table, const std::string& account_uid) {
  if (account_uid.empty()) return {};
  return std::string(" WHERE ") + (table == "accounts" ? "uid" : "account_uid") + " = " +
         quoted(account_uid);
}

// The tables an image of `account_uid` covers.
std::vector<std::string> covered(const Store& store, const std::string& account_uid) {
  if (account_uid.empty()) return store.tables();
  std::vector<std::string> tables = store.account_tables();
  tables.emplace_back("accounts");
  return tables;
}

bool is_id_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Replaces every id (a lowercase prefix, '_', then exactly 24 letters or
// digits) in `text` by its mapped value, minting one for ids not seen yet.
class IdMapper {
 public:
  IdMapper(std::function<std::string(const std::string&)> mint) : mint_(std::move(mint)) {}
  void set(const std::string& from, const std::string& to) { map_[from] = to; }

  std::string rewrite(const std::string& text) {
    std::string out;
    size_t copied = 0;
    for (size_t i = 0; i < text.size();) {
      if ((i > 0 && (is_id_char(text[i - 1]) || text[i - 1] == '_')) ||
          !std::islower(static_cast<unsigned char>(text[i]))) {
        ++i;
        continue;
      }
      size_t p = i;
      while (p < text.size() && p - i < 8 && std::islower(static_cast<unsigned char>(text[p]))) ++p;
      size_t end = p + 1 + 24;
      if (p >= text.size() || text[p] != '_' || end > text.size() ||
          !std::all_of(text.begin() + p + 1, text.begin() + end, is_id_char) ||
          (end < text.size() && is_id_char(text[end]))) {
        ++i;
        continue;
      }
      const std::string id = text.substr(i, end - i);
      auto it = map_.find(id);
      if (it == map_.end()) it = map_.emplace(id, mint_(text.substr(i, p + 1 - i))).first;
      out.append(text, copied, i - copied);
      out += it->second;
      copied = i = end;
    }
    if (copied == 0) return text;
    out.append(text, copied, std::string::npos);
    return out;
  }

 private:
  std::function<std::string(const std::string&)> mint_;
  std::unordered_map<std::string, std::string> map_;
};

}  // namespace

SnapshotStore::SnapshotStore(Store& store) : store_(store) {}

SnapshotStore::Image SnapshotStore::save(const std::string& name, const std::string& account_uid) {
  return store_.outside_transaction([&](Connection& c) {
    Attached attached(c);
    Image image;
    image.name = name;
    image.account_uid = account_uid;
    {
      SQLite::Transaction read(c.db());  // one consistent view of every table
      for (const auto& table : covered(store_, account_uid)) {
        c.exec("CREATE TABLE snap." + table + " AS SELECT * FROM main." + table +
               owner_filter(table, account_uid));
        image.rows += count_rows(c, table);
      }
      c.exec("CREATE TABLE snap.snapshot_info (key TEXT PRIMARY KEY, value TEXT)");
      c.exec("INSERT INTO snap.snapshot_info VALUES ('version', '" + std::to_string(kImageVersion) +
             "'), ('account_uid', " + quoted(account_uid) + "), ('name', " + quoted(name) + ")");
      read.commit();
    }
    sqlite3_int64 size = 0;
    unsigned char* data = sqlite3_serialize(c.db().getHandle(), kAttached, &size, 0);
    if (data == nullptr) throw std::runtime_error("the snapshot could not be serialized");
    image.bytes.assign(reinterpret_cast<const char*>(data), static_cast<size_t>(size));
    sqlite3_free(data);
    return image;
  });
}

namespace {

std::string info(Connection& c, const std::string& key) {
  SQLite::Statement s(c.db(), "SELECT value FROM snap.snapshot_info WHERE key = ?");
  s.bind(1, key);
  if (!s.executeStep()) throw std::runtime_error("not a snapshot file (no " + key + ")");
  return s.getColumn(0).getString();
}

// Loads `bytes` into the attached database and answers the account it
// holds; throws when it is not an image.
std::string load_image(Connection& c, const std::string& bytes) {
  if (bytes.size() < 100 || bytes.compare(0, 16, std::string("SQLite format 3\0", 16)) != 0)
    throw std::runtime_error("not a snapshot file (expected an SQLite database image)");
  auto* data = static_cast<unsigned char*>(sqlite3_malloc64(bytes.size()));
  if (data == nullptr) throw std::runtime_error("out of memory loading a snapshot");
  // Binary bytes, not a string: copied whole, no terminator.
  std::copy(bytes.begin(), bytes.end(), data);
  int rc = sqlite3_deserialize(c.db().getHandle(), kAttached, data, bytes.size(), bytes.size(),
                               SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
  if (rc != SQLITE_OK) throw std::runtime_error("not a snapshot file (the image does not load)");
  if (!has_table(c, kAttached, "snapshot_info"))
    throw std::runtime_error("not a snapshot file (no snapshot_info table)");
  return info(c, "account_uid");
}

}  // namespace

SnapshotStore::Image SnapshotStore::inspect(const std::string& bytes) {
  return store_.outside_transaction([&](Connection& c) {
    Attached attached(c);
    Image image;
    image.account_uid = load_image(c, bytes);
    image.name = info(c, "name");
    for (const auto& table : covered(store_, image.account_uid))
      if (has_table(c, kAttached, table)) image.rows += count_rows(c, table);
    image.bytes = bytes;
    return image;
  });
}

void SnapshotStore::restore(const Image& image) {
  store_.outside_transaction([&](Connection& c) {
    Attached attached(c);
    const std::string account_uid = load_image(c, image.bytes);
    SQLite::Transaction tx(c.db());
    for (const auto& table : covered(store_, account_uid)) {
      c.exec("DELETE FROM main." + table + owner_filter(table, account_uid));
      if (!has_table(c, kAttached, table)) continue;
      // Columns both sides know, so an image from an older schema loads.
      auto wanted = columns(c, "main", table);
      auto held = columns(c, kAttached, table);
      wanted.erase(std::remove_if(wanted.begin(), wanted.end(),
                                  [&](const std::string& name) {
                                    return std::find(held.begin(), held.end(), name) == held.end();
                                  }),
                   wanted.end());
      c.exec("INSERT INTO main." + table + " (" + joined(wanted) + ") SELECT " + joined(wanted) +
             " FROM snap." + table);
    }
    c.release_statements();
    tx.commit();
  });
}

std::int64_t SnapshotStore::fork(const std::string& source_uid, const std::string& target_uid,
                                 const std::string& webhook_secret,
                                 const std::function<std::string(const std::string&)>& new_id) {
  static const std::vector<std::string> kNotCopied = {"webhook_deliveries", "idempotency_keys"};
  return store_.transaction([&](Connection& c) {
    IdMapper ids(new_id);
    ids.set(source_uid, target_uid);
    std::int64_t copied = 0;
    std::vector<std::string> tables = {"accounts"};
    for (const auto& table : store_.account_tables())
      if (std::find(kNotCopied.begin(), kNotCopied.end(), table) == kNotCopied.end() &&
          table.find("chaos") == std::string::npos)
        tables.push_back(table);
    for (const auto& table : tables) {
      auto all = columns(c, "main", table);
      std::vector<std::string> cols;  // seq is the target's own
      for (const auto& name : all)
        if (name != "seq") cols.push_back(name);
      std::string marks;
      for (size_t i = 0; i < cols.size(); ++i) marks += i == 0 ? "?" : ", ?";
      SQLite::Statement read(c.db(), "SELECT " + joined(cols) + " FROM main." + table +
                                         owner_filter(table, source_uid) + " ORDER BY rowid");
      SQLite::Statement write(
          c.db(), "INSERT INTO main." + table + " (" + joined(cols) + ") VALUES (" + marks + ")");
      while (read.executeStep()) {
        write.reset();
        write.clearBindings();
        for (int i = 0; i < static_cast<int>(cols.size()); ++i) {
          SQLite::Column column = read.getColumn(i);
          if (table == "accounts" && cols[i] == "webhook_secret") {
            write.bind(i + 1, webhook_secret);
          } else if (column.isText()) {
            write.bind(i + 1, ids.rewrite(column.getString()));
          } else if (column.isInteger()) {
            write.bind(i + 1, column.getInt64());
          } else if (column.isFloat()) {
            write.bind(i + 1, column.getDouble());
          } else if (column.isBlob()) {
            write.bind(i + 1, column.getBlob(), column.getBytes());
          } else {
            write.bind(i + 1);
          }
        }
        write.exec();
        ++copied;
      }
    }
    return copied;
  });
}

}  // namespace paysandbox
