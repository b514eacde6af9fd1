#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "core/thread_annotations.h"
#include "store/crash_point.h"
#include "store/failure.h"

namespace paysandbox {

// Whether T is a Result<...> (Status included).
template <typename T>
struct is_result : std::false_type {};
template <typename T>
struct is_result<Result<T>> : std::true_type {};

// One SQLite connection with a cache of prepared statements. Not thread-safe
// by itself: Store hands it out only while holding its mutex.
class Connection {
 public:
  explicit Connection(const std::string& path);

  SQLite::Database& db() { return db_; }
  // A prepared statement for `sql`, reset and with its bindings cleared. The
  // cache is keyed by the text, so pass the same literal each time.
  SQLite::Statement& prepared(const std::string& sql);
  void exec(const std::string& sql) {
    last_sql_ = sql;
    db_.exec(sql);
  }
  std::int64_t changes() const { return db_.getChanges(); }
  std::int64_t total_changes();
  // Resets every statement handed out since the last call, so none keeps a
  // read snapshot open (which would stop WAL checkpoints) between requests.
  void release_statements();
  // The text of every statement prepared() has cached (the plan tests read
  // them back to check each one uses an index).
  std::vector<std::string> cached_statements() const;
  // The statement last prepared or executed, to name a failed operation.
  const std::string& last_sql() const { return last_sql_; }

 private:
  SQLite::Database db_;
  std::string last_sql_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
  std::vector<SQLite::Statement*> in_use_;
};

// The one store behind every mode: SQLite ":memory:" by default, a file with
// --db. A single connection keeps ":memory:" and file mode identical.
//
// Locking. mutex_ protects the connection and everything below it. It is the
// one lock the compiler's analysis (core/thread_annotations.h) does not check:
// a unit of work takes it in Transaction's constructor and gives it back in its
// destructor, and the owning thread re-enters the store without locking again,
// an ownership the annotations cannot describe; the ThreadSanitizer run of the
// [concurrency] tests checks it instead. A thread holds it in one of two ways:
//  - for one call: with() and a transaction() begun outside a unit of work
//    take it for the length of the call (reads, background writers such as
//    the dispatcher and clock advances);
//  - for a unit of work: a Transaction begun by a thread that does not hold
//    the store takes mutex_ and keeps it, with one SQLite transaction open,
//    until commit() or its destructor. That thread is the owner; its own
//    with(), transaction() and nested Transactions run inside it (nested
//    ones as SAVEPOINTs) without locking again. Every other thread waits at
//    its next store call, so a unit of work sees no interleaved writes.
// Deadlock freedom: while it owns the store, a thread may take other locks
// (clock, account cache, a session's confirm lock), but no thread may wait
// for the store while holding a lock an owner can ask for. Code that needs
// a lock around store calls takes the store first (a transaction()), not a
// mutex of its own; and work that waits for other threads (clock advances
// that run webhook deliveries, long-polls) never runs inside a unit of work.
class Store {
 public:
  // Opens (creating if needed) the database and brings an older schema
  // forward (store/migrations.h); throws std::runtime_error with a one-line
  // reason when the path cannot be used or was written by a newer release.
  explicit Store(const std::string& path);

  bool persistent() const { return persistent_; }
  // The database file, or ":memory:".
  const std::string& path() const { return path_; }

  // What the store holds (GET /_sandbox/stats): the rows of every table, by
  // name, and the bytes of the database (its pages, in memory or in the
  // file) and of the file's write-ahead log (0 in memory). Counting reads
  // every table's smallest index: for a file, on a read-only connection of
  // its own (WAL lets it read beside the writers, so requests do not wait
  // for it); in memory, under the store's lock.
  struct Footprint {
    std::vector<std::pair<std::string, std::int64_t>> rows;
    std::int64_t database_bytes = 0;
    std::int64_t wal_bytes = 0;
  };
  Footprint footprint();

