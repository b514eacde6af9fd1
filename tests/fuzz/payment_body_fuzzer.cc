// Payment validate bodies (docs/api/payments.md) through the real route: amounts, the
// currency, and the four payment_method shapes with their nested tokens.
#include "route_harness.h"

namespace {
const std::vector<fuzzing::Target> kTargets = {
    {"POST", "/api/payments"},
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzzing::harness().serve_body(kTargets, data, size);
  return 0;
}
