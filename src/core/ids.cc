#include "core/ids.h"

#include <random>

namespace paysandbox {
namespace {
std::mt19937_64& generator() {
  thread_local std::mt19937_64 engine([] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }());
  return engine;
}
}  // namespace

std::string new_id(std::string_view prefix, size_t length) {
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string id(prefix);
  id.reserve(prefix.size() + length);
  auto& engine = generator();
  std::uniform_int_distribution<int> pick(0, 61);
  for (size_t i = 0; i < length; ++i) id.push_back(kAlphabet[pick(engine)]);
  return id;
}

std::string random_hex(size_t bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  auto& engine = generator();
  for (size_t i = 0; i < bytes; ++i) {
    auto byte = static_cast<unsigned>(engine() & 0xff);
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xf]);
  }
  return out;
}

}  // namespace paysandbox
