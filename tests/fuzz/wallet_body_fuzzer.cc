// Wallet request bodies through the real routes: JSON parsing, BodyReader
// validation, and the service rules behind them. The payment routes (docs/api/payments.md)
// join by adding a line to kTargets once they land (or a payment_body harness
// beside this one).
#include "route_harness.h"

namespace {
const std::vector<fuzzing::Target> kTargets = {
    {"POST", "/api/customers"},
    {"PUT", "/api/paymentaccounts/pa_sandbox/checkout-config"},
    {"POST", "/api/customers/{customer}/payment-methods"},
    {"PUT", "/api/customers/{customer}/default-payment-method"},
    {"POST", "/api/saved-payment-methods/import"},
    {"POST", "/_sandbox/tokens"},
    {"POST", "/api/paymentaccounts"},
    {"POST", "/_sandbox/accounts"},
    {"PUT", "/_sandbox/accounts/pa_sandbox/fee-rules"},
    {"POST", "/v1/hosted-sessions"},
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzzing::harness().serve_body(kTargets, data, size);
  return 0;
}
