#pragma once

#include <string>
#include <string_view>

namespace paysandbox {

// A new random identifier: `prefix` followed by `length` characters of
// [0-9A-Za-z]. 24 characters carry ~142 bits, so collisions are not a concern.
std::string new_id(std::string_view prefix, size_t length = 24);

// Lowercase hex of `bytes` random bytes (for secrets).
std::string random_hex(size_t bytes);

}  // namespace paysandbox
