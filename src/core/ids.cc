#include "core/ids.h"

#include <random>

namespace paysandbox {
namespace {

std::mt19937_64& random_engine() {
  thread_local std::mt19937_64 engine([] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }());
  return engine;
}

struct ScopeState {
  IdSource* source = nullptr;
  std::string account;
};
thread_local ScopeState current_scope;

// FNV-1a: stable across builds and platforms, unlike std::hash.
std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

// Random, or the engine for this value of the scope's seeded source.
template <typename F>
auto with_engine(F&& f) {
  if (current_scope.source != nullptr && current_scope.source->seeded()) {
    const std::uint64_t n = current_scope.source->next(current_scope.account);
    std::seed_seq seq{static_cast<std::uint32_t>(n), static_cast<std::uint32_t>(n >> 32)};
    std::mt19937_64 engine(seq);
    return f(engine);
  }
  return f(random_engine());
}

std::string id_from(std::mt19937_64& engine, std::string_view prefix, size_t length) {
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string id(prefix);
  id.reserve(prefix.size() + length);
  std::uniform_int_distribution<int> pick(0, 61);
  for (size_t i = 0; i < length; ++i) id.push_back(kAlphabet[pick(engine)]);
  return id;
}

}  // namespace

std::uint64_t IdSource::next(const std::string& account) {
  std::uint64_t count;
  {
    MutexLock lock(mutex_);
    count = counters_[account]++;
  }
  // splitmix64 over (seed, account, count): neighbouring counts and accounts
  // give unrelated values.
  std::uint64_t z =
      *seed_ ^ (stable_hash(account) * 0x9e3779b97f4a7c15ull) ^ (count * 0xbf58476d1ce4e5b9ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

IdScope::IdScope(IdSource* source, std::string account)
    : previous_source_(current_scope.source), previous_account_(std::move(current_scope.account)) {
  current_scope.source = source;
  current_scope.account = std::move(account);
}

IdScope::~IdScope() {
  current_scope.source = previous_source_;
  current_scope.account = std::move(previous_account_);
}

IdSource* current_id_source() { return current_scope.source; }

std::string new_id(std::string_view prefix, size_t length) {
  return with_engine([&](std::mt19937_64& engine) { return id_from(engine, prefix, length); });
}

std::string new_random_id(std::string_view prefix, size_t length) {
  return id_from(random_engine(), prefix, length);
}

std::string random_hex(size_t bytes) {
  return with_engine([&](std::mt19937_64& engine) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes * 2);
    for (size_t i = 0; i < bytes; ++i) {
      auto byte = static_cast<unsigned>(engine() & 0xff);
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xf]);
    }
    return out;
  });
}

}  // namespace paysandbox
