#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <thread>

#include "core/thread_annotations.h"

namespace paysandbox {

// Keeps a file store's write-ahead log short without making requests wait for
// it (docs/durability.md, "Checkpoints").
//
// SQLite's own automatic checkpoint runs inside the COMMIT that crosses 1,000
// pages of WAL: that request copies every page into the database file and
// waits for two fsyncs. Here the store's connection does no automatic
// checkpoint. Instead:
//  - a thread of its own, on a connection of its own, copies the WAL into the
//    database (a passive checkpoint, which never blocks the writer) each time
//    the store reports kCopyFrames more frames;
//  - the store, between two batches (or after a write made outside any),
//    holding its lock and with no transaction open, calls between_batches():
//    once the WAL holds kRestartFrames frames, it copies the few the thread
//    has not yet copied, on its own connection. With every frame copied, SQLite starts the WAL over
//    at the next write. Without this step the WAL would never start over, since a passive
//    checkpoint from another connection never catches up with batches that
//    follow each other without a gap.
// If the thread cannot open its connection, between_batches() still copies
// everything at the bound, so the WAL stays bounded either way.
class Checkpointer {
 public:
  // Frames (pages) of WAL between two passes of the thread, and the length at
  // which the store makes the WAL start over.
  static constexpr int kCopyFrames = 1000;
  static constexpr int kRestartFrames = 8000;

  explicit Checkpointer(std::string path);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Called by the store after each commit with the frames the WAL now holds
  // (SQLite's WAL hook), and then, still under the store's lock and with no
  // transaction open on `store_db`, between_batches(). Never throws.
  void committed(int frames);
  void between_batches(sqlite3* store_db);

  // How many times between_batches() found every frame copied, so that the
  // next write started the WAL over (for tests; read under the store's lock).
  std::uint64_t catch_ups() const { return catch_ups_; }

 private:
  void run();

  const std::string path_;
  // Only the store's lock holder calls committed() and between_batches().
  int frames_ = 0;
  int frames_at_wake_ = 0;
  std::uint64_t catch_ups_ = 0;
  // Held while either side runs a checkpoint: SQLite lets one run at a time,
  // and answers SQLITE_BUSY to the other at once.
  Mutex copying_;
  Mutex mutex_;
  CondVar wake_;
  bool wanted_ GUARDED_BY(mutex_) = false;
  bool stopping_ GUARDED_BY(mutex_) = false;
  std::thread thread_;  // started at the first wake
};

}  // namespace paysandbox
