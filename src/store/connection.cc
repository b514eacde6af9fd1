#include "store/connection.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <stdexcept>

#include "core/waiting.h"
#include "store/migrations.h"
#include "store/wal_writes.h"

namespace paysandbox {

namespace {

// Before SQLite's first use in the process: no memory statistics. With them
// (SQLite's default) every allocation and free SQLite makes takes one
// process-wide mutex to count bytes nobody reads here; that was a sixth of
// the instructions of start-up's schema creation. If the embedding program
// used SQLite first, the call is refused and changes nothing.
bool quiet_sqlite_memory() {
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  return true;
}

// The in-memory store is a database in SQLite's "memdb" file system (one
// private buffer per connection), not ":memory:". A ":memory:" database keeps
// every page in the page cache, and SQLite scans that whole cache at the
// COMMIT after any B-tree rebalance that renumbered pages (it parks a page at
// a page number past 1 GiB for a moment, and the truncation that follows
// walks every cached page). In memory that made a write's cost grow with the
// store: about 340 us of CPU per validate+capture pair after 300,000
// customers, against 220 us here. Over memdb, the page cache is SQLite's usual bounded
// one, so the scan stays small.
constexpr const char* kMemoryDatabase = "file:paysandbox?vfs=memdb";

SQLite::Database open_database(const std::string& path) {
  static const bool configured = quiet_sqlite_memory();
  (void)configured;
  const bool memory = path == kMemoryDatabase;
  // A file's write-ahead log is written one COMMIT at a time
  // (store/wal_writes.h).
  return SQLite::Database(path,
                          SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX |
                              (memory ? SQLite::OPEN_URI : 0),
                          0, memory ? std::string() : std::string(gathered_wal_vfs()));
}

// A memdb database's settings: no size limit (memdb's default is 1 GiB), and
// the rollback journal and temporary files in memory too (the statement
// journal would otherwise spill to a temporary file on disk). Nothing to
// sync.
void configure_memory_database(Connection& connection) {
  sqlite3_int64 no_limit = sqlite3_int64(1) << 50;
  sqlite3_file_control(connection.db().getHandle(), "main", SQLITE_FCNTL_SIZE_LIMIT, &no_limit);
  connection.exec("PRAGMA journal_mode=MEMORY");
  connection.exec("PRAGMA temp_store=MEMORY");
  connection.exec("PRAGMA synchronous=OFF");
}

}  // namespace

// NOMUTEX: the connection is only ever used under Store's mutex (see
// Store::with), so SQLite's own per-connection mutex, taken and released on
// every bind, step and column read, would only repeat that lock.
Connection::Connection(const std::string& path) : db_(open_database(path)) {}

SQLite::Statement& Connection::prepared(const std::string& sql) {
  last_sql_ = sql;
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    it = statements_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
  } else {
    // tryReset: a reset reports the last step's error again, which was
    // already reported when that step failed.
    it->second->tryReset();
    it->second->clearBindings();
  }
  in_use_.push_back(it->second.get());
  return *it->second;
}

std::vector<std::string> Connection::cached_statements() const {
  std::vector<std::string> out;
  out.reserve(statements_.size());
  for (const auto& entry : statements_) out.push_back(entry.first);
  return out;
}

std::int64_t Connection::total_changes() { return sqlite3_total_changes64(db_.getHandle()); }

void Connection::release_statements() {
  // Runs in destructors too: never throws (see prepared()).
  for (auto* statement : in_use_) statement->tryReset();
  in_use_.clear();
}

namespace {

// "INSERT INTO payments", "UPDATE sessions", "SELECT ... FROM events": the
// verb and table of a statement, without its columns and values.
std::string summary_of(const std::string& sql) {
  std::string words;
  size_t start = 0;
  int kept = 0;
  const size_t from = sql.find(" FROM ");
  const bool select = sql.rfind("SELECT", 0) == 0 && from != std::string::npos;
  const std::string text = select ? "SELECT ... " + sql.substr(from + 1) : sql;
  const int wanted = select ? 4 : sql.rfind("UPDATE", 0) == 0 ? 2 : 3;
  while (kept < wanted && start < text.size()) {
    size_t end = text.find_first_of(" (\n", start);
    if (end == std::string::npos) end = text.size();
    if (end > start) {
      words += (words.empty() ? "" : " ") + text.substr(start, end - start);
      ++kept;
    }
    if (end < text.size() && text[end] == '(') break;
    start = end + 1;
  }
  return words;
}

}  // namespace

