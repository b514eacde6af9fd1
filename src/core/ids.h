#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/thread_annotations.h"

namespace paysandbox {

// Where a sandbox's generated ids and secrets come from. Unseeded (the
// default) they are random. Seeded, every id and secret made inside an
// IdScope naming this source is a function of the seed, the scope's account
// and how many values that account has drawn before it, so the same requests
// in the same order give the same ids in every run. Thread-safe.
class IdSource {
 public:
  explicit IdSource(std::optional<std::uint64_t> seed = std::nullopt) : seed_(seed) {}

  bool seeded() const { return seed_.has_value(); }
  // The seed of the next value drawn for `account` (its creation order).
  std::uint64_t next(const std::string& account);

 private:
  std::optional<std::uint64_t> seed_;
  Mutex mutex_;
  // By account ("" = server-wide).
  std::unordered_map<std::string, std::uint64_t> counters_ GUARDED_BY(mutex_);
};

// While alive, new_id() and random_hex() on this thread draw from `source`
// for `account` (scopes nest; the innermost wins). A null or unseeded source
// leaves them random.
class IdScope {
 public:
  IdScope(IdSource* source, std::string account);
  ~IdScope();
  IdScope(const IdScope&) = delete;
  IdScope& operator=(const IdScope&) = delete;

 private:
  IdSource* previous_source_;
  std::string previous_account_;
};

// The source of the innermost IdScope on this thread (null: none), so that
// work done for another account can draw from the same source.
IdSource* current_id_source();

// A new identifier: `prefix` followed by `length` characters of
// [0-9A-Za-z]. 24 characters carry ~142 bits, so collisions are not a concern.
// Random, or seeded inside a seeded IdScope.
std::string new_id(std::string_view prefix, size_t length = 24);

// Lowercase hex of `bytes` bytes (for secrets); seeded like new_id().
std::string random_hex(size_t bytes);

// Always random, whatever the scope (request ids: they identify one exchange,
// not state).
std::string new_random_id(std::string_view prefix, size_t length = 24);

}  // namespace paysandbox
