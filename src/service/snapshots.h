#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/thread_annotations.h"
#include "core/types.h"
#include "service/accounts.h"
#include "store/snapshot_store.h"

namespace paysandbox {

// What GET /_sandbox/snapshots shows of one snapshot.
struct SnapshotInfo {
  std::string name;
  std::string account_uid;  // empty: the whole state
  Millis created_at = 0;    // real time (the server clock) when it was saved or loaded
  std::int64_t rows = 0;
  std::size_t size_bytes = 0;
};

// Named snapshots, held in memory as database images (SnapshotStore), and
// forks of accounts. A restore replaces the stored rows in one transaction;
// the caller makes it atomic for requests too (the router runs it alone).
// After a restore or fork, the hooks bring in-memory state (clocks, account
// cache, delivery queues, scenarios) back in line with the rows.
class SnapshotService {
 public:
  SnapshotService(SnapshotStore& store, AccountService& accounts, SandboxClock& clock);

  // Saves the whole state (`account_uid` empty) or one account's under
  // `name` (1 to 64 of [A-Za-z0-9._-]); 409 when the name is taken.
  Result<SnapshotInfo> save(const std::string& name, const std::string& account_uid);
  // Puts a snapshot back: the whole state, or its account only.
  Result<SnapshotInfo> restore(const std::string& name);
  std::vector<SnapshotInfo> list() const;  // by name
  bool remove(const std::string& name);
  // The snapshot as a file (an SQLite database image).
  Result<std::string> file(const std::string& name) const;
  // Adds a snapshot from a file's bytes, under the name it was saved with.
  Result<SnapshotInfo> load_file(const std::string& bytes);
  // A new account holding a copy of `source_uid`'s state, with new ids and
  // its own webhook secret; the clock offset is copied.
  Result<Account> fork(const std::string& source_uid);

  // Called after a restore or a fork with the account whose rows changed
  // (empty: every account, after a whole restore).
  using Hook = std::function<void(const std::string& account_uid)>;
  void on_change(Hook hook);

  static bool valid_name(const std::string& name);

 private:
  void changed(const std::string& account_uid);

  SnapshotStore& store_;
  AccountService& accounts_;
  SandboxClock& clock_;
  mutable Mutex mutex_;
  std::map<std::string, SnapshotStore::Image> snapshots_ GUARDED_BY(mutex_);
  std::map<std::string, Millis> created_ GUARDED_BY(mutex_);
  std::vector<Hook> hooks_ GUARDED_BY(mutex_);
};

}  // namespace paysandbox