Error storage_error(int code, const std::string& reason, const std::string& statement) {
  const bool constraint = (code & 0xff) == SQLITE_CONSTRAINT;
  const std::string where = statement.empty() ? "" : " in `" + summary_of(statement) + "`";
  return make_error(
      constraint ? ErrorCode::kConflict : ErrorCode::kStorage,
      (constraint ? "The store refused a write that breaks a constraint" : "The store failed") +
          where + ": " + reason + ".");
}

namespace {

bool has_tables(Connection& connection) {
  SQLite::Statement s(connection.db(), "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
  return s.executeStep() && s.getColumn(0).getInt() > 0;
}

}  // namespace

Store::Store(const std::string& path)
    : persistent_(path != ":memory:" && !path.empty()), path_(persistent_ ? path : ":memory:") {
  // SQLite creates the file but not its directory; say which one is missing.
  if (persistent_) {
    const auto directory = std::filesystem::path(path).parent_path();
    std::error_code ignored;
    if (!directory.empty() && !std::filesystem::is_directory(directory, ignored))
      throw std::runtime_error("cannot use database '" + path + "': the directory '" +
                               directory.string() + "' does not exist (create it first)");
  }
  try {
    connection_ = std::make_unique<Connection>(persistent_ ? path : kMemoryDatabase);
    if (!persistent_) configure_memory_database(*connection_);
    // Before anything writes (journal_mode=WAL rewrites the header): a file
    // from a newer release is refused and left exactly as it was.
    const int found = schema_version_of(*connection_);
    if (found > latest_schema_version())
      throw std::runtime_error(
          "it has schema version " + std::to_string(found) + ", and this payment-sandbox knows " +
          "versions up to " + std::to_string(latest_schema_version()) +
          "; it was written by a newer release, so open it with that one (the file was left "
          "untouched)");
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
      // No automatic checkpoint inside a request's COMMIT: the checkpointer
      // copies the WAL on a thread of its own (store/checkpointer.h). The
      // hook replaces SQLite's automatic one.
      checkpointer_ = std::make_unique<Checkpointer>(path);
      sqlite3_wal_hook(
          connection_->db().getHandle(),
          [](void* checkpointer, sqlite3*, const char*, int frames) {
            static_cast<Checkpointer*>(checkpointer)->committed(frames);
            return SQLITE_OK;
          },
          checkpointer_.get());
    }
    connection_->exec("PRAGMA foreign_keys=OFF");
    if (!has_tables(*connection_))
      stamp_latest_schema_version(*connection_);
    else if (found < latest_schema_version())
      migrate(*connection_, found);
    // Fail now, with the path in the message, if the file is not a database
    // or is not writable.
    connection_->exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)");
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot use database '" + path + "': " + e.what());
  }
  tables_.emplace_back("meta");
}

Store::~Store() {
  if (checkpointer_) {
    sqlite3_wal_hook(connection_->db().getHandle(), nullptr, nullptr);
    checkpointer_.reset();
  }
}

Store::Transaction::Transaction(Store& store) : store_(store) {
  const bool nested = store_.owned_here();
  if (!nested) {
    lock_ = std::unique_lock<std::mutex>(store_.mutex_, std::defer_lock);
    store_.acquire(lock_);
  }
  try {
    // Read before BEGIN / SAVEPOINT (which change no rows), so that if it
    // fails no transaction is left open.
    changes_at_start_ = store_.guarded([](Connection& c) { return c.total_changes(); });
    if (nested) {
      savepoint_ = "unit_" + std::to_string(store_.depth_);
      store_.command("SAVEPOINT " + savepoint_);
    } else if (store_.persistent_) {
      // A savepoint in the batch, so that a rollback undoes only this unit.
      store_.join_batch();
      savepoint_ = "unit_0";
      store_.command("SAVEPOINT " + savepoint_);
      ++store_.batch_units_;
    } else {
      store_.command("BEGIN");
    }
  } catch (...) {
    // Let the batch go on (or commit) for the units already in it.
    if (!nested) store_.let_go(lock_, false);
    throw;
  }
  if (!nested) {
    store_.owner_.store(std::this_thread::get_id());
    store_.crash_armed_ = false;
    outermost_ = true;
  }
  ++store_.depth_;
  actions_mark_ = store_.after_commit_.size();
}

Store::Transaction::~Transaction() {
  if (finished_) return;
  Connection& c = *store_.connection_;
  c.release_statements();
  try {
    if (outermost_ && !store_.persistent_) {
      c.exec("ROLLBACK");
    } else {
      c.exec("ROLLBACK TO " + savepoint_);
      c.exec("RELEASE " + savepoint_);
    }
  } catch (const std::exception&) {
    // SQLite already rolled the transaction back (it does on some errors).
  }
  store_.after_commit_.resize(actions_mark_);
  --store_.depth_;
  if (outermost_) {
    store_.crash_armed_ = false;
    store_.owner_.store(std::thread::id());
    // Only this unit's writes were undone; the batch goes on without them.
    store_.let_go(lock_, false);
  }
}

