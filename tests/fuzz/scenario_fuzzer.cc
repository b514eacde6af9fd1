// Scenario documents (docs/scenarios.md): parsing, checking, and the path matcher with
// every pattern a valid scenario carries.
#include <cstddef>
#include <cstdint>
#include <string>

#include "scenario/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto scenario = paysandbox::parse_scenario(text);
  if (scenario) {
    for (const auto& rule : scenario->rules) {
      (void)paysandbox::path_matches(rule.match.path, "/api/customers/cus_1/payment-methods");
      (void)paysandbox::path_matches(rule.match.path, text);
    }
  }
  return 0;
}
