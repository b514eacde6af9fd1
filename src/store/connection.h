#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace paysandbox {

// One SQLite connection with a cache of prepared statements. Not thread-safe
// by itself: Store hands it out only while holding its mutex.
class Connection {
 public:
  explicit Connection(const std::string& path);

  SQLite::Database& db() { return db_; }
  // A prepared statement for `sql`, reset and with its bindings cleared. The
  // cache is keyed by the text, so pass the same literal each time.
  SQLite::Statement& prepared(const std::string& sql);
  void exec(const std::string& sql) { db_.exec(sql); }
  std::int64_t changes() const { return db_.getChanges(); }
  // Resets every statement handed out since the last call, so none keeps a
  // read snapshot open (which would stop WAL checkpoints) between requests.
  void release_statements();

 private:
  SQLite::Database db_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
  std::vector<SQLite::Statement*> in_use_;
};

// The one store behind every mode: SQLite ":memory:" by default, a file with
// --db. All access goes through with() / transaction(), which serialize on one
// mutex; a single connection keeps ":memory:" and file mode identical and
// makes check-then-insert sequences (unique reference_id) atomic.
class Store {
 public:
  // Opens (creating if needed) the database; throws std::runtime_error with a
  // one-line reason when the path cannot be used.
  explicit Store(const std::string& path);

  bool persistent() const { return persistent_; }

  template <typename F>
  decltype(auto) with(F&& f) {
    std::lock_guard<std::mutex> lock(mutex_);
    Releaser releaser{*connection_};
    return f(*connection_);
  }

  // Runs f inside one transaction: committed when f returns, rolled back when
  // it throws.
  template <typename F>
  decltype(auto) transaction(F&& f) {
    std::lock_guard<std::mutex> lock(mutex_);
    Releaser releaser{*connection_};
    SQLite::Transaction tx(connection_->db());
    if constexpr (std::is_void_v<decltype(f(*connection_))>) {
      f(*connection_);
      connection_->release_statements();
      tx.commit();
    } else {
      auto result = f(*connection_);
      connection_->release_statements();
      tx.commit();
      return result;
    }
  }

  // Module stores declare their tables here. `account_scoped` tables have an
  // account_uid column and are emptied for that account by reset_account().
  // `kept_on_global_reset` tables (issued bearer tokens) survive even a global
  // reset, so a test suite's token stays valid across resets.
  void declare_table(const std::string& name, const std::string& create_sql, bool account_scoped,
                     bool kept_on_global_reset = false);

  // Removes every row an account owns in account-scoped tables.
  void delete_account_rows(Connection& connection, const std::string& account_uid);
  // Empties every declared table.
  void delete_all_rows(Connection& connection);

  // The declared tables a global reset empties (the state a whole snapshot
  // holds), and those of them that are account-scoped.
  const std::vector<std::string>& tables() const { return tables_; }
  const std::vector<std::string>& account_tables() const { return account_tables_; }

 private:
  struct Releaser {
    Connection& connection;
    ~Releaser() { connection.release_statements(); }
  };

  bool persistent_;
  std::mutex mutex_;  // protects connection_ and everything read through it
  std::unique_ptr<Connection> connection_;
  std::vector<std::string> tables_;
  std::vector<std::string> account_tables_;
};

}  // namespace paysandbox