void Store::Transaction::commit() { finish(nullptr); }

void Store::Transaction::commit_or_defer() {
  finish(store_.persistent_ && outermost_ ? Deferral::open() : nullptr);
}

void Store::Transaction::finish(Deferral* deferral) {
  Connection& c = *store_.connection_;
  c.release_statements();
  if (!outermost_) {
    store_.command("RELEASE " + savepoint_);
    --store_.depth_;
    finished_ = true;
    return;
  }
  store_.crash_point(CrashPoint::kBeforeCommit);
  store_.command(store_.persistent_ ? "RELEASE " + savepoint_ : std::string("COMMIT"));
  finished_ = true;
  --store_.depth_;
  store_.crash_armed_ = false;
  std::vector<std::function<void()>> actions;
  actions.swap(store_.after_commit_);
  store_.owner_.store(std::thread::id());
  // Hands the batch on or commits it, then waits until it is committed (or
  // leaves that wait to `deferral`): the actions (and the caller's answer)
  // come after, and are dropped if it failed.
  const std::uint64_t batch = store_.let_go(lock_, true);
  if (deferral && batch != 0) {
    Store* store = &store_;
    deferral->defer(Deferral::Wait{
        [store, batch](std::function<void()> wake) { store->when_settled(batch, std::move(wake)); },
        [store, batch, actions = std::move(actions)]() -> std::optional<Error> {
          if (auto failure = store->failure_of(batch)) return failure;
          for (const auto& action : actions) action();
          return std::nullopt;
        }});
    return;
  }
  store_.await(batch);
  for (auto& action : actions) action();
}

bool Store::Transaction::wrote() {
  return store_.guarded([](Connection& c) { return c.total_changes(); }) != changes_at_start_;
}

void Store::Transaction::arm_crash_points(const std::string& key) {
  if (outermost_) store_.crash_armed_ = crash_armed_for(key);
}

void Store::after_commit(std::function<void()> action) {
  if (owned_here()) {
    after_commit_.push_back(std::move(action));
    return;
  }
  action();
}

void Store::crash_point(CrashPoint point) {
  if (owned_here() && crash_armed_) crash_at(point);
}

Store::Hold::Hold(Store& store) : store_(store), lock_(store.mutex_, std::defer_lock) {
  store_.acquire(lock_);
}

Store::Hold::~Hold() {
  if (lock_.owns_lock()) store_.let_go(lock_, false);
}

void Store::Hold::finish() { store_.await(store_.let_go(lock_, true)); }

void Store::acquire(std::unique_lock<std::mutex>& lock) {
  if (lock.try_lock()) return;
  if (!persistent_) {
    lock.lock();
    return;
  }
  ++store_waiters_;
  lock.lock();
  --store_waiters_;
}

void Store::join_batch() {
  // SQLite ends a transaction by itself on some errors (a full disk, an I/O
  // error): that batch is lost, and its members are told so.
  if (batch_open_ && sqlite3_get_autocommit(connection_->db().getHandle())) commit_batch();
  if (batch_open_) return;
  command("BEGIN");
  batch_open_ = true;
  batch_units_ = 0;
  batch_members_ = 0;
  batch_began_ = std::chrono::steady_clock::now();
}

std::uint64_t Store::let_go(std::unique_lock<std::mutex>& lock, bool member) {
  if (!persistent_) {
    lock.unlock();
    return 0;
  }
  std::uint64_t batch = 0;
  if (batch_open_) {
    batch = batch_;
    if (member) ++batch_members_;
    const bool hand_on = store_waiters_.load() > 0 && batch_units_ < kBatchUnits &&
                         std::chrono::steady_clock::now() - batch_began_ < kBatchAge;
    if (!hand_on) commit_batch();
  }
  // Between two batches, or after a write outside any (a with() in
  // autocommit): no batch is open, and mutex_ keeps the next one from
  // beginning.
  if (!batch_open_) checkpointer_->between_batches(connection_->db().getHandle());
  lock.unlock();
  return member ? batch : 0;
}

