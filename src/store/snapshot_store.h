#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "store/connection.h"

namespace paysandbox {

// Copies of stored state as SQLite database images, made and put back inside
// SQLite (CREATE TABLE ... AS SELECT into an attached in-memory database,
// then sqlite3_serialize), so no row passes through JSON or C++ objects.
// An image holds every declared table (a whole snapshot) or only one
// account's rows of them plus its account row, and a snapshot_info table
// saying which. Works the same over ":memory:" and a --db file.
class SnapshotStore {
 public:
  explicit SnapshotStore(Store& store);

  struct Image {
    std::string name;
    std::string account_uid;  // empty: the whole state
    std::string bytes;        // an SQLite database file
    std::int64_t rows = 0;    // rows copied, every table
  };

  // A copy of the whole state (`account_uid` empty) or of one account.
  Image save(const std::string& name, const std::string& account_uid);
  // Reads what an image holds; throws std::runtime_error when `bytes` is not
  // a snapshot image.
  Image inspect(const std::string& bytes);
  // Puts an image back in one transaction: every table (whole), or the
  // image's account's rows only (others untouched). Throws on a bad image.
  void restore(const Image& image);

  // Copies every row of `source_uid` into a new account `target_uid` in one
  // transaction: the account row (with `webhook_secret`), customers, methods,
  // tokens, payments, sessions and events; not the delivery log or
  // idempotency keys. Every id found in the copied text (prefix_ and 24
  // characters) is replaced by `new_id(prefix)`, the same one everywhere, so
  // references inside the copy hold. Returns the rows copied.
  std::int64_t fork(const std::string& source_uid, const std::string& target_uid,
                    const std::string& webhook_secret,
                    const std::function<std::string(const std::string& prefix)>& new_id);

 private:
  Store& store_;
};

}  // namespace paysandbox
