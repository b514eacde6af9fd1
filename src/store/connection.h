#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "core/thread_annotations.h"
#include "core/waiting.h"
#include "store/checkpointer.h"
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
  // Runs one statement that returns no rows through the cache of prepared
  // statements: the store's own BEGIN, COMMIT, SAVEPOINT and RELEASE run on
  // every unit of work, and parsing them each time was a tenth of a write
  // request's time.
  void run(const std::string& sql) { prepared(sql).exec(); }
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

// The one store behind every mode: a database in memory by default (in
// SQLite's memdb file system; connection.cc says why not ":memory:"), a file
// with --db. A single connection keeps memory and file mode identical.
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
//
// Group commit (a file store only; in memory each unit commits at once, as
// there is nothing to make durable). The SQLite transaction is a *batch*
// shared by consecutive holders of mutex_: a unit of work is a SAVEPOINT in
// it (its commit a RELEASE, its rollback a ROLLBACK TO that undoes only its
// own writes), and a with() or transaction() outside a unit runs in it too.
// A holder that lets go of mutex_ while other threads wait for it, and the
// batch is young and small (kBatchUnits, kBatchAge), hands the open batch on
// to them; otherwise it COMMITs the batch. So with no one waiting a unit
// commits at once, as before, and under load one COMMIT covers many units.
// Nothing read or written in a batch leaves the store before the batch is
// committed: a unit's commit(), and a with() or transaction() that ran in an
// open batch, return only once its COMMIT is done (waiting on batch_settled_,
// without mutex_), and throw the store's error if it failed (then every
// member's writes are gone, and none has answered). after_commit() actions
// run after that wait. A unit committed with commit_or_defer() on a thread
// that can answer later (an accepting Deferral, core/waiting.h) does not wait:
// it leaves the wait, and its actions, to the Deferral's holder, which answers
// only once the batch is settled (when_settled, failure_of).
//
// Deadlock freedom: while it owns the store, a thread may take other locks
// (clock, account cache, a session's confirm lock), but no thread may wait
// for the store while holding a lock an owner can ask for. Waiting for the
// store includes waiting for a batch's COMMIT, which the threads holding
// mutex_ after this one bring about: any with(), transaction() or commit()
// outside a unit of work can wait so. Code that needs a lock around store
// calls takes the store first (a transaction()), not a mutex of its own;
// where a lock of its own is held across a store call (the idempotency
// service's, the dispatcher's), no owner may ever ask for it. Work that waits
// for other threads (clock advances that run webhook deliveries, long-polls)
// never runs inside a unit of work. A unit's commit() waits only after it
// has let go of mutex_, and the request's unit commits after its route has
// returned (holding no lock of the route's).
class Store {
 public:
  // Opens (creating if needed) the database and brings an older schema
  // forward (store/migrations.h); throws std::runtime_error with a one-line
  // reason when the path cannot be used or was written by a newer release.
  explicit Store(const std::string& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  bool persistent() const { return persistent_; }
  // How many batches a file store has committed (group commit; see Locking):
  // fewer than its units of work when they shared COMMITs. For tests.
  std::uint64_t batches_committed();
  // The database file, or ":memory:" for the in-memory store.
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
  // SQLite transaction (in a file store, one savepoint in the batch it
  // joins), and actions queued with after_commit() run once it is committed
  // (in order, after mutex_ is released). commit() returns once that is
  // durable, and throws StoreFailure if it failed. The destructor rolls back
  // what was not committed and drops its actions. Begun inside another one on
  // the same thread, it is a SAVEPOINT within it.
  class Transaction {
   public:
    explicit Transaction(Store& store);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();
    // commit(), but in a file store's outermost unit, on a thread with an
    // accepting Deferral scope (core/waiting.h), it does not wait for the
    // batch's COMMIT: it leaves that wait, and the after-commit actions, in
    // the scope, and returns at once.
    void commit_or_defer();
    // Whether any row was written since this unit began.
    bool wrote();
    // Lets the test-only crash points (store/crash_point.h) fire inside this
    // unit; `key` is the request's Idempotency-Key.
    void arm_crash_points(const std::string& key);

   private:
    void finish(Deferral* deferral);

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
  // In a file store's open batch, it returns once the batch is committed (see
  // Locking above).
  template <typename F>
  decltype(auto) with(F&& f) {
    return reported([&]() -> decltype(auto) {
      if (owned_here()) return released(f);
      Hold hold(*this);
      if constexpr (std::is_void_v<decltype(f(*connection_))>) {
        released(f);
        hold.finish();
      } else {
        auto result = released(f);
        hold.finish();
        return result;
      }
    });
  }

  // Runs f like with(), but with no transaction open: in a file store the
  // open batch is committed first. For what SQLite refuses inside a
  // transaction (ATTACH, DETACH) and for f that begins one of its own. Not
  // inside a unit of work.
  template <typename F>
  decltype(auto) outside_transaction(F&& f) {
    return reported([&]() -> decltype(auto) {
      Hold hold(*this);
      if (batch_open_) commit_batch();
      return released(f);
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
  // guarded(f), then every statement f used is reset (no read snapshot is
  // kept open between calls).
  template <typename F>
  decltype(auto) released(F&& f) {
    Releaser releaser{*connection_};
    return guarded(f);
  }
  bool owned_here() const { return owner_.load() == std::this_thread::get_id(); }
  // mutex_, for a with() outside a unit of work: finish() lets go of it and
  // waits for the batch the call ran in (throwing if its COMMIT failed); the
  // destructor, if finish() was not reached, lets go without waiting.
  class Hold {
   public:
    explicit Hold(Store& store);
    ~Hold();
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;
    void finish();

   private:
    Store& store_;
    std::unique_lock<std::mutex> lock_;
  };
  // Takes mutex_, counting this thread among store_waiters_ while it blocks.
  void acquire(std::unique_lock<std::mutex>& lock);
  // In a file store, opens a batch if none is open (BEGIN).
  void join_batch();
  // Lets go of mutex_ (held through `lock`): hands the open batch on or
  // COMMITs it (see Locking). Returns the batch the holder ran in, 0 if none;
  // `member`: the holder will wait for it with await(). Never throws.
  std::uint64_t let_go(std::unique_lock<std::mutex>& lock, bool member);
  // Commits the open batch (mutex_ held) and publishes its fate.
  void commit_batch();
  // Waits (without mutex_) until `batch` is committed, throwing StoreFailure
  // with the COMMIT's error if it failed. Does nothing for batch 0.
  void await(std::uint64_t batch);
  // For a deferred commit: calls `wake` once `batch` is settled (now, or on
  // the thread that settles it, still holding mutex_).
  void when_settled(std::uint64_t batch, std::function<void()> wake);
  // The COMMIT error of a settled `batch`, counted as told to one of its
  // members; nothing if it was committed.
  std::optional<Error> failure_of(std::uint64_t batch);
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
    guarded([&sql](Connection& c) { c.run(sql); });
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
  // A file store's WAL copier (store/checkpointer.h); null in memory.
  std::unique_ptr<Checkpointer> checkpointer_;
  int depth_ = 0;  // nesting of the owner's Transactions
  bool crash_armed_ = false;
  std::vector<std::function<void()>> after_commit_;
  // Group commit (file stores only; see Locking). The open batch's number
  // (the next one's when none is open), how many units and waiting members
  // it has, and when it began.
  static constexpr int kBatchUnits = 64;
  static constexpr std::chrono::microseconds kBatchAge{2000};
  bool batch_open_ = false;
  std::uint64_t batch_ = 1;
  int batch_units_ = 0;
  int batch_members_ = 0;
  std::chrono::steady_clock::time_point batch_began_;
  // Threads blocked taking mutex_ (a holder that sees some hands over).
  std::atomic<int> store_waiters_{0};
  // The fate of batches, for the members waiting on it. Taken after mutex_
  // (the committer publishes while it still holds mutex_, so batches settle
  // in order), or alone.
  Mutex batch_mutex_;
  CondVar batch_settled_;
  // Every batch up to this one is committed or failed.
  std::uint64_t settled_ GUARDED_BY(batch_mutex_) = 0;
  struct Failed {
    Error error;
    int members_left;
  };
  std::unordered_map<std::uint64_t, Failed> failed_ GUARDED_BY(batch_mutex_);
  std::uint64_t batches_committed_ GUARDED_BY(batch_mutex_) = 0;
  // Deferred waits (when_settled) for batches not settled yet.
  std::vector<std::pair<std::uint64_t, std::function<void()>>> deferred_ GUARDED_BY(batch_mutex_);
  std::vector<std::string> tables_;
  std::vector<std::string> account_tables_;
};

}  // namespace paysandbox
