#pragma once

#include <cstdint>

namespace paysandbox {

// The name of an SQLite file system (VFS) that a file store opens its
// database with: SQLite's own "unix" one, except that a write-ahead log's
// frames are gathered in memory and written with one system call per COMMIT
// instead of two per page (a frame's header, then its page). The bytes and
// their order in the file are SQLite's; only the number of writes changes.
// They reach the file before the COMMIT's last write returns, so before the
// COMMIT is visible to any reader and before the request is answered; any
// other call on the log (a read, a sync, a size, a truncation, closing it)
// writes what is gathered first. Registered on first use.
const char* gathered_wal_vfs();

// Writes that reached a write-ahead log through it since start (for tests).
std::uint64_t gathered_wal_writes();

}  // namespace paysandbox
