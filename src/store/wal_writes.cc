#include "store/wal_writes.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <mutex>
#include <string>

namespace paysandbox {
namespace {

// What a log's frames look like (SQLite's file format): a 24-byte header
// whose bytes 4-7 (big-endian) are the database's size in pages after the
// COMMIT on the COMMIT's last frame and 0 on every other, then the page.
// SQLite writes the header, then the page right after it.
constexpr int kFrameHeader = 24;
// Past this much gathered (a large transaction), it is written out at once.
// The buffer is reserved once, when the log is opened, with room for one more
// frame of the largest page size: growing it step by step would allocate and
// free ever larger blocks, which raises glibc's threshold for giving large
// blocks back to the system, and the process kept tens of MiB more after an
// import.
constexpr std::size_t kMostGathered = std::size_t{256} << 10;
constexpr std::size_t kReserved = kMostGathered + (std::size_t{64} << 10) + kFrameHeader;
constexpr std::size_t kMostPerWrite = std::size_t{64} << 10;

std::atomic<std::uint64_t> writes{0};

struct Gathered {
  sqlite3_file* file = nullptr;  // the "unix" file system's, after ours
  std::string bytes;             // contiguous, from `start` in the file
  sqlite3_int64 start = 0;
  // Where the page of the frame whose header came last goes, and whether
  // that frame ends a COMMIT.
  sqlite3_int64 page_at = -1;
  bool commit_frame = false;
};

// A log's sqlite3_file: SQLite's base first (it only ever sees that), then
// ours. The unix file system's own file follows in the same allocation.
struct LogFile {
  sqlite3_file base;
  Gathered* gathered;
};

sqlite3_vfs unix_vfs_copy;
sqlite3_vfs gathered_vfs;
sqlite3_io_methods log_methods;

Gathered& of(sqlite3_file* file) { return *reinterpret_cast<LogFile*>(file)->gathered; }

constexpr int real_offset() {
  return static_cast<int>((sizeof(LogFile) + alignof(std::max_align_t) - 1) /
                          alignof(std::max_align_t) * alignof(std::max_align_t));
}

int write_out(Gathered& g) {
  int rc = SQLITE_OK;
  // The unix file system writes at most 128 KiB per call (it takes a
  // longer one for a full disk): larger runs go out in pieces.
  for (std::size_t at = 0; at < g.bytes.size() && rc == SQLITE_OK; at += kMostPerWrite) {
    const std::size_t length = std::min(kMostPerWrite, g.bytes.size() - at);
    writes.fetch_add(1, std::memory_order_relaxed);
    rc = g.file->pMethods->xWrite(g.file, g.bytes.data() + at, static_cast<int>(length),
                                  g.start + static_cast<sqlite3_int64>(at));
  }
  g.bytes.clear();
  return rc;
}

int log_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  Gathered& g = of(file);
  if (!g.bytes.empty() && offset != g.start + static_cast<sqlite3_int64>(g.bytes.size())) {
    const int rc = write_out(g);
    if (rc != SQLITE_OK) return rc;
  }
  if (g.bytes.empty()) g.start = offset;
  const auto* bytes = static_cast<const unsigned char*>(data);
  g.bytes.append(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(amount));
  bool now = g.bytes.size() >= kMostGathered;
  if (amount == kFrameHeader) {
    g.page_at = offset + kFrameHeader;
    g.commit_frame = (bytes[4] | bytes[5] | bytes[6] | bytes[7]) != 0;
  } else if (offset == g.page_at) {
    // A frame's page: the COMMIT's last one goes out with everything before.
    now = now || g.commit_frame;
    g.page_at = -1;
  } else {
    // Anything else (the log's own header, a page rewritten in place):
    // written at once, as SQLite would.
    now = true;
    g.page_at = -1;
  }
  return now ? write_out(g) : SQLITE_OK;
}

// Every other call sees the file as SQLite left it: what is gathered goes
// out first.
int log_close(sqlite3_file* file) {
  Gathered* g = reinterpret_cast<LogFile*>(file)->gathered;
  const int written = write_out(*g);
  const int closed = g->file->pMethods->xClose(g->file);
  delete g;
  return written != SQLITE_OK ? written : closed;
}

int log_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  Gathered& g = of(file);
  const int rc = write_out(g);
  return rc != SQLITE_OK ? rc : g.file->pMethods->xRead(g.file, out, amount, offset);
}