void Store::commit_batch() {
  std::optional<Error> failure;
  Connection& c = *connection_;
  c.release_statements();
  if (sqlite3_get_autocommit(c.db().getHandle())) {
    failure =
        storage_error(SQLITE_ABORT, "SQLite rolled the transaction back after an error", "COMMIT");
  } else {
    try {
      c.run("COMMIT");
    } catch (const SQLite::Exception& e) {
      failure = storage_error(e.getErrorCode(), e.what(), "COMMIT");
      try {
        if (!sqlite3_get_autocommit(c.db().getHandle())) c.exec("ROLLBACK");
      } catch (const std::exception&) {
        // Nothing more to undo.
      }
    }
  }
  const std::uint64_t batch = batch_;
  const int members = batch_members_;
  batch_open_ = false;
  ++batch_;
  batch_units_ = 0;
  batch_members_ = 0;
  std::vector<std::function<void()>> wakes;
  {
    // Published while mutex_ is still held, so batches settle in order.
    MutexLock lock(batch_mutex_);
    settled_ = batch;
    if (!failure)
      ++batches_committed_;
    else if (members > 0)
      failed_.emplace(batch, Failed{*failure, members});
    auto settled =
        std::stable_partition(deferred_.begin(), deferred_.end(),
                              [batch](const auto& entry) { return entry.first <= batch; });
    for (auto it = deferred_.begin(); it != settled; ++it) wakes.push_back(std::move(it->second));
    deferred_.erase(deferred_.begin(), settled);
  }
  batch_settled_.notify_all();
  // Deferred waits (Deferral): each wake only hands over, so it may run here,
  // under mutex_.
  for (auto& wake : wakes) wake();
}

void Store::when_settled(std::uint64_t batch, std::function<void()> wake) {
  {
    MutexLock lock(batch_mutex_);
    if (settled_ < batch) {
      deferred_.emplace_back(batch, std::move(wake));
      return;
    }
  }
  wake();
}

std::optional<Error> Store::failure_of(std::uint64_t batch) {
  MutexLock lock(batch_mutex_);
  auto it = failed_.find(batch);
  if (it == failed_.end()) return std::nullopt;
  const Error error = it->second.error;
  if (--it->second.members_left == 0) failed_.erase(it);
  return error;
}

void Store::await(std::uint64_t batch) {
  if (batch == 0) return;
  std::optional<Waiting> waiting;
  MutexLock lock(batch_mutex_);
  if (settled_ < batch) {
    // Another request may run on a spare worker meanwhile (core/waiting.h),
    // and most likely write into the next batch. Told without batch_mutex_.
    lock.unlock();
    waiting.emplace();
    lock.lock();
  }
  while (settled_ < batch) batch_settled_.wait(batch_mutex_);
  lock.unlock();
  if (auto failure = failure_of(batch)) throw StoreFailure(*failure);
}

std::uint64_t Store::batches_committed() {
  MutexLock lock(batch_mutex_);
  return batches_committed_;
}

void Store::declare_table(const std::string& name, const std::string& create_sql,
                          bool account_scoped, bool kept_on_global_reset) {
  std::lock_guard<std::mutex> lock(mutex_);
  guarded([&create_sql](Connection& c) { c.exec(create_sql); });
  if (!kept_on_global_reset) tables_.push_back(name);
  if (account_scoped) account_tables_.push_back(name);
}

namespace {

// Rows per table and the database's bytes, read from `db` in one read
// transaction (one snapshot).
void count_rows(SQLite::Database& db, Store::Footprint& out) {
  SQLite::Transaction read(db);
  std::vector<std::string> names;
  {
    SQLite::Statement s(db,
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                        "'sqlite_%' ORDER BY name");
    while (s.executeStep()) names.push_back(s.getColumn(0).getString());
  }
  for (const auto& name : names) {
    SQLite::Statement s(db, "SELECT count(*) FROM \"" + name + "\"");
    s.executeStep();
    out.rows.emplace_back(name, s.getColumn(0).getInt64());
  }
  SQLite::Statement pages(db,
                          "SELECT page_count * page_size FROM pragma_page_count, "
                          "pragma_page_size");
  if (pages.executeStep()) out.database_bytes = pages.getColumn(0).getInt64();
}

}  // namespace

Store::Footprint Store::footprint() {
  Footprint out;
  if (!persistent_) {
    with([&out](Connection& c) { count_rows(c.db(), out); });
    return out;
  }
  {
    MutexLock lock(footprint_mutex_);
    try {
      if (!footprint_db_)
        footprint_db_ =
            std::make_unique<SQLite::Database>(path_, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
      footprint_db_->setBusyTimeout(5000);
      count_rows(*footprint_db_, out);
    } catch (const SQLite::Exception& e) {
      footprint_db_.reset();
      throw StoreFailure(storage_error(e.getErrorCode(), e.what(), "SELECT count(*) FROM tables"));
    }
  }
  {
    std::error_code none;
    const auto wal = std::filesystem::file_size(path_ + "-wal", none);
    if (!none) out.wal_bytes = static_cast<std::int64_t>(wal);
  }
  return out;
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
