// Group commit in a file store (issue 22): concurrent units of work share one
// COMMIT, yet each commit() returns only once its writes are in the file, a
// rollback undoes only its own unit, a failed COMMIT fails every unit in it,
// and after-commit actions run only once the rows are committed. Tagged
// [concurrency]: CI runs these under ThreadSanitizer.
#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "store/connection.h"
#include "store/wal_writes.h"
#include "support/catch.h"

using namespace paysandbox;

namespace {

// A database file of its own, removed (with its -wal and -shm) at the end.
class TempFile {
 public:
  TempFile() {
    std::random_device random;
    path_ = (std::filesystem::temp_directory_path() /
             ("group-commit-" + std::to_string(random()) + ".db"))
                .string();
  }
  ~TempFile() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void insert(Store& store, int writer, int item) {
  store.with([&](Connection& c) {
    auto& s = c.prepared("INSERT INTO t (writer, item) VALUES (?, ?)");
    s.bind(1, writer);
    s.bind(2, item);
    s.exec();
  });
}

using Rows = std::set<std::pair<int, int>>;

// The rows another connection finds in the file: only committed ones.
Rows committed_rows(SQLite::Database& db) {
  Rows out;
  SQLite::Statement s(db, "SELECT writer, item FROM t");
  while (s.executeStep()) out.emplace(s.getColumn(0).getInt(), s.getColumn(1).getInt());
  return out;
}

bool committed(SQLite::Database& db, int writer, int item) {
  SQLite::Statement s(db, "SELECT count(*) FROM t WHERE writer = ? AND item = ?");
  s.bind(1, writer);
  s.bind(2, item);
  s.executeStep();
  return s.getColumn(0).getInt() > 0;
}

// Table t, whose item must name a row of parent (only id 1 exists). The key
// is deferred, so SQLite checks it only at COMMIT: a row with another item
// makes the whole batch's COMMIT fail.
void declare_checked_at_commit(Store& store) {
  store.with([](Connection& c) { c.exec("PRAGMA foreign_keys=ON"); });
  store.declare_table("parent", "CREATE TABLE parent (id INTEGER PRIMARY KEY)", false);
  store.declare_table("t",
                      "CREATE TABLE t (writer INTEGER, item INTEGER REFERENCES parent(id) "
                      "DEFERRABLE INITIALLY DEFERRED)",
                      false);
  store.with([](Connection& c) { c.exec("INSERT INTO parent (id) VALUES (1)"); });
}

}  // namespace

TEST_CASE("concurrent units of work share commits, and each is durable when commit() returns",
          "[unit][store][concurrency]") {
  TempFile file;
  constexpr int kWriters = 16;
  constexpr int kUnits = 40;
  std::vector<Rows> acknowledged(kWriters);  // one per writer, written only by it
  std::vector<Rows> rolled_back(kWriters);
  std::atomic<int> not_yet_visible{0};
  std::atomic<int> reads_ahead{0};
  std::uint64_t batches = 0;
  {
    Store store(file.path());
    store.declare_table("t", "CREATE TABLE t (writer INTEGER, item INTEGER)", false);
    std::atomic<bool> writing{true};
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
      threads.emplace_back([&, w] {
        SQLite::Database reader(file.path(), SQLite::OPEN_READONLY);
        reader.setBusyTimeout(5000);
        for (int i = 0; i < kUnits; ++i) {
          const int item = 2 * i;
          Store::Transaction unit(store);
          insert(store, w, item);
          // A nested transaction commits with the unit.
          store.transaction([&](Connection&) { insert(store, w, item + 1); });
          store.after_commit([&, w, item] {
            if (!committed(reader, w, item)) ++not_yet_visible;
          });
          if (i % 7 == 3) {
            // Rolled back in the middle of whatever batch it is in.
            rolled_back[w].emplace(w, item);
            rolled_back[w].emplace(w, item + 1);
            continue;
          }
          unit.commit();
          // What a request would now answer is already in the file.
          if (!committed(reader, w, item + 1)) ++not_yet_visible;
          acknowledged[w].emplace(w, item);
          acknowledged[w].emplace(w, item + 1);
        }
      });
    }
    // A reader outside any unit never sees more than the file holds.
    std::thread counter([&] {
      SQLite::Database reader(file.path(), SQLite::OPEN_READONLY);
      reader.setBusyTimeout(5000);
      while (writing.load()) {
        const long long seen = store.with(
            [](Connection& c) { return c.db().execAndGet("SELECT count(*) FROM t").getInt64(); });
        if (reader.execAndGet("SELECT count(*) FROM t").getInt64() < seen) ++reads_ahead;
      }
    });
    for (auto& t : threads) t.join();
    writing = false;
    counter.join();
    batches = store.batches_committed();
  }
  CHECK(not_yet_visible == 0);
  CHECK(reads_ahead == 0);