int log_truncate(sqlite3_file* file, sqlite3_int64 size) {
  Gathered& g = of(file);
  const int rc = write_out(g);
  return rc != SQLITE_OK ? rc : g.file->pMethods->xTruncate(g.file, size);
}

int log_sync(sqlite3_file* file, int flags) {
  Gathered& g = of(file);
  const int rc = write_out(g);
  return rc != SQLITE_OK ? rc : g.file->pMethods->xSync(g.file, flags);
}

int log_file_size(sqlite3_file* file, sqlite3_int64* size) {
  Gathered& g = of(file);
  const int rc = write_out(g);
  return rc != SQLITE_OK ? rc : g.file->pMethods->xFileSize(g.file, size);
}

int log_lock(sqlite3_file* file, int level) {
  Gathered& g = of(file);
  return g.file->pMethods->xLock(g.file, level);
}

int log_unlock(sqlite3_file* file, int level) {
  Gathered& g = of(file);
  return g.file->pMethods->xUnlock(g.file, level);
}

int log_check_reserved_lock(sqlite3_file* file, int* out) {
  Gathered& g = of(file);
  return g.file->pMethods->xCheckReservedLock(g.file, out);
}

int log_file_control(sqlite3_file* file, int op, void* arg) {
  Gathered& g = of(file);
  const int rc = write_out(g);
  return rc != SQLITE_OK ? rc : g.file->pMethods->xFileControl(g.file, op, arg);
}

int log_sector_size(sqlite3_file* file) {
  Gathered& g = of(file);
  return g.file->pMethods->xSectorSize(g.file);
}

int log_device_characteristics(sqlite3_file* file) {
  Gathered& g = of(file);
  return g.file->pMethods->xDeviceCharacteristics(g.file);
}

int gathered_open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  if ((flags & SQLITE_OPEN_WAL) == 0)
    return unix_vfs_copy.xOpen(&unix_vfs_copy, name, file, flags, out_flags);
  auto* real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + real_offset());
  std::memset(real, 0, static_cast<std::size_t>(unix_vfs_copy.szOsFile));
  const int rc = unix_vfs_copy.xOpen(&unix_vfs_copy, name, real, flags, out_flags);
  if (rc != SQLITE_OK) {
    // SQLite closes nothing it failed to open: the unix file's own methods,
    // if it set them, close it here.
    if (real->pMethods) real->pMethods->xClose(real);
    file->pMethods = nullptr;
    return rc;
  }
  auto* log = reinterpret_cast<LogFile*>(file);
  log->gathered = new Gathered;
  log->gathered->file = real;
  log->gathered->bytes.reserve(kReserved);
  log->base.pMethods = &log_methods;
  return SQLITE_OK;
}

void register_vfs() {
  sqlite3_vfs* unix_vfs = sqlite3_vfs_find(nullptr);
  unix_vfs_copy = *unix_vfs;
  gathered_vfs = *unix_vfs;
  gathered_vfs.zName = "paysandbox-gathered-wal";
  gathered_vfs.pNext = nullptr;
  gathered_vfs.szOsFile = real_offset() + unix_vfs->szOsFile;
  gathered_vfs.xOpen = gathered_open;
  log_methods = sqlite3_io_methods{};
  log_methods.iVersion = 1;
  log_methods.xClose = log_close;
  log_methods.xRead = log_read;
  log_methods.xWrite = log_write;
  log_methods.xTruncate = log_truncate;
  log_methods.xSync = log_sync;
  log_methods.xFileSize = log_file_size;
  log_methods.xLock = log_lock;
  log_methods.xUnlock = log_unlock;
  log_methods.xCheckReservedLock = log_check_reserved_lock;
  log_methods.xFileControl = log_file_control;
  log_methods.xSectorSize = log_sector_size;
  log_methods.xDeviceCharacteristics = log_device_characteristics;
  sqlite3_vfs_register(&gathered_vfs, 0);
}

}  // namespace

const char* gathered_wal_vfs() {
  static std::once_flag registered;
  std::call_once(registered, register_vfs);
  return gathered_vfs.zName;
}

std::uint64_t gathered_wal_writes() { return writes.load(std::memory_order_relaxed); }

}  // namespace paysandbox
