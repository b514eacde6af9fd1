#include "store/migrations.h"

#include <vector>

namespace paysandbox {
namespace {

// Adds a column, unless the table is absent (the module store that declares
// it creates it whole, with the column) or already has it.
struct AddColumn {
  const char* table;
  const char* column;
  const char* declaration;  // type, constraints and DEFAULT, as in ALTER TABLE ... ADD COLUMN
};

struct Migration {
  int version;  // the version a file is at once this step has run
  const char* what;
  std::vector<AddColumn> columns;
  std::vector<const char*> statements;  // any other SQL, run after the columns, in order
};

// THE ORDERED LIST OF MIGRATIONS. To change the schema:
//  1. change the CREATE TABLE in the module store (store/*_store.cc) so a new
//     file gets the new shape directly;
//  2. append ONE entry here, numbered one above the last, that brings a file
//     of the previous version to the new shape: a column to add (skipped when
//     the table or the column is already there, so it is safe on any file),
//     and/or statements (CREATE INDEX IF NOT EXISTS, UPDATE to backfill, ...).
// A new table needs an entry too (with nothing in it, or a backfill): the
// version is what tells an older binary the file is newer than it knows.
// Never edit or renumber an entry that has been merged; when two branches
// both append version N, the second to merge renumbers its entry to N + 1.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations = {
      {1,
       "the schema before versions: events gained scheduled_attempts after files were already "
       "in use",
       {{"events", "scheduled_attempts", "INTEGER NOT NULL DEFAULT 0"}},
       {}},
      {2,
       "the documented fields: a payment account's client and checkout branding, a hosted "
       "session's options; the org_clients table is created whole by its store",
       {{"accounts", "client_uid", "TEXT"},
        {"accounts", "branding", "TEXT"},
        {"hosted_sessions", "options", "TEXT NOT NULL DEFAULT '{}'"}},
       {}},
      {3,
       "webhook delivery chaos: the webhook_delivery_chaos table is created whole by its store",
       {},
       {}},
  };
  return kMigrations;
}

bool table_exists(Connection& c, const std::string& table) {
  SQLite::Statement s(c.db(), "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  s.bind(1, table);
  return s.executeStep();
}

bool column_exists(Connection& c, const std::string& table, const std::string& column) {
  SQLite::Statement s(c.db(), "SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
  s.bind(1, table);
  s.bind(2, column);
  return s.executeStep();
}

void set_version(Connection& c, int version) {
  c.exec("PRAGMA user_version = " + std::to_string(version));
}

}  // namespace

int latest_schema_version() { return migrations().back().version; }

int schema_version_of(Connection& connection) {
  SQLite::Statement s(connection.db(), "PRAGMA user_version");
  return s.executeStep() ? s.getColumn(0).getInt() : 0;
}

void migrate(Connection& connection, int found) {
  SQLite::Transaction tx(connection.db());
  for (const auto& migration : migrations()) {
    if (migration.version <= found) continue;
    for (const auto& add : migration.columns) {
      if (!table_exists(connection, add.table) || column_exists(connection, add.table, add.column))
        continue;
      connection.exec(std::string("ALTER TABLE ") + add.table + " ADD COLUMN " + add.column + " " +
                      add.declaration);
    }
    for (const char* statement : migration.statements) connection.exec(statement);
  }
  set_version(connection, latest_schema_version());
  tx.commit();
}

void stamp_latest_schema_version(Connection& connection) {
  set_version(connection, latest_schema_version());
}

}  // namespace paysandbox