  Rows expected;
  for (const auto& rows : acknowledged) expected.insert(rows.begin(), rows.end());
  Store reopened(file.path());
  SQLite::Database db(file.path(), SQLite::OPEN_READONLY);
  const Rows found = committed_rows(db);
  CHECK(found == expected);
  for (const auto& rows : rolled_back)
    for (const auto& row : rows) CHECK(found.count(row) == 0);
  // Each batch is opened by a unit of work (16 writers x 40, committed or
  // rolled back), so there are never more commits than units; how many
  // units share one depends on how the threads happen to be scheduled (on
  // a busy machine they may run one after another), so that is only shown.
  const std::uint64_t units = expected.size() / 2;
  INFO("batches " << batches << " for " << units << " committed units");
  CHECK(batches <= static_cast<std::uint64_t>(kWriters * kUnits));
  WARN("group commit: " << units << " units of work in " << batches << " commits");
}

TEST_CASE("a unit of work alone commits at once, as before", "[unit][store]") {
  TempFile file;
  Store store(file.path());
  store.declare_table("t", "CREATE TABLE t (writer INTEGER, item INTEGER)", false);
  SQLite::Database reader(file.path(), SQLite::OPEN_READONLY);
  const auto before = store.batches_committed();
  bool ran = false;
  {
    Store::Transaction unit(store);
    insert(store, 1, 1);
    store.after_commit([&] { ran = committed(reader, 1, 1); });
    CHECK_FALSE(committed(reader, 1, 1));
    unit.commit();
    CHECK(committed(reader, 1, 1));
  }
  CHECK(ran);
  CHECK(store.batches_committed() == before + 1);
  // A with() outside a unit writes in autocommit, as before.
  insert(store, 2, 2);
  CHECK(committed(reader, 2, 2));
}

