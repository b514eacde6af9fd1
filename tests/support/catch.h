#pragma once

// The one Catch2 include for the tests: Catch2 v2 (one header, Debian 12)
// or v3 (a compiled library split into headers, Debian 13 and later).
// tests/CMakeLists.txt sets PAYSANDBOX_CATCH2_MAJOR to the version it found.
// The tests use only what both offer, spelled as v3 spells it:
//   Catch::Matchers::ContainsSubstring  (v2 calls it Catch::Matchers::Contains)
//   Catch::Approx                       (v2: Catch::Detail::Approx)

#if !defined(PAYSANDBOX_CATCH2_MAJOR)
#error "PAYSANDBOX_CATCH2_MAJOR is not set: build the tests through tests/CMakeLists.txt"
#elif PAYSANDBOX_CATCH2_MAJOR >= 3

#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#else

#include <catch2/catch.hpp>
#include <string>

namespace Catch {
using Detail::Approx;
namespace Matchers {
// v3's name for v2's substring matcher.
inline StdString::ContainsMatcher ContainsSubstring(const std::string& text,
                                                    CaseSensitive::Choice cs = CaseSensitive::Yes) {
  return Contains(text, cs);
}
}  // namespace Matchers
}  // namespace Catch

#endif
