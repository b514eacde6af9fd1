#include "store/checkpointer.h"

#include <system_error>
#include <utility>

namespace paysandbox {

Checkpointer::Checkpointer(std::string path) : path_(std::move(path)) {}

Checkpointer::~Checkpointer() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::committed(int frames) {
  // A WAL that started over reports fewer frames than before.
  if (frames < frames_) frames_at_wake_ = 0;
  frames_ = frames;
  if (frames_ - frames_at_wake_ < kCopyFrames) return;
  frames_at_wake_ = frames_;
  {
    MutexLock lock(mutex_);
    wanted_ = true;
  }
  if (!thread_.joinable()) {
    try {
      thread_ = std::thread([this] { run(); });
    } catch (const std::system_error&) {
      // No thread: between_batches() copies everything at the bound instead.
      return;
    }
  }
  wake_.notify_one();
}

void Checkpointer::between_batches(sqlite3* store_db) {
  if (frames_ < kRestartFrames) return;
  // Below twice the bound, a pass of the thread that is running is left to
  // finish and the store tries again after the next batch; past it, the
  // store waits for that pass rather than let the WAL grow further.
  if (frames_ >= 2 * kRestartFrames)
    copying_.lock();
  else if (!copying_.try_lock())
    return;
  int frames = 0;
  int copied = 0;
  const int rc =
      sqlite3_wal_checkpoint_v2(store_db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
  copying_.unlock();
  // Every frame is in the database file (none was held back by a reader on
  // an older snapshot): the next write starts the WAL over, and the hook
  // then reports its new length.
  if (rc == SQLITE_OK && frames == copied) {
    ++catch_ups_;
    frames_ = 0;
    frames_at_wake_ = 0;
  }
}

void Checkpointer::run() {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    sqlite3_close(db);
    return;
  }
  // A connection learns that the file is in WAL mode at its first read; a
  // checkpoint before that does nothing.
  sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
  for (;;) {
    {
      MutexLock lock(mutex_);
      while (!wanted_ && !stopping_) wake_.wait(mutex_);
      if (stopping_) break;
      wanted_ = false;
    }
    copying_.lock();
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    copying_.unlock();
  }
  sqlite3_close(db);
}

}  // namespace paysandbox
