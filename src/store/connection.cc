#include "store/connection.h"

#include <filesystem>
#include <stdexcept>

namespace paysandbox {

// NOMUTEX: the connection is only ever used under Store's mutex (see
// Store::with), so SQLite's own per-connection mutex, taken and released on
// every bind, step and column read, would only repeat that lock.
Connection::Connection(const std::string& path)
    : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX) {}

SQLite::Statement& Connection::prepared(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    it = statements_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
  } else {
    it->second->reset();
    it->second->clearBindings();
  }
  in_use_.push_back(it->second.get());
  return *it->second;
}

void Connection::release_statements() {
  for (auto* statement : in_use_) statement->reset();
  in_use_.clear();
}

Store::Store(const std::string& path) : persistent_(path != ":memory:" && !path.empty()) {
  // SQLite creates the file but not its directory; say which one is missing.
  if (persistent_) {
    const auto directory = std::filesystem::path(path).parent_path();
    std::error_code ignored;
    if (!directory.empty() && !std::filesystem::is_directory(directory, ignored))
      throw std::runtime_error("cannot use database '" + path + "': the directory '" +
                               directory.string() + "' does not exist (create it first)");
  }
  try {
    connection_ = std::make_unique<Connection>(path.empty() ? ":memory:" : path);
    if (persistent_) {
      // WAL with synchronous=NORMAL: a commit is appended to the WAL file with
      // write(2) before the API answers, so it sits in the kernel's page cache
      // and survives the process being killed (even kill -9). Only a power
      // loss or kernel crash could drop the last few commits, which a test
      // sandbox does not need to survive; FULL would fsync every write and cut
      // write throughput by an order of magnitude for no benefit here.
      connection_->exec("PRAGMA journal_mode=WAL");
      connection_->exec("PRAGMA synchronous=NORMAL");
      connection_->exec("PRAGMA busy_timeout=5000");
    }
    connection_->exec("PRAGMA foreign_keys=OFF");
    // Fail now, with the path in the message, if the file is not a database
    // or is not writable.
    connection_->exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)");
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot use database '" + path + "': " + e.what());
  }
  tables_.emplace_back("meta");
}

void Store::declare_table(const std::string& name, const std::string& create_sql,
                          bool account_scoped, bool kept_on_global_reset) {
  std::lock_guard<std::mutex> lock(mutex_);
  connection_->exec(create_sql);
  if (!kept_on_global_reset) tables_.push_back(name);
  if (account_scoped) account_tables_.push_back(name);
}

void Store::delete_account_rows(Connection& connection, const std::string& account_uid) {
  for (const auto& table : account_tables_) {
    auto& stmt = connection.prepared("DELETE FROM " + table + " WHERE account_uid = ?");
    stmt.bind(1, account_uid);
    stmt.exec();
  }
}

void Store::delete_all_rows(Connection& connection) {
  for (const auto& table : tables_) connection.exec("DELETE FROM " + table);
}

}  // namespace paysandbox
