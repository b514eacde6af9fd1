#include "store/client_store.h"

#include "store/list_sql.h"

namespace paysandbox {
namespace {

constexpr const char* kClientColumns =
    "uid, owner, customer_id, name, timezone, subdomain, created_at";

OrgClient read_client(SQLite::Statement& s) {
  OrgClient c;
  c.uid = s.getColumn(0).getString();
  c.owner = s.getColumn(1).getString();
  c.customer_id = s.getColumn(2).getString();
  c.name = s.getColumn(3).getString();
  c.timezone = s.getColumn(4).getString();
  c.subdomain = s.getColumn(5).getString();
  c.created_at = s.getColumn(6).getInt64();
  return c;
}

}  // namespace

ClientStore::ClientStore(Store& store) : store_(store) {
  store_.declare_table(
      "org_clients",
      "CREATE TABLE IF NOT EXISTS org_clients (seq INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT "
      "NOT NULL UNIQUE, owner TEXT NOT NULL, customer_id TEXT NOT NULL, name TEXT NOT NULL, "
      "timezone TEXT NOT NULL, subdomain TEXT NOT NULL, created_at INTEGER NOT NULL)",
      false);
}

void ClientStore::insert(const OrgClient& client) {
  store_.with([&](Connection& c) {
    static const std::string sql = std::string("INSERT INTO org_clients (") + kClientColumns +
                                   ") VALUES (" + placeholders_for(kClientColumns) + ")";
    auto& s = c.prepared(sql);
    s.bind(1, client.uid);
    s.bind(2, client.owner);
    s.bind(3, client.customer_id);
    s.bind(4, client.name);
    s.bind(5, client.timezone);
    s.bind(6, client.subdomain);
    s.bind(7, static_cast<std::int64_t>(client.created_at));
    s.exec();
  });
}

std::optional<OrgClient> ClientStore::find(const std::string& owner, const std::string& uid) {
  return store_.with([&](Connection& c) -> std::optional<OrgClient> {
    auto& s = c.prepared(std::string("SELECT ") + kClientColumns +
                         " FROM org_clients WHERE owner = ? AND uid = ?");
    s.bind(1, owner);
    s.bind(2, uid);
    return read_first_row(s, read_client);
  });
}

std::vector<OrgClient> ClientStore::list(const std::string& owner, const ListQuery& query) {
  static const std::string select =
      std::string("SELECT ") + kClientColumns + " FROM org_clients WHERE owner = ?";
  return list_page(store_, select, owner, query, read_client);
}

}  // namespace paysandbox