  // A unit of work: everything this thread writes until commit() is one
  // SQLite transaction, and actions queued with after_commit() run once it
  // is committed (in order, after mutex_ is released). The destructor rolls
  // back what was not committed and drops its actions. Begun inside another
  // one on the same thread, it is a SAVEPOINT within it.
  class Transaction {
   public:
    explicit Transaction(Store& store);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();
    // Whether any row was written since this unit began.
    bool wrote();
    // Lets the test-only crash points (store/crash_point.h) fire inside this
    // unit; `key` is the request's Idempotency-Key.
    void arm_crash_points(const std::string& key);

   private:
    Store& store_;
    std::unique_lock<std::mutex> lock_;  // owns mutex_ in the outermost unit only
    bool outermost_ = false;
    bool finished_ = false;
    std::string savepoint_;
    std::size_t actions_mark_ = 0;
    std::int64_t changes_at_start_ = 0;
  };

  // Runs f with the connection, under the store's lock. An SQLite error in
  // f becomes the store's named error (store/failure.h): the error value
  // when f returns a Result or Status, a StoreFailure otherwise.
  template <typename F>
  decltype(auto) with(F&& f) {
    return reported([&]() -> decltype(auto) {
      std::unique_lock<std::mutex> lock(mutex_, std::defer_lock);
      if (!owned_here()) lock.lock();
      Releaser releaser{*connection_};
      return guarded(f);
    });
  }

  // Runs f inside one transaction (a SAVEPOINT inside a unit of work):
  // committed when f returns, rolled back when it throws. Errors as with().
  template <typename F>
  decltype(auto) transaction(F&& f) {
    return reported([&]() -> decltype(auto) {
      Transaction tx(*this);
      if constexpr (std::is_void_v<decltype(f(*connection_))>) {
        guarded(f);
        tx.commit();
      } else {
        auto result = guarded(f);
        tx.commit();
        return result;
      }
    });
  }

  // Runs `action` once what this thread wrote so far is committed: at the
  // commit of its unit of work, or now when it has none open. Dropped if the
  // unit rolls back. Used to tell other threads (the webhook dispatcher,
  // long-polls) about rows they may now read.
  void after_commit(std::function<void()> action);

  // A test-only crash point (store/crash_point.h), honoured only inside a
  // unit of work armed on this thread.
  void crash_point(CrashPoint point);

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
  bool owned_here() const { return owner_.load() == std::this_thread::get_id(); }
  // The one place an SQLite::Exception is caught: f(connection), with one
  // turned into a StoreFailure naming the statement that failed (named here,
  // before a rollback runs statements of its own).
  template <typename F>
  decltype(auto) guarded(F&& f) {
    try {
      return f(*connection_);
    } catch (const SQLite::Exception& e) {
      throw StoreFailure(storage_error(e.getErrorCode(), e.what(), connection_->last_sql()));
    }
  }
  // run(), with a StoreFailure from it handed back as the error value when
  // run returns a Result (after the transaction in it rolled back).
  template <typename Run>
  decltype(auto) reported(Run&& run) {
    using R = std::decay_t<decltype(run())>;
    if constexpr (is_result<R>::value) {
      try {
        return run();
      } catch (const StoreFailure& e) {
        return R(e.error());
      }
    } else {
      return run();
    }
  }
  // Runs an SQL command of the store's own (BEGIN, COMMIT, SAVEPOINT...).
  void command(const std::string& sql) {
    guarded([&sql](Connection& c) { c.exec(sql); });
  }

  bool persistent_;
  std::string path_;
  Mutex footprint_mutex_;
  // Read-only, opened by footprint().
  std::unique_ptr<SQLite::Database> footprint_db_ GUARDED_BY(footprint_mutex_);
  std::mutex mutex_;  // protects connection_ and every member below it
  // The thread in a unit of work (it holds mutex_), or none. Written only by
  // that thread while it holds mutex_; read by any thread to learn whether
  // it is the owner, which only the owner itself can find true.
  std::atomic<std::thread::id> owner_{};
  std::unique_ptr<Connection> connection_;
  int depth_ = 0;  // nesting of the owner's Transactions
  bool crash_armed_ = false;
  std::vector<std::function<void()>> after_commit_;
  std::vector<std::string> tables_;
  std::vector<std::string> account_tables_;
};

}  // namespace paysandbox