TEST_CASE("a COMMIT that fails fails every unit of work in its batch",
          "[unit][store][concurrency]") {
  // A deferred foreign key is checked only at COMMIT: one unit's bad row
  // makes the whole batch's COMMIT fail. Every unit whose commit() returned
  // must be in the file, none whose commit() threw may be; the bad unit
  // always throws; and at least once in a few tries another unit shared its
  // batch and was told so.
  bool shared_failure = false;
  for (int attempt = 0; attempt < 5 && !shared_failure; ++attempt) {
    TempFile file;
    Store store(file.path());
    declare_checked_at_commit(store);
    constexpr int kUnits = 4;
    std::vector<int> outcome(kUnits, -1);  // 1 committed, 0 failed
    std::vector<std::string> errors(kUnits);
    std::vector<bool> actions_ran(kUnits, false);
    std::atomic<int> started{0};
    std::vector<std::thread> threads;
    // Hold the store (outside any batch) until every unit waits for it, so
    // they run back to back and share one batch.
    std::thread holder([&] {
      store.with([&](Connection&) {
        while (started.load() < kUnits) std::this_thread::yield();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      });
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    for (int u = 0; u < kUnits; ++u) {
      threads.emplace_back([&, u] {
        ++started;
        try {
          Store::Transaction unit(store);
          insert(store, u, u == 0 ? 99 : 1);  // unit 0's item has no parent
          store.after_commit([&, u] { actions_ran[u] = true; });
          unit.commit();
          outcome[u] = 1;
        } catch (const StoreFailure& e) {
          outcome[u] = 0;
          errors[u] = e.error().message;
        }
      });
    }
    holder.join();
    for (auto& t : threads) t.join();
    SQLite::Database db(file.path(), SQLite::OPEN_READONLY);
    const Rows found = committed_rows(db);
    REQUIRE(outcome[0] == 0);
    CHECK(errors[0].find("FOREIGN KEY") != std::string::npos);
    CHECK(found.count({0, 99}) == 0);
    for (int u = 1; u < kUnits; ++u) {
      INFO("unit " << u << ": " << errors[u]);
      CHECK(outcome[u] != -1);
      CHECK(found.count({u, 1}) == (outcome[u] == 1 ? 1u : 0u));
      CHECK(actions_ran[u] == (outcome[u] == 1));
      if (outcome[u] == 0) {
        shared_failure = true;
        CHECK(errors[u] == errors[0]);
      }
    }
    CHECK_FALSE(actions_ran[0]);
    // The store goes on after a failed batch.
    Store::Transaction unit(store);
    insert(store, 7, 1);
    unit.commit();
    CHECK(committed(db, 7, 1));
  }
  CHECK(shared_failure);
}

TEST_CASE("the write-ahead log stays bounded while batches follow each other without a gap",
          "[unit][store][concurrency]") {
  // SQLite's automatic checkpoint is off in a file store; the checkpointer
  // copies the WAL on a thread of its own, and the store makes the WAL start
  // over between two batches (store/checkpointer.h). Writers that keep the
  // store busy all the time write many times the bound's frames, and the WAL
  // file must never have grown past twice the bound plus one batch.
  TempFile file;
  constexpr int kWriters = 8;
  constexpr int kUnits = 500;
  constexpr int kBlob = 40000;  // 10 pages of overflow per write
  std::int64_t frames_written = 0;
  {
    Store store(file.path());
    store.declare_table("blobs", "CREATE TABLE blobs (writer INTEGER PRIMARY KEY, data BLOB)",
                        false);
    for (int w = 0; w < kWriters; ++w)
      store.with([&](Connection& c) {
        auto& s = c.prepared("INSERT INTO blobs (writer, data) VALUES (?, zeroblob(?))");
        s.bind(1, w);
        s.bind(2, kBlob);
        s.exec();
      });
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
      threads.emplace_back([&, w] {
        for (int i = 0; i < kUnits; ++i) {
          Store::Transaction unit(store);
          store.with([&](Connection& c) {
            auto& s = c.prepared("UPDATE blobs SET data = randomblob(?) WHERE writer = ?");
            s.bind(1, kBlob);
            s.bind(2, w);
            s.exec();
          });
          unit.commit();
        }
      });
    }
    for (auto& t : threads) t.join();
    frames_written = static_cast<std::int64_t>(kWriters) * kUnits * (kBlob / 4096);
    const std::int64_t frame = 4096 + 24;
    const std::int64_t bound =
        (2 * Checkpointer::kRestartFrames + 64 * (kBlob / 4096 + 2)) * frame + 32;
    const auto wal = static_cast<std::int64_t>(std::filesystem::file_size(file.path() + "-wal"));
    INFO("WAL " << wal << " bytes after about " << frames_written << " frames; bound " << bound);
    REQUIRE(frames_written > 4 * Checkpointer::kRestartFrames);
    CHECK(wal <= bound);
  }
  // Nothing was lost on the way: the file is whole and holds every row.
  SQLite::Database db(file.path(), SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
  CHECK(db.execAndGet("SELECT count(*) FROM blobs WHERE length(data) = 40000").getInt() ==
        kWriters);
}

namespace {

// A unit that commits with commit_or_defer() under an accepting Deferral
// while another thread waits for the store, so the batch is handed on and
// its COMMIT comes from that thread. `bad_row`: that thread's write breaks a
// deferred foreign key, so the COMMIT fails.
struct DeferredRun {
  bool deferred = false;        // commit_or_defer() left a wait behind
  bool open_at_return = false;  // the row was not in the file yet when it returned
  bool woken_early = false;     // the wake came before the other thread let go
  bool woken = false;
  bool action_ran = false;
  std::optional<Error> failure;
  bool row_in_file = false;
};

DeferredRun run_deferred(bool bad_row) {
  TempFile file;
  Store store(file.path());
  declare_checked_at_commit(store);
  SQLite::Database reader(file.path(), SQLite::OPEN_READONLY);
  DeferredRun run;
  std::atomic<bool> holding{false};
  std::atomic<bool> queued{false};
  std::atomic<bool> returned{false};
  std::atomic<bool> woken{false};
  // A holder keeps the store until this thread's unit and then another
  // thread wait for it, in that order, so that (most likely) the unit runs
  // next, with the other thread waiting: the unit hands its young batch on,
  // and the other thread commits it when it lets go.
  std::thread holder([&] {
    store.with([&](Connection&) {
      holding = true;
      while (!queued.load()) std::this_thread::yield();
      std::this_thread::sleep_for(std::chrono::milliseconds(60));
    });
  });
  std::thread other([&] {
    while (!queued.load()) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    try {
      store.with([&](Connection& c) {
        for (int i = 0; i < 500 && !returned.load(); ++i)
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
        c.exec(bad_row ? "INSERT INTO t (writer, item) VALUES (2, 99)"
                       : "INSERT INTO t (writer, item) VALUES (2, 1)");
        run.woken_early = woken.load();
      });
    } catch (const StoreFailure&) {
      // The failed COMMIT, told to this thread too.
    }
  });
  while (!holding.load()) std::this_thread::yield();
  Deferral::Wait wait;
  {
    Deferral scope(true);
    queued = true;
    Store::Transaction unit(store);
    insert(store, 1, 1);
    store.after_commit([&] { run.action_ran = true; });
    unit.commit_or_defer();
    run.deferred = scope.deferred();
    run.open_at_return = !committed(reader, 1, 1);
    returned = true;
    if (run.deferred) wait = scope.take();
  }
  if (run.deferred) {
    wait.when_settled([&] { woken = true; });
    for (int i = 0; i < 2500 && !woken.load(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    run.woken = woken.load();
    if (run.woken) run.failure = wait.settle();
  }
  holder.join();
  other.join();
  run.row_in_file = committed(reader, 1, 1);
  return run;
}

}  // namespace

TEST_CASE("a deferred commit returns before its COMMIT and is told of it after",
          "[unit][store][concurrency]") {
  // Whether the other thread is already waiting when the unit lets go is up
  // to the scheduler: a few tries, and at least one must defer.
  for (const bool bad_row : {false, true}) {
    INFO((bad_row ? "the shared COMMIT fails" : "the shared COMMIT succeeds"));
    bool seen = false;
    for (int attempt = 0; attempt < 5 && !seen; ++attempt) {
      const DeferredRun run = run_deferred(bad_row);
      REQUIRE(run.deferred);
      if (!run.open_at_return) {
        // The other thread came first, and the unit committed alone, at
        // once: its answer may go out now.
        CHECK(run.row_in_file);
        CHECK(run.woken);
        CHECK_FALSE(run.failure.has_value());
        continue;
      }
      seen = true;
      CHECK_FALSE(run.woken_early);
      REQUIRE(run.woken);
      if (bad_row) {
        REQUIRE(run.failure.has_value());
        CHECK(run.failure->message.find("FOREIGN KEY") != std::string::npos);
        CHECK_FALSE(run.action_ran);
        CHECK_FALSE(run.row_in_file);
      } else {
        CHECK_FALSE(run.failure.has_value());
        CHECK(run.action_ran);
        CHECK(run.row_in_file);
      }
    }
    CHECK(seen);
  }
}

TEST_CASE("without an accepting Deferral, commit_or_defer() waits like commit()", "[unit][store]") {
  TempFile file;
  Store store(file.path());
  store.declare_table("t", "CREATE TABLE t (writer INTEGER, item INTEGER)", false);
  SQLite::Database reader(file.path(), SQLite::OPEN_READONLY);
  Deferral refusing(false);
  Store::Transaction unit(store);
  insert(store, 1, 1);
  unit.commit_or_defer();
  CHECK_FALSE(refusing.deferred());
  CHECK(committed(reader, 1, 1));
}

TEST_CASE("a COMMIT's log frames reach the file in one write, before commit() returns",
          "[unit][store]") {
  TempFile file;
  Store store(file.path());
  store.declare_table("blobs", "CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB)", false);
  store.with([](Connection& c) { c.exec("CREATE INDEX blobs_by_body ON blobs (body)"); });
  SQLite::Database reader(file.path(), SQLite::OPEN_READONLY);
  constexpr int kCommits = 20;
  int frames = 0;
  const std::uint64_t before = gathered_wal_writes();
  for (int i = 0; i < kCommits; ++i) {
    const auto frames_before = std::filesystem::file_size(file.path() + "-wal");
    Store::Transaction unit(store);
    // Two pages or more each: a 3,000-byte row in the table and its index.
    store.with([i](Connection& c) {
      auto& s = c.prepared("INSERT INTO blobs (id, body) VALUES (?, zeroblob(3000) || ?)");
      s.bind(1, i);
      s.bind(2, i);
      s.exec();
    });
    unit.commit();
    frames += static_cast<int>((std::filesystem::file_size(file.path() + "-wal") - frames_before) /
                               (4096 + 24));
    CHECK(reader.execAndGet("SELECT count(*) FROM blobs").getInt() == i + 1);
  }
  const std::uint64_t writes = gathered_wal_writes() - before;
  INFO(frames << " frames in " << writes << " writes");
  CHECK(frames >= 2 * kCommits);
  // One write per COMMIT (and one more if the log started over): without
  // gathering there would be two per frame.
  CHECK(writes >= static_cast<std::uint64_t>(kCommits));
  CHECK(writes <= static_cast<std::uint64_t>(kCommits) + 1);

  // A COMMIT of many pages (over a megabyte) goes out in pieces, whole.
  {
    Store::Transaction unit(store);
    store.with([](Connection& c) {
      c.exec(
          "WITH RECURSIVE n(i) AS (SELECT 1000 UNION ALL SELECT i + 1 FROM n WHERE i < 1399) "
          "INSERT INTO blobs (id, body) SELECT i, zeroblob(3000) || i FROM n");
    });
    unit.commit();
  }
  CHECK(reader.execAndGet("SELECT count(*) FROM blobs").getInt() == kCommits + 400);
}
